/**
 * The one call the handler makes: InvokeEndpoint on the SageMaker endpoint (the endpoint server),
 * with its answer checked and every way it can fail mapped to the contract's 502/503/504 codes.
 * With `explain`, the body is `{"instances": [...], "explain": true}` and every prediction must
 * carry a valid explanation of its own review; without it, the body is `{"instances": [...]}`.
 * Errors keep the SDK's error as `cause` for the log; their messages are fixed sentences, so no
 * SDK text, host name or stack reaches a client.
 */
import {
  InvokeEndpointCommand,
  SageMakerRuntimeClient,
  type SageMakerRuntimeClientConfig,
} from '@aws-sdk/client-sagemaker-runtime';
import { isExplanationOf, isSentimentLabel, isUnitNumber } from '../../public-api/client.ts';
import {
  ERROR_STATUS,
  type ErrorCode,
  type InvocationRequest,
  type InvocationResponse,
  type SentimentResult,
} from '../../public-api/contract.ts';
import { HttpError } from '../http-error.ts';

export const DEFAULT_ENDPOINT_TIMEOUT_MS = 10_000;

/** REELSENSE_ENDPOINT_TIMEOUT_MS: how long one attempt may wait for the endpoint's answer. */
export function endpointTimeoutFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.REELSENSE_ENDPOINT_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_ENDPOINT_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(
      `REELSENSE_ENDPOINT_TIMEOUT_MS must be a positive integer of milliseconds, not ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}

/**
 * A client with bounded retries and timeouts. `config` adds to them (tests pass an endpoint,
 * region and credentials; in Lambda and the local stack they come from the environment, and
 * AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME points the client at the local endpoint server).
 */
export function createEndpointClient(
  timeoutMs: number,
  config: SageMakerRuntimeClientConfig = {},
): SageMakerRuntimeClient {
  const client = new SageMakerRuntimeClient({
    // One retry covers a dropped keep-alive socket; more would only stretch a failing request.
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: timeoutMs,
      // Without this the handler only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
      // requestTimeout stops at the response headers; this bounds a body that trickles in.
      socketTimeout: timeoutMs,
      // A socket for every request in flight. The connection timeout counts from the request's
      // start, so with the SDK's default pool of 50 a request queued for a socket behind 50 slow
      // ones (the local gateway under load, explanations among them) was answered 504 by a healthy
      // endpoint. In flight are as many requests as the gateway's clients send (in Lambda, one).
      httpAgent: { keepAlive: true, maxSockets: Infinity },
    },
    ...config,
  });
  // The timeouts above stop at the answer's headers and at an idle socket: a body that trickles in
  // byte by byte passes both forever. One deadline for the whole call bounds that too.
  deadlines.set(client, MAX_ATTEMPTS * (timeoutMs + CONNECTION_TIMEOUT_MS));
  return client;
}

const MAX_ATTEMPTS = 2;
const CONNECTION_TIMEOUT_MS = 1000;
/** The longest a whole InvokeEndpoint call may take, retries included, for clients made here. */
const deadlines = new WeakMap<SageMakerRuntimeClient, number>();

let shared: SageMakerRuntimeClient | undefined;

/** The container's one client, made on first use so its sockets are kept warm between invocations. */
export function sharedEndpointClient(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SageMakerRuntimeClient {
  shared ??= createEndpointClient(endpointTimeoutFromEnv(env));
  return shared;
}

/**
 * Classifies the reviews on the endpoint: one prediction per review, in order, each with its
 * explanation when `explain`; or an HttpError. The reviews go as the very strings given (JSON
 * keeps every code unit), so an explanation's offsets land on the client's characters.
 */
export async function invokeEndpoint(
  client: SageMakerRuntimeClient,
  endpointName: string,
  reviews: readonly string[],
  explain = false,
): Promise<InvocationResponse> {
  // Without explain, the bytes sent are exactly what they were before explanations existed.
  const request: InvocationRequest = explain ? { instances: reviews, explain } : { instances: reviews };
  let body: Uint8Array | undefined;
  const deadlineMs = deadlines.get(client);
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const sent = client.send(
      new InvokeEndpointCommand({
        EndpointName: endpointName,
        ContentType: 'application/json',
        Accept: 'application/json',
        Body: new TextEncoder().encode(JSON.stringify(request)),
      }),
      { abortSignal: abort.signal },
    );
    const output =
      deadlineMs === undefined
        ? await sent
        : await Promise.race([
            sent,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                abort.abort(); // frees the socket
                reject(Object.assign(new Error(`no whole answer within ${deadlineMs} ms`), { name: 'TimeoutError' }));
              }, deadlineMs);
            }),
          ]);
    body = output.Body;
  } catch (error) {
    throw endpointFailure(error);
  } finally {
    clearTimeout(timer);
  }
  return readInvocationResponse(body, reviews, explain);
}

/** The reason an answer of the endpoint is refused; a cause for the log, never shown to clients. */
export class EndpointAnswerError extends Error {
  override readonly name: string = 'EndpointAnswerError';
}

/**
 * The endpoint's answer body, checked against the contract, with only the contract's fields kept
 * (a field a result gains in the contract is checked and kept here too). With `explain`, each
 * prediction's explanation must be valid against its own review (public-api's isExplanationOf,
 * the check the client makes too); without it, any explanation sent is dropped.
 */
export function readInvocationResponse(
  body: Uint8Array | undefined,
  reviews: readonly string[],
  explain = false,
): InvocationResponse {
  const expected = reviews.length;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body ?? new Uint8Array()));
  } catch {
    throw unreadable(`the answer (${body?.length ?? 0} bytes) is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null) throw unreadable('the answer is not a JSON object');
  const { predictions, model } = value as { predictions?: unknown; model?: unknown };
  if (typeof model !== 'string' || model === '') throw unreadable('"model" is not a non-empty string');
  if (!Array.isArray(predictions)) throw unreadable('"predictions" is not an array');
  if (predictions.length !== expected) {
    throw unreadable(`"predictions" has ${predictions.length} items for ${expected} reviews`);
  }
  const results = predictions.map((prediction: unknown, index): SentimentResult => {
    const { label, score, readable, explanation } = (
      typeof prediction === 'object' && prediction !== null ? prediction : {}
    ) as {
      label?: unknown;
      score?: unknown;
      readable?: unknown;
      explanation?: unknown;
    };
    if (!isSentimentLabel(label)) throw unreadable(`prediction ${index + 1} has no valid label`);
    if (!isUnitNumber(score)) throw unreadable(`prediction ${index + 1} has no score between 0 and 1`);
    if (!isUnitNumber(readable)) throw unreadable(`prediction ${index + 1} has no readable share between 0 and 1`);
    if (!explain) return { label, score, readable };
    if (!isExplanationOf(explanation, reviews[index] ?? '')) {
      throw unreadable(`prediction ${index + 1} has no valid explanation of its review`);
    }
    return {
      label,
      score,
      readable,
      explanation: explanation.map(({ start, end, weight }) => ({ start, end, weight })),
    };
  });
  return { predictions: results, model };
}

