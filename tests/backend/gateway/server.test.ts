/**
 * The local gateway over real HTTP: the proxy event the handler receives, the result written
 * back, API Gateway's routing (404, 405), the body limit (413 before the body is all sent), the
 * access log, and the CLI that starts it.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEndpointClient } from '../../../backend/api/endpoint-client.ts';
import { createHandler } from '../../../backend/api/handler.ts';
import { DEFAULT_LIMITS, type Limits } from '../../../public-api/contract.ts';
import { configureLocalEndpoint } from '../../../backend/gateway/cli.ts';
import { startGateway, type ProxyHandler } from '../../../backend/gateway/server.ts';
import { PortInUseError, type RunningServer } from '../../../backend/listen.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LIMITS: Limits = { ...DEFAULT_LIMITS, maxBodyBytes: 1024 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(
  url: string,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}${options.path ?? '/sentiment'}`,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const jsonOf = (answer: Answer): unknown => JSON.parse(answer.body.toString('utf8'));

/** A gateway around a handler that records the events it gets. */
async function recording(result: Partial<APIGatewayProxyResult> = {}, limits: Limits = LIMITS) {
  const events: APIGatewayProxyEvent[] = [];
  const log: string[] = [];
  const handler: ProxyHandler = (event) => {
    events.push(event);
    return Promise.resolve({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'handled', ...result });
  };
  const gateway = await startGateway({ port: 0, handler, limits, log: (line) => log.push(line) });
  cleanups.push(() => gateway.close());
  return { gateway, events, log };
}

/** A stand-in for the endpoint server: a positive prediction per instance. */
async function endpointStandIn(): Promise<{ url: string; instances: string[][] }> {
  const instances: string[][] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { instances: string[] };
      instances.push(body.instances);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          predictions: body.instances.map(() => ({ label: 'positive', score: 0.9, readable: 1 })),
          model: 'm',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, instances };
}

