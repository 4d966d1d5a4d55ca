/**
 * tsx backend/endpoint/cli.ts [serve] [--port N] [--host H] [--model-dir DIR] [--max-batch 64] [--max-wait-ms 0] [--threads 1]
 *
 * Without `serve`: the shipped model on 127.0.0.1, port REELSENSE_ENDPOINT_PORT or 8080 (the
 * local stack). With `serve` (how SageMaker starts the image: `docker run <image> serve`): the
 * model in REELSENSE_MODEL_DIR or /opt/ml/model, where SageMaker unpacks model.tar.gz, on
 * 0.0.0.0, port SAGEMAKER_BIND_TO_PORT or 8080. Flags win over the environment. Request limits
 * come from REELSENSE_MAX_BODY_BYTES, REELSENSE_MAX_REVIEW_CHARS, REELSENSE_MAX_REVIEWS and
 * REELSENSE_MAX_EXPLAINED_REVIEWS.
 *
 * A model that cannot be loaded is fatal (exit 1): a container that answers 503 forever is
 * worse than one that stops. SIGTERM/SIGINT stop accepting, finish in-flight requests, exit 0.
 */
import { parseFlags, positiveIntegerFlag, runCli } from '../../common/cli/run.ts';
import { ReelSenseError } from '../../common/errors.ts';
import { SHIPPED_ARTIFACT_DIR } from '../../model/inference/node.ts';
import type { Limits } from '../../public-api/contract.ts';
import { limitsFromEnv } from '../limits.ts';
import { PortInUseError } from '../listen.ts';
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_MS } from './batcher.ts';
import { DEFAULT_ENDPOINT_PORT, startEndpointServer, type EndpointServer } from './server.ts';

const SAGEMAKER_MODEL_DIR = '/opt/ml/model';
/** How long in-flight requests may take to finish after SIGTERM before the process stops anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
const FLAGS = ['port', 'host', 'model-dir', 'max-batch', 'max-wait-ms', 'threads'];

/** A non-negative integer from a flag or an environment variable; `fallback` when absent or empty. */
function wholeNumber(raw: string | undefined, what: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ReelSenseError('BAD_OPTION', `${what} must be a whole number from 0 to ${max}, not "${raw}".`);
  }
  return value;
}

/** limitsFromEnv's complaint as a one-line CLI error instead of a stack trace. */
function limitsOf(env: NodeJS.ProcessEnv): Limits {
  try {
    return limitsFromEnv(env);
  } catch (error) {
    throw new ReelSenseError('BAD_OPTION', error instanceof Error ? error.message : String(error));
  }
}

function stopOnSignals(server: EndpointServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: stopping now.\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests, then stopping.\n`);
    setTimeout(() => {
      process.stderr.write(`Requests still running after ${SHUTDOWN_GRACE_MS / 1000} s: stopping anyway.\n`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close().then(
      () => {
        // Exit explicitly: a model still loading would otherwise keep the process alive.
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
}

runCli(async () => {
  const argv = process.argv.slice(2);
  const serve = argv[0] === 'serve';
  const flags = parseFlags(serve ? argv.slice(1) : argv, FLAGS);
  const env = process.env;
  const portVariable = serve ? 'SAGEMAKER_BIND_TO_PORT' : 'REELSENSE_ENDPOINT_PORT';
  const port = wholeNumber(
    flags.get('port') ?? env[portVariable],
    flags.has('port') ? '--port' : portVariable,
    DEFAULT_ENDPOINT_PORT,
    65_535,
  );
  const modelDir =
    flags.get('model-dir') ??
    (env.REELSENSE_MODEL_DIR || undefined) ??
    (serve ? SAGEMAKER_MODEL_DIR : SHIPPED_ARTIFACT_DIR);
  const threads = flags.has('threads') ? positiveIntegerFlag(flags, 'threads', 1) : undefined;

  const started = performance.now();
  const server = await startEndpointServer({
    port,
    host: flags.get('host') ?? (serve ? '0.0.0.0' : '127.0.0.1'),
    portVariable: flags.has('port') ? '--port' : portVariable,
    modelDir,
    limits: limitsOf(env),
    maxBatch: positiveIntegerFlag(flags, 'max-batch', DEFAULT_MAX_BATCH),
    maxWaitMs: wholeNumber(flags.get('max-wait-ms'), '--max-wait-ms', DEFAULT_MAX_WAIT_MS),
    ...(threads !== undefined && { threads }),
  }).catch((error: unknown) => {
    throw error instanceof PortInUseError ? new ReelSenseError('PORT_IN_USE', error.message) : error;
  });
  stopOnSignals(server);
  process.stdout.write(`endpoint server listening on ${server.url} (loading the model from ${modelDir})\n`);

  try {
    await server.ready;
  } catch (error) {
    await server.close();
    throw error;
  }
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`model ${server.model ?? '?'} ready in ${ms} ms: POST ${server.url}/invocations\n`);
});
