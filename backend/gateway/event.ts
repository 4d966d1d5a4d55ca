/**
 * The translation the local gateway does, as API Gateway's REST API proxy integration does it:
 * a node:http request and its body in, an APIGatewayProxyEvent (payload format 1.0) out; and an
 * APIGatewayProxyResult back onto the node:http response.
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export const RESOURCE = '/sentiment';
export const STAGE = 'local';

export interface EventOptions {
  /** Default: a random UUID, as API Gateway gives each request. */
  readonly requestId?: string;
  /** Epoch milliseconds. Default: now. */
  readonly time?: number;
}

export function toProxyEvent(request: IncomingMessage, body: Buffer, options: EventOptions = {}): APIGatewayProxyEvent {
  const requestId = options.requestId ?? randomUUID();
  const time = options.time ?? Date.now();
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const { headers, multiValueHeaders } = readHeaders(request.rawHeaders);
  const { single, multi } = readQuery(query);
  const method = request.method ?? 'GET';
  const text = body.length === 0 ? null : utf8(body);
  return {
    resource: RESOURCE,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: null,
    stageVariables: null,
    // API Gateway sends null for no body; bytes that are not UTF-8 travel as base64, flagged.
    body: body.length === 0 ? null : (text ?? body.toString('base64')),
    isBase64Encoded: body.length > 0 && text === undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: headerValue(headers, 'x-api-key') ?? null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: headerValue(headers, 'user-agent') ?? null,
        userArn: null,
      },
      path: `/${STAGE}${path}`,
      stage: STAGE,
      requestId,
      requestTime: requestTimeText(time),
      requestTimeEpoch: time,
      resourceId: 'local',
      resourcePath: RESOURCE,
      domainName: headerValue(headers, 'host') ?? 'localhost',
    },
  };
}

/** Writes a handler's result: status, headers (multi-value ones added), body (base64 decoded if flagged). */
export function writeProxyResult(response: ServerResponse, result: APIGatewayProxyResult): void {
  const body = result.isBase64Encoded === true ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
  // Keyed by lower case, keeping the handler's spelling for the wire.
  const headers = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers.set(name.toLowerCase(), { name, values: [String(value)] });
  }
  // As in API Gateway, multiValueHeaders win over headers of the same name.
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers.set(name.toLowerCase(), { name, values: values.map(String) });
  }
  headers.set('content-length', { name: 'Content-Length', values: [String(body.length)] });
  for (const { name, values } of headers.values()) {
    response.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
  }
  response.writeHead(result.statusCode);
  response.end(body);
}

/** Header names keep the client's case, as in API Gateway; `headers` holds each name's last value. */
function readHeaders(raw: readonly string[]): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const values = new Map<string, string[]>(); // by the first spelling seen of each name
  const spellings = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const spelled = raw[i] ?? '';
    const name = spellings.get(spelled.toLowerCase()) ?? spelled;
    spellings.set(spelled.toLowerCase(), name);
    const list = values.get(name) ?? [];
    list.push(raw[i + 1] ?? '');
    values.set(name, list);
  }
  // fromEntries makes own properties, so a header named __proto__ stays a header.
  return {
    headers: Object.fromEntries([...values].map(([name, list]) => [name, list.at(-1) ?? ''])),
    multiValueHeaders: Object.fromEntries(values),
  };
}

function readQuery(query: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(query)) {
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  if (values.size === 0) return { single: null, multi: null };
  return {
    single: Object.fromEntries([...values].map(([name, list]) => [name, list.at(-1) ?? ''])),
    multi: Object.fromEntries(values),
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** API Gateway's requestTime format: 09/Apr/2015:12:34:56 +0000. */
function requestTimeText(epoch: number): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const date = new Date(epoch);
  const two = (value: number): string => String(value).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${months[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