/** The gateway around the real Lambda handler, pointed at an endpoint stand-in. */
async function realStack(): Promise<{ gateway: RunningServer; instances: string[][] }> {
  const endpoint = await endpointStandIn();
  const client = createEndpointClient(5000, {
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  cleanups.push(() => {
    client.destroy();
  });
  const handler = createHandler({ client, endpointName: 'local', limits: LIMITS, log: () => undefined });
  const gateway = await startGateway({ port: 0, handler, limits: LIMITS, log: () => undefined });
  cleanups.push(() => gateway.close());
  return { gateway, instances: endpoint.instances };
}

describe('gateway: the event the handler receives', () => {
  it('is the REST API v1 proxy shape', async () => {
    const { gateway, events } = await recording();
    const before = Date.now();
    await send(gateway.url, {
      path: '/sentiment?x=1&x=2&y=a%20b',
      headers: { 'Content-Type': 'text/plain', 'X-Custom': ['first', 'second'] },
      body: 'A fine film.',
    });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      resource: '/sentiment',
      path: '/sentiment',
      httpMethod: 'POST',
      queryStringParameters: { x: '2', y: 'a b' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['a b'] },
      pathParameters: null,
      stageVariables: null,
      body: 'A fine film.',
      isBase64Encoded: false,
      requestContext: {
        httpMethod: 'POST',
        stage: 'local',
        path: '/local/sentiment',
        resourcePath: '/sentiment',
        protocol: 'HTTP/1.1',
        identity: { sourceIp: '127.0.0.1', apiKey: null },
      },
    });
    // Header names as the client spelled them; `headers` has the last value, multiValueHeaders all.
    expect(event?.headers['Content-Type']).toBe('text/plain');
    expect(event?.headers['X-Custom']).toBe('second');
    expect(event?.multiValueHeaders['X-Custom']).toEqual(['first', 'second']);
    expect(event?.requestContext.requestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event?.requestContext.requestTimeEpoch).toBeGreaterThanOrEqual(before);
    expect(event?.requestContext.requestTimeEpoch).toBeLessThanOrEqual(Date.now());

    await send(gateway.url, { method: 'OPTIONS' });
    expect(events[1]).toMatchObject({
      httpMethod: 'OPTIONS',
      body: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    });
    expect(events[1]?.requestContext.requestId).not.toBe(event?.requestContext.requestId);
  });

  it('passes a body that is not UTF-8 as base64, flagged', async () => {
    const { gateway, events } = await recording();
    const bytes = Buffer.from([0xff, 0x00, 0x80, 0x41, 0xc3]);
    await send(gateway.url, { headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
    expect(events[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(events[0]?.body ?? '', 'base64')).toEqual(bytes);
  });

  it('keeps a header named __proto__ as a header', async () => {
    const { gateway, events } = await recording();
    const headers: OutgoingHttpHeaders = { 'Content-Type': 'text/plain' };
    Object.defineProperty(headers, '__proto__', { value: 'x', enumerable: true }); // an own property, not the prototype
    await send(gateway.url, { headers, body: 'x' });
    expect(Object.hasOwn(events[0]?.headers ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(events[0]?.multiValueHeaders)).toBe(Object.prototype);
  });

  it('writes the result back: status, headers, multi-value headers, a base64 body decoded', async () => {
    const { gateway } = await recording({
      statusCode: 201,
      headers: { 'X-Count': 3, 'X-Flag': true },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    });
    const answer = await send(gateway.url, { body: 'x' });
    expect(answer.status).toBe(201);
    expect(answer.headers).toMatchObject({
      'x-count': '3',
      'x-flag': 'true',
      'set-cookie': ['a=1', 'b=2'],
      'content-length': '4',
    });
    expect(answer.body).toEqual(Buffer.from([0, 1, 2, 255]));
  });
});

describe('gateway: routing as API Gateway does', () => {
  it.each([
    ['GET', '/'],
    ['POST', '/'],
    ['POST', '/sentiments'],
    ['POST', '/sentiment/extra'],
    ['GET', '/favicon.ico'],
  ])('%s %s -> 404 NOT_FOUND as contract JSON with CORS', async (method, path) => {
    const { gateway, events } = await recording();
    const answer = await send(gateway.url, { method, path });
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(jsonOf(answer)).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('POST /sentiment') as unknown },
    });
    expect(events).toHaveLength(0);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])(
    '%s /sentiment -> 405 METHOD_NOT_ALLOWED with Allow and CORS',
    async (method) => {
      const { gateway, events } = await recording();
      const answer = await send(gateway.url, { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('POST, OPTIONS');
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(jsonOf(answer)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
      expect(events).toHaveLength(0);
    },
  );

  it.each([
    ['POST', '/sentiment/'],
    ['POST', '/sentiment?debug=1'],
    ['OPTIONS', '/sentiment'],
  ])('%s %s goes to the handler', async (method, path) => {
    const { gateway, events } = await recording();
    expect((await send(gateway.url, { method, path })).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers the preflight through the real handler', async () => {
    const { gateway } = await realStack();
    const answer = await send(gateway.url, { method: 'OPTIONS', headers: { Origin: 'https://reelsense.example' } });
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Content-Type, X-Api-Key',
      'access-control-max-age': '600',
    });
  });

  it('reads a body with no content type as one review, end to end through the handler', async () => {
    const { gateway, instances } = await realStack();
    const answer = await send(gateway.url, { body: 'What a film!' });
    expect(answer.status).toBe(200);
    expect(jsonOf(answer)).toEqual({ results: [{ label: 'positive', score: 0.9, readable: 1 }], model: 'm' });
    expect(instances).toEqual([['What a film!']]);
  });
});

describe('gateway: the body limit', () => {
  it('refuses a declared Content-Length over the limit before any body is sent', async () => {
    const { gateway, events } = await recording();
    const request = httpRequest(`${gateway.url}/sentiment`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'Content-Length': String(LIMITS.maxBodyBytes + 1) },
    });
    request.on('error', () => undefined);
    request.flushHeaders(); // headers only: a gateway that waited for the body would never answer
    const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    request.destroy();
    expect(response.statusCode).toBe(413);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual({
      error: {
        code: 'BODY_TOO_LARGE',
        message: 'The request body is over the limit of 1,024 bytes; send fewer or shorter reviews.',
      },
    });
    expect(events).toHaveLength(0);
  });

  it('refuses a streamed body as soon as it passes the limit, without waiting for the rest', async () => {
    const { gateway, events } = await recording();
    const request = httpRequest(`${gateway.url}/sentiment`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
    });
    request.on('error', () => undefined);
    // Chunked, no length: one chunk just over the limit, and the request is left open.
    request.write(Buffer.alloc(LIMITS.maxBodyBytes + 1, 0x61));
    const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
    response.resume();
    request.destroy();
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(events).toHaveLength(0);
  });

  it('answers Expect: 100-continue over the limit with 413 and no 100 Continue', async () => {
    const { gateway, events } = await recording();
    const request = httpRequest(`${gateway.url}/sentiment`, {
      method: 'POST',
      headers: { Expect: '100-continue', 'Content-Length': String(LIMITS.maxBodyBytes * 10) },
    });
    request.on('error', () => undefined);
    let continued = false;
    request.on('continue', () => (continued = true));
    request.flushHeaders();
    const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
    response.resume();
    request.destroy();
    expect(response.statusCode).toBe(413);
    expect(continued).toBe(false);
    expect(events).toHaveLength(0);
  });

  it('accepts a body exactly at the limit, and Expect: 100-continue under it', async () => {
    const { gateway, events } = await recording();
    expect((await send(gateway.url, { body: Buffer.alloc(LIMITS.maxBodyBytes, 0x61) })).status).toBe(200);
    const answer = await send(gateway.url, { headers: { Expect: '100-continue', 'Content-Length': '2' }, body: 'ok' });
    expect(answer.status).toBe(200);
    expect(events.map((event) => event.body?.length)).toEqual([LIMITS.maxBodyBytes, 2]);
  });
});

