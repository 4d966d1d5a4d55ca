/**
 * Starts a node:http server on a port (0 = any free one) and hands back what callers need: its
 * URL and a close() that lets in-flight requests finish. A taken port is a clear error.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
  // server.close() only closes the keep-alive connections idle at that moment: one whose request
  // is still in flight would stay open after its answer (until the keep-alive timeout, 65 s on
  // the endpoint server) and hold the close up. So answers that go out once closing has begun say
  // `Connection: close`, and Node ends their connection once the answer is sent.
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const track = (_request: IncomingMessage, response: ServerResponse): void => {
    if (closing && !response.headersSent) response.setHeader('Connection', 'close');
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  };
  server.prependListener('request', track);
  // Only where the server handles Expect: 100-continue itself: a listener there stops Node's own handling.
  if (server.listenerCount('checkContinue') > 0) server.prependListener('checkContinue', track);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/**
 * Answers that refuse a request mid-body (413, or 404/405/429 before the body is read) say
 * `Connection: close`, and Node ends such an answer with socket.destroySoon(). With the client
 * still sending, closing a socket that has unread bytes makes the kernel send a reset, and the
 * client, failing to write, often loses the answer it was sent (the fuzzer saw 1 in 12 oversized
 * bodies end that way). So: end only our side, keep reading and dropping what still comes (never
 * kept), and cut the connection after `ms`, by which time the client has read its answer.
 * Call before the answer is sent.
 */
export function lingeringClose(request: IncomingMessage, ms: number): void {
  const { socket } = request;
  request.removeAllListeners('data');
  request.resume();
  socket.destroySoon = () => {
    socket.end();
  };
  setTimeout(() => socket.destroy(), ms).unref();
}
