/**
 * Starts the local gateway: `tsx backend/gateway/cli.ts [--port N] [--host H] [--endpoint-url URL]`.
 *
 * The Lambda handler runs unchanged; only its environment points it at the local endpoint server
 * (the AWS SDK reads AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME). Variables already set are kept, so the
 * same command can drive a real SageMaker endpoint.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags, runCli } from '../../common/cli/run.ts';
import { ReelSenseError } from '../../common/errors.ts';
import { endpointTimeoutFromEnv } from '../api/endpoint-client.ts';
import { limitsFromEnv } from '../limits.ts';
import { rateLimitFromEnv } from './rate-limit.ts';
import { PortInUseError } from '../listen.ts';

export const LOCAL_ENDPOINT_NAME = 'reelsense-local';
const DEFAULT_PORT = 3000;
const DEFAULT_ENDPOINT_PORT = 8080;
// Long enough for an in-flight request to get its answer, short enough that Ctrl-C feels prompt.
const CLOSE_DEADLINE_MS = 10_000;

/**
 * Fills in what the handler and the SDK need to reach the local endpoint server; a variable that
 * is already set wins, except that an explicit --endpoint-url wins over everything.
 */
export function configureLocalEndpoint(env: NodeJS.ProcessEnv, endpointUrl?: string): void {
  const url =
    endpointUrl ??
    env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME ??
    env.REELSENSE_ENDPOINT_URL ??
    `http://127.0.0.1:${env.REELSENSE_ENDPOINT_PORT ?? DEFAULT_ENDPOINT_PORT}`;
  env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = url;
  env.AWS_REGION ??= 'us-east-1';
  // The endpoint server does not check signatures, but the SDK will not sign without credentials.
  if (env.AWS_ACCESS_KEY_ID === undefined && env.AWS_PROFILE === undefined) {
    env.AWS_ACCESS_KEY_ID = 'local';
    env.AWS_SECRET_ACCESS_KEY = 'local';
  }
  env.SAGEMAKER_ENDPOINT_NAME ??= LOCAL_ENDPOINT_NAME;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const flags = parseFlags(argv, ['port', 'host', 'endpoint-url']);
  const port =
    portFrom(flags.get('port'), '--port') ?? portFrom(env.REELSENSE_API_PORT, 'REELSENSE_API_PORT') ?? DEFAULT_PORT;
  const host = flags.get('host');
  configureLocalEndpoint(env, flags.get('endpoint-url'));
  // Settings the handler would otherwise only complain about in its log, at the first request.
  const limits = setting(() => limitsFromEnv(env));
  const rateLimit = setting(() => rateLimitFromEnv(env));
  setting(() => endpointTimeoutFromEnv(env));

  // Only now, with the environment in place, is the handler loaded.
  const { startGateway } = await import('./server.ts');
  const gateway = await startGateway({ port, limits, rateLimit, ...(host === undefined ? {} : { host }) }).catch(
    (error: unknown) => {
      if (error instanceof PortInUseError)
        throw new ReelSenseError('PORT_IN_USE', `${error.message} (or pass --port <port>)`);
      throw error;
    },
  );
  process.stdout.write(
    `ReelSense API (local gateway): POST ${gateway.url}/sentiment\n` +
      `  -> SageMaker endpoint "${env.SAGEMAKER_ENDPOINT_NAME ?? ''}" at ${env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME ?? ''}\n` +
      (rateLimit === undefined
        ? '  throttling off (REELSENSE_RATE_LIMIT=0)\n'
        : `  throttling: ${String(rateLimit.ratePerSecond)} requests/s per client, bursts of ${String(rateLimit.burst)} (REELSENSE_RATE_LIMIT, REELSENSE_RATE_BURST)\n`),
  );

  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1); // a second Ctrl-C: do not wait any longer
    closing = true;
    process.stdout.write(`\n${signal}: closing the gateway...\n`);
    setTimeout(() => process.exit(0), CLOSE_DEADLINE_MS).unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** A TCP port, 0 (any free one) to 65535; undefined when not given. */
function portFrom(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new ReelSenseError('BAD_OPTION', `${name} must be a port number from 0 to 65535, not "${raw}".`);
  }
  return value;
}

function setting<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ReelSenseError('BAD_CONFIG', error instanceof Error ? error.message : String(error));
  }
}

// Run only as a script, so tests can import configureLocalEndpoint without starting a server.
if (isEntryPoint()) runCli(() => main(process.argv.slice(2)));

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