describe('gateway: logs and failures', () => {
  it('writes one access log line per request: time, method, path, status, bytes, ms', async () => {
    const { gateway, log } = await recording();
    await send(gateway.url, { body: 'x', path: '/sentiment?secret=1' });
    await send(gateway.url, { method: 'GET', path: '/nowhere' });
    await vi.waitFor(() => {
      expect(log).toHaveLength(2);
    });
    expect(log[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z POST \/sentiment 200 7 \d+\.\dms$/);
    expect(log[1]).toMatch(/^\S+ GET \/nowhere 404 \d+ \d+\.\dms$/);
  });

  it('logs a request whose client left before the answer as `-`, not as 200', async () => {
    const log: string[] = [];
    let called = false;
    let release = (): void => undefined;
    const handler: ProxyHandler = () =>
      new Promise((resolve) => {
        called = true;
        release = () => {
          resolve({ statusCode: 200, body: 'late' });
        };
      });
    const gateway = await startGateway({ port: 0, handler, limits: LIMITS, log: (line) => log.push(line) });
    cleanups.push(() => gateway.close());
    const request = httpRequest(`${gateway.url}/sentiment`, { method: 'POST' });
    request.on('error', () => undefined);
    request.end('x');
    await vi.waitFor(() => {
      expect(called).toBe(true);
    });
    request.destroy();
    await vi.waitFor(() => {
      expect(log).toHaveLength(1);
    });
    release();
    expect(log[0]).toMatch(/^\S+ POST \/sentiment - 0 \d+\.\dms$/);
  });

  it.each<[string, ProxyHandler]>([
    ['throws', () => Promise.reject(new Error('handler bug at /srv/handler.ts:12'))],
    ['returns no result', () => Promise.resolve(undefined as unknown as APIGatewayProxyResult)],
    ['returns a bad status', () => Promise.resolve({ statusCode: 42, body: 'x' })],
    [
      'returns a header Node refuses',
      () => Promise.resolve({ statusCode: 200, headers: { 'Bad\nName': 'x' }, body: 'x' }),
    ],
  ])('answers 500 INTERNAL_ERROR as JSON when the handler %s', async (_name, handler) => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const gateway = await startGateway({ port: 0, handler, limits: LIMITS, log: () => undefined });
    cleanups.push(() => gateway.close());
    const answer = await send(gateway.url, { body: 'x' });
    expect(answer.status).toBe(500);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(jsonOf(answer)).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; the request was not processed.' },
    });
  });

  it('refuses a taken port with PortInUseError naming REELSENSE_API_PORT', async () => {
    const { gateway } = await recording();
    await expect(
      startGateway({ port: gateway.port, handler: () => Promise.reject(new Error()), limits: LIMITS }),
    ).rejects.toThrow(PortInUseError);
    await expect(
      startGateway({ port: gateway.port, handler: () => Promise.reject(new Error()), limits: LIMITS }),
    ).rejects.toThrow(/REELSENSE_API_PORT/);
  });
});

