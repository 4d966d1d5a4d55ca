/**
 * Contract answers for requests that never reach a request handler: HTTP Node cannot parse, a
 * header section over its size limit, a client too slow to send its request, an Expect other than
 * 100-continue, CONNECT, and (through `missingHost`) an HTTP/1.1 request without Host. Left to Node, these get a bare status with an empty body (and CONNECT
 * no answer at all); here each gets the contract's `{"error": {"code", "message"}}` like every
 * other error, so a client (or a person with curl) always learns what was wrong.
 * Both local servers use it; in AWS, API Gateway and SageMaker answer these themselves.
 */
import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from './http-error.ts';
import { lingeringClose } from './listen.ts';

export interface ProtocolErrorOptions {
  /** Headers every answer carries (the gateway's CORS headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The methods the server takes, for the `Allow` header of the answer to CONNECT. */
  readonly allow: string;
}

// How long what a refused client still sends is read and dropped, so it can read its answer.
const LINGER_MS = 2000;

// Sentences for the parse errors a client is most likely to cause; others use llhttp's reason.
const PARSE_ERRORS: Readonly<Record<string, string>> = {
  HPE_INVALID_EOF_STATE: 'the connection was closed before the request was complete',
  HPE_INVALID_METHOD: 'the method is not one HTTP defines (methods are upper case)',
  HPE_INVALID_TRANSFER_ENCODING: 'its Transfer-Encoding is not chunked, or comes with a Content-Length',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'it has both a Content-Length and a Transfer-Encoding',
  HPE_INVALID_CONTENT_LENGTH: 'its Content-Length is not one whole number',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'its chunk extensions are over 16 KiB',
};

export function answerProtocolErrors(server: Server, options: ProtocolErrorOptions): void {
  const extra = options.headers ?? {};
  // The answer in progress on each connection: once its headers are out, a second answer would
  // corrupt the stream, so the connection is only closed.
  const current = new WeakMap<Duplex, ServerResponse>();
  const track = (request: IncomingMessage, response: ServerResponse): void => {
    current.set(request.socket, response);
    response.once('finish', () => {
      if (current.get(request.socket) === response) current.delete(request.socket);
    });
  };
  server.prependListener('request', track);
  // Only where the server handles Expect: 100-continue itself: a listener there stops Node's own handling.
  if (server.listenerCount('checkContinue') > 0) server.prependListener('checkContinue', track);

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || current.get(socket)?.headersSent === true || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    writeRaw(socket, fromClientError(error, server), extra);
  });

  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    const refusal = new HttpError(
      'METHOD_NOT_ALLOWED',
      'The method CONNECT is not allowed: this server is not a proxy.',
      {
        Allow: options.allow,
      },
    );
    writeRaw(socket, refusal, extra);
  });

  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const expectation = String(request.headers.expect).slice(0, 40);
    const refusal = new HttpError(
      'EXPECTATION_FAILED',
      `The expectation ${JSON.stringify(expectation)} cannot be met; the only one supported is 100-continue.`,
    );
    // The body may follow anyway: read and drop it so the client gets to read the answer.
    lingeringClose(request, LINGER_MS);
    const json = JSON.stringify(refusal.toBody());
    response.writeHead(refusal.status, {
      ...extra,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
      Connection: 'close',
    });
    response.end(json);
  });
}

/**
 * Node's own check for the Host header that HTTP/1.1 requires answers 400 with an empty body, so
 * both servers turn it off (`requireHostHeader: false`) and ask this first instead.
 */
export function missingHost(request: IncomingMessage): HttpError | undefined {
  if (request.httpVersionMajor !== 1 || request.httpVersionMinor !== 1 || request.headers.host !== undefined) {
    return undefined;
  }
  return new HttpError(
    'MALFORMED_REQUEST',
    'The request is not valid HTTP/1.1: it has no Host header. Nothing was processed.',
  );
}

function fromClientError(error: NodeJS.ErrnoException, server: Server): HttpError {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new HttpError(
      'HEADERS_TOO_LARGE',
      `The request line and headers are over ${maxHeaderSize / 1024} KiB; send a shorter path and fewer or smaller headers.`,
    );
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new HttpError(
      'REQUEST_TIMEOUT',
      `The request did not arrive in time: its headers must come within ${server.headersTimeout / 1000} s ` +
        `and the whole request within ${server.requestTimeout / 1000} s.`,
    );
  }
  const reason = PARSE_ERRORS[error.code ?? ''] ?? llhttpReason(error);
  return new HttpError('MALFORMED_REQUEST', `The request is not valid HTTP/1.1: ${reason}. Nothing was processed.`);
}

// llhttp's own reason ("Invalid header value char"), lower-cased to sit inside the sentence.
function llhttpReason(error: NodeJS.ErrnoException): string {
  const { reason } = error as { reason?: unknown };
  if (typeof reason !== 'string' || reason === '') return 'it could not be parsed';
  return (
    reason.charAt(0).toLowerCase() +
    reason
      .slice(1)
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 100)
  );
}

/**
 * The answer written straight to the socket (there is no ServerResponse for a request that could
 * not be parsed), then our side closed. What the client still sends is read and dropped until it
 * stops or LINGER_MS pass: closing with unread bytes would reset the connection and lose the answer.
 */
function writeRaw(socket: Duplex, error: HttpError, extra: Readonly<Record<string, string>>): void {
  const body = JSON.stringify(error.toBody());
  const headers = {
    ...extra,
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  socket.on('error', () => undefined);
  socket.resume();
  socket.end(`${head}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
