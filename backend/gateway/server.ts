/**
 * The local gateway: plays API Gateway's part for the local stack (DESIGN.md, "Local stack").
 * It routes `/sentiment` to the same Lambda handler that runs in AWS, translating each request to
 * a proxy event and the result back. Its own work is only what API Gateway does before Lambda:
 * routing (404, 405), per-client throttling (429, like the stage's throttling), the body size
 * limit (413, without buffering past the limit), and an access log line per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Limits } from '../../public-api/contract.ts';
import { HttpError, asHttpError } from '../http-error.ts';
import { limitsFromEnv } from '../limits.ts';
import { lingeringClose } from '../lingering-close.ts';
import { createHttpServer, listen, type RunningServer } from '../listen.ts';
import { missingHost } from '../protocol-errors.ts';
import { ClientGoneError, readLimitedBody } from '../request/index.ts';
import { corsFromEnv, corsHeaders, type CorsPolicy } from '../api/cors.ts';
import { errorResult } from '../api/handler.ts';
import { RESOURCE, toProxyEvent, writeProxyResult } from './event.ts';
import { RateLimiter, type RateLimit } from './rate-limit.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export interface GatewayOptions {
  /** 0 = any free port. Default 3000. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default: the Lambda handler, configured from the environment. */
  readonly handler?: ProxyHandler;
  /** The body limit is enforced here, as API Gateway does. Default: from the environment. */
  readonly limits?: Limits;
  /** For the gateway's own answers (404, 405, 413, 500). Default: from the environment. */
  readonly cors?: CorsPolicy;
  /** Receives one access log line per request. Default: stdout. */
  readonly log?: (line: string) => void;
  /** Per-client throttling of POSTs; default none (the CLI sets it from the environment). */
  readonly rateLimit?: RateLimit | undefined;
}

export const DEFAULT_GATEWAY_PORT = 3000;

// Idle keep-alive connections; the request and header timeouts are listen.ts's.
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export async function startGateway(options: GatewayOptions = {}): Promise<RunningServer> {
  // Imported here, not above, so that whoever sets the handler's environment first (the CLI) is obeyed.
  const handler = options.handler ?? (await import('../api/handler.ts')).handler;
  const limits = options.limits ?? limitsFromEnv();
  const cors = options.cors ?? corsFromEnv();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit);

  const onRequest = (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): void => {
    const started = performance.now();
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    response.once('close', () => {
      // A connection closed before its answer went out: logged as `-`, not as the default 200.
      const answered = response.writableFinished;
      const status = answered ? String(response.statusCode) : '-';
      const bytes = answered ? Number(response.getHeader('content-length') ?? 0) : 0;
      const ms = (performance.now() - started).toFixed(1);
      log(`${new Date().toISOString()} ${request.method ?? '-'} ${path} ${status} ${bytes} ${ms}ms`);
    });
    // A client that goes away mid-body: nothing to answer, and no reason to crash.
    request.on('error', () => undefined);
    const origin = request.headers.origin;
    const answer = (result: APIGatewayProxyResult): void => {
      if (response.headersSent || response.destroyed) return;
      try {
        writeProxyResult(response, result);
      } catch (error) {
        // A header Node refuses (a bad name or value): the client still gets a JSON answer.
        crashed(error);
        for (const name of response.getHeaderNames()) response.removeHeader(name);
        writeProxyResult(response, errorResult(asHttpError(error), cors, origin));
      }
    };
    const refuse = (error: HttpError): void => {
      response.setHeader('Connection', 'close');
      // Lingering close: what the client still sends is read and dropped (not kept), so that it
      // gets to read the answer instead of a reset; a client that does not stop is cut off.
      lingeringClose(request);
      answer(errorResult(error, cors, origin));
    };

    const noHost = missingHost(request);
    if (noHost !== undefined) {
      refuse(noHost);
      return;
    }
    if (path !== RESOURCE && path !== `${RESOURCE}/`) {
      refuse(new HttpError('NOT_FOUND', `There is nothing at ${path.slice(0, 100)}; the API is POST ${RESOURCE}.`));
      return;
    }
    if (request.method !== 'POST' && request.method !== 'OPTIONS') {
      const error = new HttpError(
        'METHOD_NOT_ALLOWED',
        `The method ${request.method ?? '(none)'} is not allowed here; use POST.`,
        {
          Allow: 'POST, OPTIONS',
        },
      );
      refuse(error);
      return;
    }
    if (limiter !== undefined && request.method === 'POST') {
      // Every request counts against its address, so a made-up key per request buys no fresh
      // burst; a key also has a bucket of its own, as a usage plan throttles a key from anywhere.
      const apiKey = request.headers['x-api-key'];
      let wait = limiter.take(`ip:${request.socket.remoteAddress ?? '?'}`);
      if (wait === 0 && typeof apiKey === 'string' && apiKey !== '') wait = limiter.take(`key:${apiKey}`);
      if (wait > 0) {
        const seconds = String(wait);
        refuse(
          new HttpError('THROTTLED', `Too many requests; try again in ${seconds} second${wait === 1 ? '' : 's'}.`, {
            'Retry-After': seconds,
          }),
        );
        return;
      }
    }
    // The body limit, as API Gateway enforces it before Lambda: a 100 Continue only for a length within it.
    const accept = expectsContinue
      ? {
          onAccept: () => {
            response.writeContinue();
          },
        }
      : {};
    readLimitedBody(request, limits.maxBodyBytes, accept).then(
      (body) => {
        // Inside the chain, so that even a failing translation is answered, not an uncaught crash.
        Promise.resolve()
          .then(() => handler(toProxyEvent(request, body)))
          .then((result) => {
            if (!isProxyResult(result)) throw new Error('The handler returned something other than a proxy result.');
            return result;
          })
          .catch((error: unknown) => {
            // Should not happen: the handler answers every error itself.
            crashed(error);
            return errorResult(asHttpError(error), cors, origin);
          })
          .then(answer, crashed);
      },
      (error: unknown) => {
        if (error instanceof ClientGoneError) response.destroy();
        else refuse(asHttpError(error));
      },
    );
  };

  const server = createHttpServer({ keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    onRequest(request, response, false);
  });
  // With this listener, Node leaves the 100 Continue to us: a body over the limit is refused unsent.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    onRequest(request, response, true);
  });
  return listen(server, {
    port: options.port ?? DEFAULT_GATEWAY_PORT,
    portVariable: 'REELSENSE_API_PORT',
    ...hostOption(options.host),
    // Unparseable or timed-out requests carry no readable Origin: the policy's answer for none.
    protocolErrors: { headers: corsHeaders(cors, undefined), allow: 'POST, OPTIONS' },
  });
}

function crashed(error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', message: 'gateway: handler failed', error: detail })}\n`);
}

function hostOption(host: string | undefined): { host?: string } {
  return host === undefined ? {} : { host };
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (typeof value !== 'object' || value === null) return false;
  const { statusCode, body } = value as { statusCode?: unknown; body?: unknown };
  return (
    Number.isInteger(statusCode) &&
    (statusCode as number) >= 100 &&
    (statusCode as number) <= 599 &&
    typeof body === 'string'
  );
}