describe('gateway CLI', () => {
  it('points the handler at the local endpoint server by environment, keeping what is set', () => {
    const fresh: NodeJS.ProcessEnv = { REELSENSE_ENDPOINT_PORT: '9090' };
    configureLocalEndpoint(fresh);
    expect(fresh).toMatchObject({
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:9090',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      SAGEMAKER_ENDPOINT_NAME: 'reelsense-local',
    });
    const set: NodeJS.ProcessEnv = {
      REELSENSE_ENDPOINT_URL: 'http://10.0.0.5:8080',
      AWS_REGION: 'eu-west-1',
      SAGEMAKER_ENDPOINT_NAME: 'prod',
    };
    configureLocalEndpoint(set);
    expect(set).toMatchObject({
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://10.0.0.5:8080',
      AWS_REGION: 'eu-west-1',
      SAGEMAKER_ENDPOINT_NAME: 'prod',
    });
    const flagged: NodeJS.ProcessEnv = { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://old:1' };
    configureLocalEndpoint(flagged, 'http://127.0.0.1:7000');
    expect(flagged.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME).toBe('http://127.0.0.1:7000');
  });

  /** The CLI as a user runs it, with none of this machine's AWS or ReelSense settings. */
  function cli(args: string[]) {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(AWS_|SAGEMAKER_|REELSENSE_)/.test(name)),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/gateway/cli.ts', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  it('serves the handler against --endpoint-url and closes on SIGTERM', async () => {
    const endpoint = await endpointStandIn();
    const run = cli(['--port', '0', '--endpoint-url', endpoint.url]);
    await vi.waitFor(
      () => {
        expect(run.output().stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/sentiment/);
      },
      {
        timeout: 20_000,
        interval: 50,
      },
    );
    const url = /POST (http:\/\/127\.0\.0\.1:\d+)\/sentiment/.exec(run.output().stdout)?.[1] ?? '';
    expect(run.output().stdout).toContain(`SageMaker endpoint "reelsense-local" at ${endpoint.url}`);
    const answer = await send(url, { headers: { 'Content-Type': 'application/json' }, body: '{"texts":["a","b"]}' });
    expect(answer.status).toBe(200);
    expect(endpoint.instances).toEqual([['a', 'b']]);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual([0, null]);
  });

  it('exits 1 with one clear line when the port is taken', async () => {
    const { gateway } = await recording();
    const run = cli(['--port', String(gateway.port)]);
    const [code] = await run.exited;
    expect(code).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toContain(`error [PORT_IN_USE]: Port ${gateway.port} is already in use.`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad --port clearly', async () => {
    const run = cli(['--port', '70000']);
    const [code] = await run.exited;
    expect(code).toBe(1);
    expect(run.output().stderr).toContain('--port must be a port number from 0 to 65535, not "70000".');
  });
});
