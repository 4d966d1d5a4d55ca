/**
 * Starts a node:http server on a port (0 = any free one) and hands back what callers need: its
 * URL and a close() that lets in-flight requests finish. A taken port is a clear error.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, waits for in-flight requests, then closes idle keep-alive sockets. */
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name: string = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly variable: string | undefined,
  ) {
    super(
      `Port ${port} is already in use.` +
        (variable === undefined ? '' : ` Stop what holds it, or choose another port with ${variable}=<port>.`),
    );
  }
}

export async function listen(
  server: Server,
  options: { port: number; host?: string; portVariable?: string },
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, options.portVariable) : error);
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