function unreadable(reason: string): HttpError {
  const cause = new EndpointAnswerError(reason);
  return new HttpError(
    'ENDPOINT_ERROR',
    'The sentiment model endpoint gave an answer that could not be read.',
    {},
    { cause },
  );
}

// Node's codes for a connection that could not be made or was dropped.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);

const TOO_LARGE_CODES = new Set<ErrorCode>([
  'BODY_TOO_LARGE',
  'REVIEW_TOO_LONG',
  'TOO_MANY_REVIEWS',
  'TOO_MANY_TO_EXPLAIN',
]);

/** Any failure of the SDK call as the contract's error; the original stays as `cause` for the log. */
export function endpointFailure(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const fail = (code: ErrorCode, message: string, headers: Record<string, string> = {}): HttpError =>
    new HttpError(code, message, headers, { cause: error });
  const { name, code, status, bodyCode, bodyMessage } = inspect(error);

  // The node handler names a reset socket "TimeoutError" too: the errno code decides first.
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return fail('ENDPOINT_UNAVAILABLE', 'The sentiment model endpoint cannot be reached right now; try again shortly.');
  }
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || status === 504) {
    return fail('ENDPOINT_TIMEOUT', 'The sentiment model endpoint did not answer in time; try again shortly.');
  }
  if (name === 'ModelNotReadyException' || bodyCode === 'MODEL_NOT_READY') {
    return fail('ENDPOINT_UNAVAILABLE', 'The sentiment model is still loading; try again in a few seconds.', {
      'Retry-After': '5',
    });
  }
  if (bodyCode !== undefined && TOO_LARGE_CODES.has(bodyCode) && (status === 413 || name === 'ModelError')) {
    // The handler checks the same limits first, so this means the endpoint's are set lower:
    // the client can still act on it, so it keeps its status and code.
    return fail(bodyCode, `The model endpoint refused the request as too large: ${bodyMessage ?? bodyCode}`);
  }
  if (status === 503 || status === 429 || name === 'ServiceUnavailable') {
    return fail('ENDPOINT_UNAVAILABLE', 'The sentiment model endpoint is unavailable or busy; try again shortly.');
  }
  if (status !== undefined || name === 'ModelError') {
    // 5xx, ModelError, and 4xx too: the handler validated the request first, so a 4xx here
    // means the handler and the endpoint disagree, which is the endpoint side's failure.
    return fail('ENDPOINT_ERROR', 'The sentiment model endpoint failed to classify the reviews.');
  }
  // No HTTP answer and no network failure: configuration (region, credentials) or a bug.
  return fail('INTERNAL_ERROR', 'Something went wrong on our side; the request was not processed.');
}

interface Inspected {
  name: string | undefined;
  code: string | undefined;
  /** The endpoint's HTTP status, when it answered. */
  status: number | undefined;
  /** The contract error code in the endpoint's answer (DESIGN.md: every error body is one). */
  bodyCode: ErrorCode | undefined;
  bodyMessage: string | undefined;
}

function inspect(error: unknown): Inspected {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const metadata = record.$metadata as { httpStatusCode?: unknown } | undefined;
  let status = typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  // An error the SDK does not model gets the JSON body's fields copied onto it: our endpoint's
  // `{"error": {...}}` arrives as `error`. Real SageMaker wraps a container's error in a ModelError
  // whose OriginalMessage is that body and OriginalStatusCode its status.
  let body: unknown = record.error;
  const original = text(record.OriginalMessage);
  if (original !== undefined) {
    body = parseErrorBody(original);
    if (typeof record.OriginalStatusCode === 'number') status = record.OriginalStatusCode;
  }
  const contractError = (typeof body === 'object' && body !== null ? body : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const bodyCode = text(contractError.code);
  return {
    name: text(record.name),
    code: text(record.code),
    status,
    bodyCode: bodyCode !== undefined && Object.hasOwn(ERROR_STATUS, bodyCode) ? (bodyCode as ErrorCode) : undefined,
    bodyMessage: text(contractError.message)?.slice(0, 300),
  };
}

function parseErrorBody(text: string): unknown {
  try {
    return (JSON.parse(text) as { error?: unknown } | null)?.error;
  } catch {
    return undefined;
  }
}
