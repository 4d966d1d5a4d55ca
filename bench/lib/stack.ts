/**
 * The local stack as `npm start` runs it, for benchmarks: the endpoint server and the local
 * gateway, each its own process (`tsx`), on free ports; the gateway's handler reaches the
 * endpoint server through the AWS SDK.
 */
import { HOST, freePorts, waitFor, type ServerGroup, type ServerProcess } from './processes.ts';

export interface StackOptions {
  readonly artifactDir: string;
  /** The endpoint server's batcher wait (--max-wait-ms); its default when absent. */
  readonly maxWaitMs?: string;
  /** ONNX Runtime's intra-op threads in the endpoint server (--threads); its default when absent. */
  readonly threads?: number;
}

export interface Stack {
  readonly endpoint: ServerProcess;
  readonly gateway: ServerProcess;
  readonly endpointUrl: string;
  readonly gatewayUrl: string;
  /** The model version the endpoint server reports on /ping. */
  readonly model: string;
}

/** Starts both servers in `group` and waits until each answers (the endpoint: once its model is loaded). */
export async function startStack(group: ServerGroup, options: StackOptions): Promise<Stack> {
  const [endpointPort, gatewayPort] = await freePorts(2);
  const endpointUrl = `http://${HOST}:${endpointPort ?? 0}`;
  const gatewayUrl = `http://${HOST}:${gatewayPort ?? 0}`;
  process.stderr.write(`starting the endpoint server (${endpointUrl}) and the local gateway (${gatewayUrl})...\n`);
  const endpoint = group.start(
    'endpoint server',
    'backend/endpoint/cli.ts',
    [
      '--port',
      String(endpointPort),
      '--model-dir',
      options.artifactDir,
      ...(options.maxWaitMs === undefined ? [] : ['--max-wait-ms', options.maxWaitMs]),
      ...(options.threads === undefined ? [] : ['--threads', String(options.threads)]),
    ],
    endpointUrl,
  );
  // Both start at once: the gateway needs the endpoint's URL, not the endpoint, until the first request.
  const gateway = group.start(
    'local gateway',
    'backend/gateway/cli.ts',
    ['--port', String(gatewayPort), '--endpoint-url', endpointUrl],
    gatewayUrl,
  );
  await Promise.all([waitFor(endpoint, '/ping', 'GET', 200), waitFor(gateway, '/sentiment', 'OPTIONS', 204)]);
  const ping = (await (await fetch(`${endpointUrl}/ping`)).json()) as { model?: unknown };
  const model = typeof ping.model === 'string' ? ping.model : '?';
  return { endpoint, gateway, endpointUrl, gatewayUrl, model };
}
