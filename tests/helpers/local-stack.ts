/**
 * The local stack in-process for tests: the real endpoint server (a model artifact), the real
 * Lambda handler with the real AWS SDK client pointed at it, and the real gateway, all on free
 * ports. Nothing is mocked; only the logs are kept quiet.
 */
import { createEndpointClient } from '../../backend/api/endpoint-client.ts';
import { createHandler } from '../../backend/api/handler.ts';
import { DEFAULT_LIMITS, type Limits } from '../../public-api/contract.ts';
import { startEndpointServer, type EndpointServer } from '../../backend/endpoint/server.ts';
import { startGateway } from '../../backend/gateway/server.ts';
import type { RunningServer } from '../../backend/listen.ts';

export interface LocalStack {
  readonly endpoint: EndpointServer;
  readonly gateway: RunningServer;
  /** Closes the gateway and the endpoint server; either may already be closed. */
  close(): Promise<void>;
}

export async function startLocalStack(options: { modelDir?: string; limits?: Limits } = {}): Promise<LocalStack> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const endpoint = await startEndpointServer({
    port: 0,
    limits,
    ...(options.modelDir === undefined ? {} : { modelDir: options.modelDir }),
  });
  await endpoint.ready;
  // The handler's own client factory (timeouts, retries), pointed at the local endpoint server.
  const client = createEndpointClient(10_000, {
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const handler = createHandler({ client, endpointName: 'reelsense-local', limits, log: () => undefined });
  const gateway = await startGateway({ port: 0, handler, limits, log: () => undefined });
  const closeQuietly = (server: RunningServer) =>
    server.close().catch((error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'ERR_SERVER_NOT_RUNNING')) throw error;
    });
  return {
    endpoint,
    gateway,
    close: async () => {
      await closeQuietly(gateway);
      await closeQuietly(endpoint);
      client.destroy();
    },
  };
}
