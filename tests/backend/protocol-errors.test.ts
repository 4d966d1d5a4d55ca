/**
 * Requests that never reach a request handler (backend/protocol-errors.ts) get contract JSON from
 * both local servers, over real sockets: what Node cannot parse, headers over 16 KiB, an Expect
 * other than 100-continue, CONNECT, and a request cut short. Node alone answers them with an
 * empty body (and CONNECT with nothing), so each assertion here fails without the module.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../public-api/contract.ts';
import { exchange, header, type RawOutcome } from '../reliability/fuzz/raw-http.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';

const TINY = fileURLToPath(new URL('../fixtures/artifact-tiny/', import.meta.url));

let stack: InProcessStack;
beforeAll(async () => {
  stack = await startStackInProcess({ modelDir: TINY });
}, 60_000);
afterAll(() => stack.close());

type Server = 'gateway' | 'endpoint';
const PATH: Record<Server, string> = { gateway: '/sentiment', endpoint: '/invocations' };
const port = (server: Server): number => (server === 'gateway' ? stack.gateway.port : stack.endpoint.port);

function send(server: Server, request: string, endAfterWrite = false): Promise<RawOutcome> {
  return exchange({ host: '127.0.0.1', port: port(server) }, Buffer.from(request, 'latin1'), {
    timeoutMs: 8000,
    endAfterWrite,
  });
}

/** The answer's status, code and message, checked to be the contract's error JSON. */
function contractError(server: Server, outcome: RawOutcome): { code: ErrorCode; message: string; allow?: string } {
  if (outcome.kind !== 'response') throw new Error(`expected an answer, got ${outcome.kind}`);
  const { response } = outcome;
  expect(header(response, 'content-type')).toMatch(/^application\/json/);
  expect(header(response, 'connection')).toBe('close');
  if (server === 'gateway') expect(header(response, 'access-control-allow-origin')).toBe('*');
  const body = JSON.parse(response.body.toString('utf8')) as { error: { code: ErrorCode; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(ERROR_STATUS[body.error.code]).toBe(response.status);
  const allow = header(response, 'allow');
  return { ...body.error, ...(allow === undefined ? {} : { allow }) };
}

describe.each<Server>(['gateway', 'endpoint'])('the %s, for requests Node answers before any handler', (server) => {
  const path = PATH[server];

  it('an unknown method: 400 MALFORMED_REQUEST that says why', async () => {
    const error = contractError(server, await send(server, `FOO ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toMatch(/method is not one HTTP defines/);
  });

  it('a lower-case method (methods are case-sensitive): 400 MALFORMED_REQUEST, with its body', async () => {
    const error = contractError(server, await send(server, `head ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(error.code).toBe('MALFORMED_REQUEST');
  });

  it('Content-Length with Transfer-Encoding: 400 MALFORMED_REQUEST', async () => {
    const request = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\ngreat\r\n0\r\n\r\n`;
    const error = contractError(server, await send(server, request));
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toMatch(/Transfer-Encoding/);
  });

  it('a request cut short, then half-closed: 400 MALFORMED_REQUEST', async () => {
    const request = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 50\r\n\r\ngreat`;
    const error = contractError(server, await send(server, request, true));
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toMatch(/closed before the request was complete/);
  });

  it('headers over 16 KiB: 431 HEADERS_TOO_LARGE', async () => {
    const request = `POST ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const error = contractError(server, await send(server, request));
    expect(error.code).toBe('HEADERS_TOO_LARGE');
    expect(error.message).toMatch(/16 KiB/);
  });

  it('an Expect other than 100-continue: 417 EXPECTATION_FAILED', async () => {
    const request = `POST ${path} HTTP/1.1\r\nHost: x\r\nExpect: fail\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ngreat`;
    const error = contractError(server, await send(server, request));
    expect(error.code).toBe('EXPECTATION_FAILED');
    expect(error.message).toMatch(/"fail".*100-continue/);
  });

  it('CONNECT: 405 METHOD_NOT_ALLOWED with Allow (Node would close without a word)', async () => {
    const error = contractError(server, await send(server, 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(error.code).toBe('METHOD_NOT_ALLOWED');
    expect(error.allow).toBe(server === 'gateway' ? 'POST, OPTIONS' : 'GET, HEAD, POST');
  });

  it('HTTP/1.1 without Host: 400 MALFORMED_REQUEST that names the header', async () => {
    const request = `POST ${path} HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ngreat`;
    const error = contractError(server, await send(server, request));
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toMatch(/no Host header/);
  });

  it('a header flood still being sent after the 431: the answer arrives, not a reset', async () => {
    // The client writes 256 KiB of headers in pieces and reads only afterwards: the answer waits
    // in its socket buffer, where a reset from the server (cutting the connection with the rest
    // of the flood unread) would discard it. Each piece after the first reports the parse error again.
    const socket = connect({ host: '127.0.0.1', port: port(server) });
    await once(socket, 'connect');
    socket.pause();
    const errors: string[] = [];
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\n`);
    for (let piece = 0; piece < 8 && errors.length === 0; piece++) {
      socket.write('X-Flood: aaaaaaaaaaaaaaaa\r\n'.repeat(1200));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.resume();
    await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 8000))]);
    socket.destroy();
    expect(errors).toEqual([]);
    expect(received).toMatch(/^HTTP\/1\.1 431 [^]*"code":"HEADERS_TOO_LARGE"/);
  });

  it('a good request with garbage pipelined after it: 200, then 400, in that order', async () => {
    const socket = connect({ host: '127.0.0.1', port: port(server) });
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ngreat` +
        '\u0001\u0002 not http\r\n\r\n',
    );
    await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 8000))]);
    socket.destroy();
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((answer) => answer.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 400']);
    expect(answers[1]).toMatch(/"code":"MALFORMED_REQUEST"/);
  });

  it('a kept-alive connection: a good request answered 200, then garbage on it answered 400', async () => {
    const socket = connect({ host: '127.0.0.1', port: port(server) });
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ngreat`);
    await vi.waitFor(() => {
      expect(received).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\n[^]*\}$/);
    }, 8000);
    socket.write('\u0001\u0002 not http\r\n\r\n');
    await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 8000))]);
    socket.destroy();
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((answer) => answer.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 400']);
    expect(answers[1]).toMatch(/"code":"MALFORMED_REQUEST"/);
  });
});
