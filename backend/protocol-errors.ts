/**
 * Contract answers for requests that never reach a request handler: HTTP Node cannot parse, a
 * header section over its size limit, a client too slow to send its request, an Expect other
 * than 100-continue, CONNECT, and (through `missingHost`) an HTTP/1.1 request without Host. Left
 * to Node, these get a bare status with an empty body (and CONNECT no answer at all); here each
 * gets the contract's `{"error": {"code", "message"}}` like every other error, so a client (or a
 * person with curl) always learns what was wrong. Both local servers use it; in AWS, API Gateway
 * and SageMaker answer these themselves.
 */
import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from './http-error.ts';
import { endLingering, lingeringClose } from './lingering-close.ts';

export interface ProtocolErrorOptions {
  /** Headers every answer carries (the gateway's CORS headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The methods the server takes, for the `Allow` header of the answer to CONNECT. */
  readonly allow: string;
}

/** The last request a connection carried, and its answer (listen.ts keeps them). */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

// Sentences for the parse errors a client is most likely to cause; others use llhttp's reason.
const PARSE_ERRORS: Readonly<Record<string, string>> = {
  HPE_INVALID_EOF_STATE: 'the connection was closed before the request was complete',
  HPE_INVALID_METHOD: 'the method is not one HTTP defines (methods are upper case)',
  HPE_INVALID_TRANSFER_ENCODING: 'its Transfer-Encoding is not chunked, or comes with a Content-Length',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'it has both a Content-Length and a Transfer-Encoding',
  HPE_INVALID_CONTENT_LENGTH: 'its Content-Length is not one whole number',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'its chunk extensions are over 16 KiB',
};

/** Called by listen(), which knows each connection's last exchange. */
export function answerProtocolErrors(
  server: Server,
  options: ProtocolErrorOptions,
  exchangeOn: (socket: Duplex) => Exchange | undefined,
): void {
  const extra = options.headers ?? {};
  const answered = new WeakSet<Duplex>();

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser stays in error and reports again for every later chunk: one answer is enough,
    // and the lingering close ends the connection.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = rawAnswer(fromClientError(error, server), extra);
    const pending = exchangeOn(socket);
    if (pending === undefined || pending.response.writableFinished) {
      endLingering(socket, answer);
    } else if (pending.request.complete) {
      // Pipelined: the bad bytes follow a whole request still being answered. HTTP answers in
      // order, so this answer goes out after that one (Node's own would have jumped ahead of it).
      pending.response.once('finish', () => {
        endLingering(socket, answer);
      });
      pending.response.once('close', () => {
        if (!pending.response.writableFinished) socket.destroy();
      });
    } else if (pending.response.headersSent) {
      // The bad request is the one being answered already: a second answer would corrupt the stream.
      socket.destroy();
    } else {
      // The request being read is the bad one (cut short, or too slow): this is its answer.
      endLingering(socket, answer);
    }
  });

  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    const refusal = new HttpError(
      'METHOD_NOT_ALLOWED',
      'The method CONNECT is not allowed: this server is not a proxy.',
      { Allow: options.allow },
    );
    endLingering(socket, rawAnswer(refusal, extra));
  });

  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const expectation = String(request.headers.expect).slice(0, 40);
    const refusal = new HttpError(
      'EXPECTATION_FAILED',
      `The expectation ${JSON.stringify(expectation)} cannot be met; the only one supported is 100-continue.`,
    );
    // The body may follow anyway: read and drop it so the client gets to read the answer.
    lingeringClose(request);
    const { head, body } = answerParts(refusal, extra);
    response.writeHead(refusal.status, head);
    response.end(body);
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
    { Connection: 'close' },
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

function answerParts(
  error: HttpError,
  extra: Readonly<Record<string, string>>,
): { head: Record<string, string>; body: string } {
  const body = JSON.stringify(error.toBody());
  const head = {
    ...extra,
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  return { head, body };
}

/** The whole answer as bytes for the socket: there is no ServerResponse for a request Node could not parse. */
function rawAnswer(error: HttpError, extra: Readonly<Record<string, string>>): string {
  const { head, body } = answerParts(error, extra);
  const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
