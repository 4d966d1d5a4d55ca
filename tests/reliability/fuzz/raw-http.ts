/**
 * HTTP/1.1 over a bare TCP socket, for what fetch and node:http cannot send: any bytes, any
 * method or header, bodies that lie about their length, requests cut short or trickled in. The
 * answer is parsed strictly (status line, headers, framing), so a reply that is not a well-formed
 * HTTP response shows as `malformed`, and a server that never answers shows as `timeout`.
 */
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly version: string;
  readonly status: number;
  /** Header names in lower case, in order; repeated names keep every value. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** Interim (1xx) statuses that came first, e.g. 100 Continue. */
  readonly interim: readonly number[];
}

export type RawOutcome =
  | { readonly kind: 'response'; readonly response: RawResponse; readonly ms: number }
  /** The server closed or reset the connection without a complete response. */
  | { readonly kind: 'closed'; readonly ms: number; readonly received: number; readonly reset: boolean }
  /** Bytes came back that are not an HTTP/1.x response. */
  | { readonly kind: 'malformed'; readonly ms: number; readonly reason: string; readonly head: string }
  | { readonly kind: 'timeout'; readonly ms: number; readonly received: number };

/** One piece of a request: bytes to write, or a pause (slow clients). */
export type WriteStep = Uint8Array | { readonly pauseMs: number };

export interface ExchangeOptions {
  /** The request's method, to know that a HEAD answer has no body. Default: read from the bytes. */
  readonly method?: string;
  /** How long to wait for a complete answer, from the first byte written. */
  readonly timeoutMs: number;
  /** Half-close the connection after the last step (the client says it will send nothing more). */
  readonly endAfterWrite?: boolean;
}

export function header(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key === name)?.[1];
}

/**
 * Sends `steps` on a new connection and reads one answer. Writing stops as soon as a complete
 * answer has arrived (a server may refuse a body before it is all sent), and the socket is
 * destroyed once the outcome is known.
 */
export function exchange(
  target: { readonly host: string; readonly port: number },
  steps: Uint8Array | readonly WriteStep[],
  options: ExchangeOptions,
): Promise<RawOutcome> {
  const plan = steps instanceof Uint8Array ? [steps] : steps;
  const method = options.method ?? methodOf(plan);
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: target.host, port: target.port, noDelay: true });
    let received = Buffer.alloc(0);
    let settled = false;
    let reset = false;
    const finish = (outcome: RawOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout', ms: elapsed(), received: received.length });
    }, options.timeoutMs);
    const tryParse = (ended: boolean): void => {
      const parsed = parseResponse(received, method, ended);
      if (parsed.state === 'complete') finish({ kind: 'response', response: parsed.response, ms: elapsed() });
      else if (parsed.state === 'malformed')
        finish({
          kind: 'malformed',
          ms: elapsed(),
          reason: parsed.reason,
          head: received.subarray(0, 200).toString('latin1'),
        });
      else if (ended) finish({ kind: 'closed', ms: elapsed(), received: received.length, reset });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse(false);
    });
    socket.on('end', () => {
      tryParse(true);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after a complete answer is fine (the server refused the rest of our body).
      reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
      tryParse(true);
    });
    socket.on('close', () => {
      tryParse(true);
    });
    socket.once('connect', () => {
      void (async () => {
        for (const step of plan) {
          if (settled || socket.destroyed) return;
          if (step instanceof Uint8Array) {
            if (step.length === 0) continue;
            const flushed = socket.write(step);
            if (!flushed) await waitForDrain(socket);
          } else {
            await new Promise((done) => setTimeout(done, step.pauseMs));
          }
        }
        if (options.endAfterWrite === true && !settled && !socket.destroyed) socket.end();
      })();
    });
  });
}

