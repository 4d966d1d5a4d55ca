/**
 * The two local servers' HTTP plumbing: `createHttpServer` makes a node:http server with the
 * timeouts both need, and `listen` starts it on a port (0 = any free one) and hands back what
 * callers need: its URL and a close() that lets in-flight requests finish. A taken port is a
 * clear error. `listen` also keeps track of the exchange on each connection, which both the close
 * and the answers to requests Node refuses itself (protocol-errors.ts) depend on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { answerProtocolErrors, type Exchange, type ProtocolErrorOptions } from './protocol-errors.ts';

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

// A request must arrive whole within 30 s, its headers within 10 s, so slow clients cannot hold
// sockets. Node looks for requests past those timeouts every `connectionsCheckingInterval`, 30 s
// by default, which let a slow client hold a socket up to 40 s for the 10 s header timeout.
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * A node:http server with the shared timeouts. Node's own Host check is off: its 400 has an empty
 * body, and the servers ask `missingHost` (protocol-errors.ts) instead, answering contract JSON.
 */
export function createHttpServer(options: { keepAliveTimeoutMs: number }): Server {
  const server = createServer({ connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS, requireHostHeader: false });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  return server;
}

export async function listen(
  server: Server,
  options: { port: number; host?: string; portVariable?: string; protocolErrors: ProtocolErrorOptions },
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  // server.close() only closes the keep-alive connections idle at that moment: one whose request
  // is still in flight would stay open after its answer (until the keep-alive timeout, 65 s on
  // the endpoint server) and hold the close up. So answers that go out once closing has begun say
  // `Connection: close`, and Node ends their connection once the answer is sent.
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const latest = new WeakMap<Duplex, Exchange>();
  const track = (request: IncomingMessage, response: ServerResponse): void => {
    if (closing && !response.headersSent) response.setHeader('Connection', 'close');
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    latest.set(request.socket, { request, response });
  };
  server.prependListener('request', track);
  // Only where the server handles Expect: 100-continue itself: a listener there stops Node's own handling.
  if (server.listenerCount('checkContinue') > 0) server.prependListener('checkContinue', track);
  answerProtocolErrors(server, options.protocolErrors, (socket) => latest.get(socket));

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
