/**
 * The endpoint server: the SageMaker inference container contract (DESIGN.md, "Endpoint
 * server"). `GET /ping` is 200 once the model is loaded; `POST /invocations` (and the Runtime API
 * path the AWS SDK calls, `POST /endpoints/{name}/invocations`) classify a text/plain review or
 * a JSON `{"instances": [...]}` list. Every request is checked against the limits before any
 * model work; concurrent requests share model calls through the DynamicBatcher. With
 * `"explain": true` each review is explained instead (model/inference/explain.ts), one at a time
 * in a lane of its own beside the batcher (./explain-queue.ts says why), the two lanes taking
 * turns at the model by time used (./model-turns.ts), and each prediction carries its `explanation`.
 *
 * It listens first and loads the model after, so the platform sees a live container (503 on
 * /ping) during the load instead of a refused connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { explain } from '../../model/inference/explain.ts';
import { classifierFromArtifact, loadArtifactFromDirectory, SHIPPED_ARTIFACT_DIR } from '../../model/inference/node.ts';
import { ReelSenseError } from '../../common/errors.ts';
import {
  DEFAULT_LIMITS,
  type InvocationResponse,
  type Limits,
  type SentimentResult,
} from '../../public-api/contract.ts';
import { asHttpError, HttpError } from '../http-error.ts';
import { lingeringClose } from '../lingering-close.ts';
import { createHttpServer, listen, type RunningServer } from '../listen.ts';
import { missingHost } from '../protocol-errors.ts';
import {
  bodyKind,
  ClientGoneError,
  kindOf,
  readLimitedBody,
  readRequest,
  type Enveloped,
  type ReviewRequest,
} from '../request/index.ts';
import { DynamicBatcher, type BatchInfo } from './batcher.ts';
import { ExplainQueue } from './explain-queue.ts';
import { ModelTurns } from './model-turns.ts';

export interface EndpointServerOptions {
  /** 0 = any free port; default 8080. */
  readonly port?: number;
  /** Default 127.0.0.1; the container uses 0.0.0.0. */
  readonly host?: string;
  /** Named in the port-in-use message, e.g. SAGEMAKER_BIND_TO_PORT. */
  readonly portVariable?: string;
  /** The artifact folder; default the shipped model. */
  readonly modelDir?: string;
  readonly limits?: Limits;
  /** Reviews that fill a model call; default 64. */
  readonly maxBatch?: number;
  /** Longest wait for more requests to share a model call, in ms; default 0 (DEFAULT_MAX_WAIT_MS). */
  readonly maxWaitMs?: number;
  /** ONNX Runtime intra-op threads; default 1 (DEFAULT_THREADS in model/inference/node.ts). */
  readonly threads?: number;
  /** Called as each of the batcher's model calls starts (metrics, tests); explanations do not pass here. */
  readonly onBatch?: (batch: BatchInfo) => void;
}

export interface EndpointServer extends RunningServer {
  /** Resolves when the model is loaded; rejects with the ReelSenseError if it cannot be. */
  readonly ready: Promise<void>;
  /** The model's version once loaded. */
  readonly model: string | undefined;
}

export const DEFAULT_ENDPOINT_PORT = 8080;

// Keep-alive outlives the usual 60 s idle timeout of the callers' connection pools, so a reused
// connection is not closed under them. (The request and header timeouts are listen.ts's.)
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const INVOCATION_PATH = /^\/(?:endpoints\/[^/]+\/)?invocations$/;

type ModelState =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly code: string }
  | {
      readonly state: 'ready';
      readonly version: string;
      readonly batcher: DynamicBatcher;
      readonly explainer: ExplainQueue<SentimentResult>;
    };

