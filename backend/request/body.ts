/**
 * The body byte limit (REELSENSE_MAX_BODY_BYTES): the one place where a body over it becomes
 * 413 BODY_TOO_LARGE, for every server. A server that reads a Node stream (the endpoint server,
 * the local gateway) reads it with `readLimitedBody`, which refuses a declared Content-Length over
 * the limit before reading and stops as soon as a streamed body passes it, so nothing past the
 * limit is kept. A body that arrives whole (the Lambda's event) is measured by `checkBodySize`.
 */
import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http-error.ts';
import { count } from './words.ts';

/** The refusal of a body over the limit; one sentence, whichever way the body came. */
function bodyTooLarge(maxBodyBytes: number, headers: Readonly<Record<string, string>> = {}): HttpError {
  return new HttpError(
    'BODY_TOO_LARGE',
    `The request body is over the limit of ${count(maxBodyBytes)} bytes; send fewer or shorter reviews.`,
    headers,
  );
}

/** Throws BODY_TOO_LARGE for a body of `bytes` bytes over the limit. */
export function checkBodySize(bytes: number, maxBodyBytes: number): void {
  if (bytes > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
}

/** The client hung up mid-body: nobody to answer, and nothing to log. */
export class ClientGoneError extends Error {
  override readonly name: string = 'ClientGoneError';
  constructor() {
    super('The client closed the connection before its body arrived.');
  }
}

export interface ReadOptions {
  /** Called once the declared length is within the limit, before reading: where a 100 Continue goes out. */
  readonly onAccept?: () => void;
}

/**
 * The body's bytes. Rejects with BODY_TOO_LARGE (with `Connection: close`: the unread rest makes
 * the connection unusable for another request) or with ClientGoneError.
 */
export function readLimitedBody(
  request: IncomingMessage,
  maxBodyBytes: number,
  options: ReadOptions = {},
): Promise<Buffer> {
  const tooLarge = (): HttpError => bodyTooLarge(maxBodyBytes, { Connection: 'close' });
  // A missing or unparseable Content-Length is NaN, never over the limit: then the count decides.
  if (Number(request.headers['content-length']) > maxBodyBytes) return Promise.reject(tooLarge());
  options.onAccept?.();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBodyBytes) {
        cleanup();
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, bytes));
    };
    const onAbort = (): void => {
      cleanup();
      reject(new ClientGoneError());
    };
    const cleanup = (): void => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
