/**
 * The Lambda handler behind API Gateway's `POST /sentiment` (REST API, proxy integration), also
 * run by the local gateway. It checks the request, asks the SageMaker endpoint (for explanations
 * too, with `"explain": true`), and answers the contract's JSON. It never throws: every path, a
 * bug included, gives a JSON answer with CORS headers, and one log line per request says what
 * happened (`explain: true` when asked), without the review text.
 */
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Limits, SentimentResponse } from '../../public-api/contract.ts';
import { HttpError, asHttpError } from '../http-error.ts';
import { limitsFromEnv } from '../limits.ts';
import { ALLOW_ALL, corsFromEnv, corsHeaders, type CorsPolicy } from './cors.ts';
import { invokeEndpoint, sharedEndpointClient } from './endpoint-client.ts';
import { header, parseRequest } from './request.ts';

export type ApiHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

export type LogLevel = 'INFO' | 'ERROR';

/** Receives each log line: one JSON object, no newline. */
export type LogSink = (line: string, level: LogLevel) => void;

export interface HandlerDeps {
  readonly client: SageMakerRuntimeClient;
  readonly endpointName: string;
  readonly limits: Limits;
  /** Default: allow all origins. */
  readonly cors?: CorsPolicy;
  /** Default: INFO lines to stdout, ERROR lines to stderr. */
  readonly log?: LogSink;
  /** Milliseconds, for the duration in the log. Default: performance.now. */
  readonly now?: () => number;
}

/** The handler with its dependencies given: what tests and the local gateway build. */
export function createHandler(deps: HandlerDeps): ApiHandler {
  return serve({
    cors: deps.cors ?? ALLOW_ALL,
    log: deps.log ?? writeLog,
    now: deps.now ?? (() => performance.now()),
    post: async (event, entry) => {
      const { reviews, explain } = parseRequest(event, deps.limits);
      entry.reviews = reviews.length;
      if (explain) entry.explain = true;
      const answer = await invokeEndpoint(deps.client, deps.endpointName, reviews, explain);
      entry.model = answer.model;
      return { results: answer.predictions, model: answer.model };
    },
  });
}

/**
 * The handler configured by the environment: SAGEMAKER_ENDPOINT_NAME, REELSENSE_ALLOWED_ORIGINS,
 * REELSENSE_ENDPOINT_TIMEOUT_MS, the REELSENSE_MAX_* limits, and the SDK's own variables (region,
 * credentials, AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME). A broken setting does not crash the container:
 * each POST gets the generic 500 and the log says what to fix.
 */
export function handlerFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ApiHandler {
  let cors: CorsPolicy = ALLOW_ALL;
  try {
    cors = corsFromEnv(env);
    const endpointName = env.SAGEMAKER_ENDPOINT_NAME?.trim() ?? '';
    if (endpointName === '') {
      throw new Error('SAGEMAKER_ENDPOINT_NAME is not set: it must name the SageMaker endpoint to invoke.');
    }
    return createHandler({ client: sharedEndpointClient(env), endpointName, limits: limitsFromEnv(env), cors });
  } catch (problem) {
    const reason = problem instanceof Error ? problem.message : String(problem);
    return serve({
      cors,
      log: writeLog,
      now: () => performance.now(),
      post: () => {
        writeLog(JSON.stringify({ level: 'ERROR', message: 'handler misconfigured', reason }), 'ERROR');
        return Promise.reject(asHttpError(problem));
      },
    });
  }
}

let fromEnv: ApiHandler | undefined;

/** The Lambda entry point: configured from the environment once per container, on first use. */
export const handler: ApiHandler = (event, context) => {
  fromEnv ??= handlerFromEnv();
  return fromEnv(event, context);
};

/** The contract's error answer, with CORS headers so that a browser lets the page read it. */
export function errorResult(error: HttpError, cors: CorsPolicy, origin: string | undefined): APIGatewayProxyResult {
  return {
    statusCode: error.status,
    headers: { ...JSON_HEADERS, ...corsHeaders(cors, origin), ...error.headers },
    body: JSON.stringify(error.toBody()),
  };
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

interface Routes {
  readonly cors: CorsPolicy;
  readonly log: LogSink;
  readonly now: () => number;
  /** The answer to a POST; `entry` collects fields for the request's log line. */
  readonly post: (event: APIGatewayProxyEvent, entry: Record<string, unknown>) => Promise<SentimentResponse>;
}

/** Method dispatch, errors as contract JSON, CORS everywhere, and the request's log line. */
function serve({ cors, log, now, post }: Routes): ApiHandler {
  return async (event, context) => {
    const started = now();
    // Read defensively: a hand-made event (the Lambda console's, a test's) may lack what the type promises.
    const method = safely(() => event.httpMethod.toUpperCase()) ?? '';
    const requestId = safely(() => event.requestContext.requestId) ?? context?.awsRequestId;
    const origin = safely(() => header(event, 'origin'));
    const entry: Record<string, unknown> = { message: 'request', requestId, method, reviews: null };
    let result: APIGatewayProxyResult;
    try {
      if (method === 'OPTIONS') {
        result = { statusCode: 204, headers: corsHeaders(cors, origin), body: '' };
      } else if (method === 'POST') {
        const body = await post(event, entry);
        result = {
          statusCode: 200,
          headers: { ...JSON_HEADERS, ...corsHeaders(cors, origin) },
          body: JSON.stringify(body),
        };
      } else {
        throw new HttpError(
          'METHOD_NOT_ALLOWED',
          `The method ${method.slice(0, 20) || '(none)'} is not allowed here; use POST.`,
          {
            Allow: 'POST, OPTIONS',
          },
        );
      }
    } catch (thrown) {
      const error = asHttpError(thrown);
      entry.code = error.code;
      if (error.status >= 500) {
        log(
          JSON.stringify({
            level: 'ERROR',
            message: 'request failed',
            requestId,
            code: error.code,
            cause: describe(error.cause),
          }),
          'ERROR',
        );
      }
      result = errorResult(error, cors, origin);
    }
    entry.status = result.statusCode;
    entry.durationMs = Math.round((now() - started) * 10) / 10;
    log(JSON.stringify({ level: 'INFO', ...entry }), 'INFO');
    return result;
  };
}

/** One JSON line; Lambda sends both streams to CloudWatch, the local gateway keeps them apart. */
function writeLog(line: string, level: LogLevel): void {
  (level === 'INFO' ? process.stdout : process.stderr).write(`${line}\n`);
}

/** What the log keeps of an error: its kind, errno code, HTTP status and a short message. */
function describe(error: unknown): Record<string, unknown> | undefined {
  if (error === undefined) return undefined;
  if (!(error instanceof Error)) return { thrown: typeof error === 'string' ? error.slice(0, 300) : typeof error };
  const { code, $metadata } = error as { code?: unknown; $metadata?: { httpStatusCode?: unknown; attempts?: unknown } };
  const isBug = !('$metadata' in error) && !(typeof code === 'string') && error.name !== 'EndpointAnswerError';
  return {
    name: error.name,
    message: error.message.slice(0, 300),
    ...(typeof code === 'string' ? { errno: code } : {}),
    ...($metadata === undefined ? {} : { status: $metadata.httpStatusCode, attempts: $metadata.attempts }),
    // A bug's stack is for the log only: it helps whoever fixes it, and never reaches a client.
    ...(isBug ? { stack: error.stack } : {}),
  };
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