export async function startEndpointServer(options: EndpointServerOptions = {}): Promise<EndpointServer> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let model: ModelState = { state: 'loading' };

  const server = createHttpServer({ keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ClientGoneError) {
        res.destroy();
        return;
      }
      const httpError = asHttpError(error);
      // An answer that closes the connection (an oversized body, a malformed request) reads and
      // drops the rest of the body for a while, so the client gets to read it instead of a reset.
      if (httpError.headers.Connection === 'close') lingeringClose(req);
      sendError(res, httpError);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const noHost = missingHost(req);
    if (noHost !== undefined) throw noHost;
    const path = pathOf(req.url);
    if (path === '/ping') {
      allowOnly(req, ['GET', 'HEAD']);
      sendJson(res, 200, { status: 'ok', model: readyModel(model).version });
      return;
    }
    if (INVOCATION_PATH.test(path)) {
      allowOnly(req, ['POST']);
      const { reviews, explain: explained } = await readInvocation(req, limits);
      const { batcher, explainer, version } = readyModel(model);
      const predictions = await (explained ? explainer.submit(reviews, whileWaited(res)) : batcher.submit(reviews));
      const response: InvocationResponse = { predictions, model: version };
      sendJson(res, 200, response);
      return;
    }
    throw new HttpError('NOT_FOUND', `There is no ${path}: use GET /ping or POST /invocations.`);
  }

  const running = await listen(server, {
    port: options.port ?? DEFAULT_ENDPOINT_PORT,
    ...(options.host !== undefined && { host: options.host }),
    ...(options.portVariable !== undefined && { portVariable: options.portVariable }),
    protocolErrors: { allow: 'GET, HEAD, POST' },
  });

  const ready = (async () => {
    try {
      const artifact = await loadArtifactFromDirectory(options.modelDir ?? SHIPPED_ARTIFACT_DIR);
      const classifier = await classifierFromArtifact(artifact, {
        ...(options.threads !== undefined && { threads: options.threads }),
      });
      // Plain batches and explanations take turns at the model by time used (./model-turns.ts).
      const turns = new ModelTurns();
      const batcher = new DynamicBatcher((reviews) => turns.run('batch', () => classifier.classifyBatch(reviews)), {
        ...(options.maxBatch !== undefined && { maxBatch: options.maxBatch }),
        ...(options.maxWaitMs !== undefined && { maxWaitMs: options.maxWaitMs }),
        ...(options.onBatch !== undefined && { onBatch: options.onBatch }),
      });
      // The prediction's own fields (label, score, and any a Prediction gains) pass through as they are.
      const explainer = new ExplainQueue((review: string) =>
        turns.run('explain', async (): Promise<SentimentResult> => {
          const { prediction, explanation } = await explain(classifier, review);
          return { ...prediction, explanation };
        }),
      );
      model = { state: 'ready', version: classifier.version, batcher, explainer };
    } catch (error) {
      // ONNX Runtime refuses a damaged model with its own error: say it in the artifact's terms.
      const failure =
        error instanceof ReelSenseError
          ? error
          : new ReelSenseError(
              'ARTIFACT_INVALID',
              `The model in ${options.modelDir ?? SHIPPED_ARTIFACT_DIR} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
              { cause: error },
            );
      model = { state: 'failed', code: failure.code };
      throw failure;
    }
  })();
  // Callers that never await `ready` must not crash the process with an unhandled rejection.
  ready.catch(() => undefined);

  return {
    url: running.url,
    port: running.port,
    ready,
    get model() {
      return model.state === 'ready' ? model.version : undefined;
    },
    async close() {
      await running.close();
      if (model.state === 'ready') await Promise.all([model.batcher.close(), model.explainer.close()]);
    },
  };
}

/** Aborts (with ClientGoneError) if the connection closes before the answer is sent: nobody waits for it any more. */
function whileWaited(res: ServerResponse): AbortSignal {
  const waited = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) waited.abort(new ClientGoneError());
  });
  return waited.signal;
}

function readyModel(model: ModelState): Extract<ModelState, { state: 'ready' }> {
  if (model.state === 'ready') return model;
  throw new HttpError(
    'MODEL_NOT_READY',
    model.state === 'loading'
      ? 'The model is still loading; try again in a few seconds.'
      : `The model could not be loaded (${model.code}); see the server's log.`,
  );
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return url ?? '/';
  }
}

function allowOnly(req: IncomingMessage, methods: readonly string[]): void {
  if (req.method !== undefined && methods.includes(req.method)) return;
  throw new HttpError(
    'METHOD_NOT_ALLOWED',
    `${req.method ?? 'This method'} is not allowed here; use ${methods.join(' or ')}.`,
    { Allow: methods.join(', ') },
  );
}

// ---- Request body -----------------------------------------------------------------------------

const USAGE = 'Send {"instances": ["review", ...]} as application/json, or one review as text/plain.';

/** The reviews of an invocation and `explain`, checked against the limits; throws an HttpError for bad input. */
async function readInvocation(req: IncomingMessage, limits: Limits): Promise<ReviewRequest> {
  // The content type first: a refused type is answered before its body is read.
  const kind = bodyKind(req.headers['content-type']);
  const body = await readLimitedBody(req, limits.maxBodyBytes);
  return readRequest(kind, body, limits, instancesOf);
}

/** `{"instances": [...]}` with an optional `"explain"` (validate.ts checks it); other fields are ignored. */
function instancesOf(body: unknown): Enveloped {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('INVALID_REQUEST', `The JSON body must be an object, not ${kindOf(body)}. ${USAGE}`);
  }
  if (!Object.hasOwn(body, 'instances')) {
    throw new HttpError('INVALID_REQUEST', `The body has no "instances". ${USAGE}`);
  }
  const { instances, explain: explained } = body as { instances: unknown; explain?: unknown };
  if (!Array.isArray(instances)) {
    throw new HttpError('INVALID_REQUEST', `"instances" must be an array of strings, not ${kindOf(instances)}.`);
  }
  return { reviews: instances as unknown[], explain: Object.hasOwn(body, 'explain') ? explained : undefined };
}

// ---- Responses --------------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

function sendError(res: ServerResponse, error: HttpError): void {
  if (error.code === 'INTERNAL_ERROR') {
    const cause: unknown = error.cause;
    process.stderr.write(
      `${JSON.stringify({
        level: 'error',
        time: new Date().toISOString(),
        message: cause instanceof Error ? cause.message : String(cause),
        stack: cause instanceof Error ? cause.stack : undefined,
      })}\n`,
    );
  }
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody(), { ...error.headers });
}