function waitForDrain(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

function methodOf(plan: readonly WriteStep[]): string {
  const first = plan.find((step): step is Uint8Array => step instanceof Uint8Array && step.length > 0);
  if (first === undefined) return '';
  const line = Buffer.from(first.subarray(0, 64)).toString('latin1');
  return line.split(' ', 1)[0] ?? '';
}

type Parsed =
  | { readonly state: 'incomplete' }
  | { readonly state: 'complete'; readonly response: RawResponse }
  | { readonly state: 'malformed'; readonly reason: string };

const STATUS_LINE = /^(HTTP\/1\.[01]) ([1-5]\d\d)(?: [\t\x20-\x7e\x80-\xff]*)?$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * One response from the start of `bytes` (skipping 1xx interim ones). `ended`: the server has
 * closed its side, so a body without a length ends here.
 */
export function parseResponse(bytes: Buffer, method: string, ended: boolean): Parsed {
  const interim: number[] = [];
  let offset = 0;
  for (;;) {
    const headEnd = bytes.indexOf('\r\n\r\n', offset, 'latin1');
    if (headEnd === -1) {
      if (bytes.length - offset > MAX_HEAD_BYTES) return { state: 'malformed', reason: 'response head too long' };
      // What has come so far cannot become an HTTP/1.x status line.
      if (bytes.length > offset && !'HTTP/1.'.startsWith(bytes.subarray(offset, offset + 7).toString('latin1')))
        return { state: 'malformed', reason: 'not an HTTP/1.x status line' };
      return { state: 'incomplete' };
    }
    const lines = bytes.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const statusMatch = STATUS_LINE.exec(lines[0] ?? '');
    if (statusMatch === null) return { state: 'malformed', reason: `bad status line ${JSON.stringify(lines[0])}` };
    const version = statusMatch[1] ?? '';
    const status = Number(statusMatch[2]);
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const match = HEADER_LINE.exec(line);
      if (match === null) return { state: 'malformed', reason: `bad header line ${JSON.stringify(line)}` };
      headers.push([(match[1] ?? '').toLowerCase(), match[2] ?? '']);
    }
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200) {
      interim.push(status);
      offset = bodyStart;
      continue;
    }
    const framed = readBody(bytes, bodyStart, headers, status, method, ended);
    if (framed.state !== 'complete') return framed;
    return { state: 'complete', response: { version, status, headers, body: framed.body, interim } };
  }
}

function readBody(
  bytes: Buffer,
  start: number,
  headers: readonly (readonly [string, string])[],
  status: number,
  method: string,
  ended: boolean,
): { state: 'complete'; body: Buffer } | { state: 'incomplete' } | { state: 'malformed'; reason: string } {
  // Methods are case-sensitive: a lower-case `head` is refused like any unknown method, with a body.
  if (method === 'HEAD' || status === 204 || status === 304) return { state: 'complete', body: Buffer.alloc(0) };
  const lengths = headers.filter(([name]) => name === 'content-length').map(([, value]) => value);
  const chunked = headers.some(([name, value]) => name === 'transfer-encoding' && /chunked/i.test(value));
  if (chunked && lengths.length > 0) return { state: 'malformed', reason: 'both Content-Length and chunked' };
  if (chunked) return readChunked(bytes, start);
  if (lengths.length > 0) {
    if (new Set(lengths).size !== 1 || !/^\d+$/.test(lengths[0] ?? ''))
      return { state: 'malformed', reason: `bad Content-Length ${JSON.stringify(lengths)}` };
    const length = Number(lengths[0]);
    if (bytes.length - start < length) return { state: 'incomplete' };
    return { state: 'complete', body: bytes.subarray(start, start + length) };
  }
  // No framing: the body runs to the end of the connection.
  return ended ? { state: 'complete', body: bytes.subarray(start) } : { state: 'incomplete' };
}

function readChunked(
  bytes: Buffer,
  start: number,
): { state: 'complete'; body: Buffer } | { state: 'incomplete' } | { state: 'malformed'; reason: string } {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at, 'latin1');
    if (lineEnd === -1) return { state: 'incomplete' };
    const sizeText = bytes.subarray(at, lineEnd).toString('latin1').split(';', 1)[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return { state: 'malformed', reason: 'bad chunk size' };
    const size = parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) {
      // Trailers, then an empty line.
      const end = bytes.indexOf('\r\n\r\n', at - 2, 'latin1');
      if (end === -1) return { state: 'incomplete' };
      return { state: 'complete', body: Buffer.concat(parts) };
    }
    if (bytes.length < at + size + 2) return { state: 'incomplete' };
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
}
