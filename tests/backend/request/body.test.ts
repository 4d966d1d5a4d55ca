/**
 * The one limited body reader (backend/request/body.ts) on a stand-in request stream: the
 * declared length refused before reading (and before a 100 Continue), a streamed body refused as
 * soon as it passes the limit, nothing past it kept, a client that hangs up told apart.
 */
import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../backend/http-error.ts';
import { ClientGoneError, readLimitedBody } from '../../../backend/request/index.ts';

const LIMIT = 10;
const REFUSAL = 'The request body is over the limit of 10 bytes; send fewer or shorter reviews.';

/** A request stream with headers, as node:http hands one to a server. */
function requestOf(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

async function refusalOf(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('readLimitedBody', () => {
  it('resolves the bytes of a body in chunks, up to exactly the limit', async () => {
    const request = requestOf();
    const body = readLimitedBody(request, LIMIT);
    request.write('abcd');
    request.write(Buffer.from('éfgh')); // 5 bytes: 9 so far
    request.end('i');
    expect((await body).toString('utf8')).toBe('abcdéfghi');
  });

  it('resolves an empty body', async () => {
    const request = requestOf({ 'content-length': '0' });
    const body = readLimitedBody(request, LIMIT);
    request.end();
    expect((await body).length).toBe(0);
  });

  it('refuses a declared Content-Length over the limit before reading, and does not accept it', async () => {
    const request = requestOf({ 'content-length': String(LIMIT + 1) });
    let accepted = false;
    const error = await refusalOf(
      readLimitedBody(request, LIMIT, {
        onAccept: () => {
          accepted = true;
        },
      }),
    );
    expect(error).toMatchObject({ code: 'BODY_TOO_LARGE', status: 413, message: REFUSAL });
    expect(error.headers).toEqual({ Connection: 'close' });
    expect(accepted).toBe(false);
    expect(request.listenerCount('data')).toBe(0);
  });

  it('accepts a declared length within the limit before reading it', async () => {
    const request = requestOf({ 'content-length': String(LIMIT) });
    const order: string[] = [];
    const body = readLimitedBody(request, LIMIT, { onAccept: () => order.push('accepted') });
    order.push('returned');
    request.end('0123456789');
    expect((await body).length).toBe(LIMIT);
    expect(order).toEqual(['accepted', 'returned']);
  });

  it('refuses a streamed body as soon as it passes the limit, and stops reading', async () => {
    const request = requestOf();
    const body = readLimitedBody(request, LIMIT);
    request.write('0123456789');
    request.write('x'); // one byte over; the stream is never ended
    const error = await refusalOf(body);
    expect(error).toMatchObject({ code: 'BODY_TOO_LARGE', message: REFUSAL, headers: { Connection: 'close' } });
    expect(request.isPaused()).toBe(true);
    expect(request.listenerCount('data')).toBe(0);
  });

  it('tells a client that hangs up mid-body apart from a refusal', async () => {
    const request = requestOf();
    const body = readLimitedBody(request, LIMIT);
    request.write('abc');
    request.destroy();
    await expect(body).rejects.toBeInstanceOf(ClientGoneError);
  });
});
