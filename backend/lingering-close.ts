/**
 * Answers that refuse a request mid-body (413, 417, or 404/405/429 before the body is read) say
 * `Connection: close`, and Node ends such an answer with socket.destroySoon(). With the client
 * still sending, closing a socket that has unread bytes makes the kernel send a reset, and the
 * client, failing to write, often loses the answer it was sent (the fuzzer saw 1 in 12 oversized
 * bodies end that way). So: end only our side, keep reading and dropping what still comes (never
 * kept), and cut the connection after LINGER_MS, by which time the client has read its answer.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export const LINGER_MS = 2000;

/** For an answer through a ServerResponse: call before the answer is sent. */
export function lingeringClose(request: IncomingMessage): void {
  const { socket } = request;
  request.removeAllListeners('data');
  request.resume();
  socket.destroySoon = () => {
    socket.end();
  };
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** For an answer written straight to a socket that no request owns (see protocol-errors.ts). */
export function endLingering(socket: Duplex, answer: string): void {
  socket.on('error', () => undefined);
  socket.resume();
  socket.end(answer);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
