/**
 * Faults, end to end over real HTTP, each with the documented status reaching the client in
 * bounded time and the chain recovering without a restart of the gateway:
 * - the endpoint server (a real process) killed with SIGKILL under load, then started again;
 * - an endpoint that misbehaves behind the real gateway (slow, trickling, garbage, 500, dropping
 *   the connection mid-answer), then heals (how the handler maps each failure is pinned in
 *   tests/backend/api/handler.test.ts; here it is the whole chain, under concurrency, and the
 *   recovery);
 * - SIGTERM with requests in flight: they finish with 200, new connections are refused, the
 *   process exits 0 at once (not after the keep-alive timeout);
 * - slow clients (slowloris): cut off by the header timeout, not 30 s later.
 * The tests wait on processes and timers more than they compute, so they run concurrently.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, describe, it, type OnTestFinishedHandler } from 'vitest';
import { createEndpointClient } from '../../backend/api/endpoint-client.ts';
import { createHandler } from '../../backend/api/handler.ts';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode } from '../../public-api/contract.ts';
import { startGateway } from '../../backend/gateway/server.ts';
import type { RunningServer } from '../../backend/listen.ts';
import { exchange, type WriteStep } from './fuzz/raw-http.ts';
import { startStackInProcess } from '../../scripts/local-stack.ts';
import { freePort } from '../helpers/ports.ts';
import { exitWithin, waitForOutput } from '../../scripts/local-stack.ts';
import { killAll, startCli, startEndpointCli, TINY } from './processes.ts';

afterAll(killAll);

/** The test context's onTestFinished: each concurrent test cleans up after itself. */
type Cleanup = (handler: OnTestFinishedHandler) => void;

interface Answer {
  readonly status: number;
  readonly code: string | undefined;
  readonly ms: number;
}

// These tests start processes and wait on timers; on a busy machine they need more than the default 30 s.
const SLOW_TEST_MS = 60_000;

/** POST /sentiment, bounded: a request that never ends shows as status 0 after `timeoutMs`. */
async function sentiment(gatewayUrl: string, body: unknown, timeoutMs = 20_000): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${gatewayUrl}/sentiment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = 'not JSON';
    }
    return { status: response.status, code, ms: performance.now() - started };
  } catch {
    return { status: 0, code: 'no answer', ms: performance.now() - started };
  }
}

/** The real gateway and handler in-process, the AWS SDK client pointed at `endpointUrl`. */
async function gatewayTo(endpointUrl: string, timeoutMs: number, cleanup: Cleanup): Promise<RunningServer> {
  const client = createEndpointClient(timeoutMs, {
    endpoint: endpointUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const handler = createHandler({
    client,
    endpointName: 'reelsense-local',
    limits: DEFAULT_LIMITS,
    log: () => undefined,
  });
  const gateway = await startGateway({ port: 0, handler, limits: DEFAULT_LIMITS, log: () => undefined });
  cleanup(async () => {
    await gateway.close();
    client.destroy();
  });
  return gateway;
}

const REVIEW = 'A wonderful, moving film with superb acting; I loved every minute of it. '.repeat(250); // ~18,500 characters

describe.concurrent('faults', () => {
  it(
    'the endpoint server killed mid-load: in-flight requests end with 502/503 at once, and the gateway recovers when it is back',
    async ({ expect, onTestFinished }) => {
      const port = await freePort();
      const endpointUrl = `http://127.0.0.1:${port}`;
      const endpoint = await startEndpointCli(port);
      const gateway = await gatewayTo(endpointUrl, 5000, onTestFinished);
      // Heavy requests (16 reviews of ~18,500 characters each), so that many are at the endpoint when it dies.
      const heavy = { texts: Array<string>(16).fill(REVIEW) };

      const IN_FLIGHT = 32;
      let answered = 0;
      const pending = new Set<Promise<Answer>>();
      const launch = (): Promise<Answer> => {
        const request = sentiment(gateway.url, heavy).then((answer) => {
          answered++;
          pending.delete(request);
          return answer;
        });
        pending.add(request);
        return request;
      };
      let killing = false;
      const loops = Array.from({ length: IN_FLIGHT }, async () => {
        while (!killing) await launch();
      });
      // Load flows, then the process dies under it.
      while (answered < IN_FLIGHT) await new Promise((resolve) => setTimeout(resolve, 10));
      killing = true;
      const inFlight = [...pending];
      expect(endpoint.child.kill('SIGKILL')).toBe(true);
      const killedAt = performance.now();
      const outcomes = await Promise.all(inFlight);
      await Promise.all(loops);
      const settledMs = performance.now() - killedAt;

      expect(inFlight).toHaveLength(IN_FLIGHT);
      for (const outcome of outcomes) {
        // 200: answered just before the kill; otherwise the endpoint's failure, never a hang or a 500.
        expect([200, 502, 503]).toContain(outcome.status);
        if (outcome.status !== 200) expect(['ENDPOINT_UNAVAILABLE', 'ENDPOINT_ERROR']).toContain(outcome.code);
      }
      expect(outcomes.filter((o) => o.status !== 200).length).toBeGreaterThan(0);
      expect(settledMs).toBeLessThan(10_000);

      // While it is down: 503 at once.
      const down = await sentiment(gateway.url, { text: 'great' });
      expect(down).toMatchObject({ status: 503, code: 'ENDPOINT_UNAVAILABLE' });
      expect(down.ms).toBeLessThan(5000);

      // Back on the same port: the same gateway serves again, one request and a burst alike.
      await startEndpointCli(port);
      const again = [await sentiment(gateway.url, { text: 'great' })];
      again.push(...(await Promise.all(Array.from({ length: IN_FLIGHT }, () => sentiment(gateway.url, heavy)))));
      expect(again.map((a) => a.status)).toEqual(Array<number>(IN_FLIGHT + 1).fill(200));
    },
    SLOW_TEST_MS,
  );

  type Behaviour = (request: IncomingMessage, response: import('node:http').ServerResponse) => void;
  const healthy: Behaviour = (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { instances } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { instances: string[] };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          predictions: instances.map(() => ({ label: 'positive', score: 0.9, readable: 1 })),
          model: 'm',
        }),
      );
    });
  };
  const afterBody =
    (then: Behaviour): Behaviour =>
    (request, response) => {
      request.resume();
      request.on('end', () => {
        then(request, response);
      });
    };
  // [what the endpoint does, the code every client gets, how it does it, the client's timeout per attempt]
  // The timeout is short where it is what is tested, and roomy elsewhere so that a busy machine cannot turn a 502 into a 504.
  const faults: [string, ErrorCode, Behaviour, number][] = [
    ['never answers', 'ENDPOINT_TIMEOUT', () => undefined, 500],
    [
      'sends its headers, then trickles the body a byte at a time forever',
      'ENDPOINT_TIMEOUT',
      afterBody((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        const timer = setInterval(() => {
          if (response.destroyed) clearInterval(timer);
          else response.write(' ');
        }, 100);
      }),
      500,
    ],
    [
      'answers garbage',
      'ENDPOINT_ERROR',
      afterBody((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<html>oops</html>');
      }),
      5000,
    ],
    [
      'answers 500',
      'ENDPOINT_ERROR',
      afterBody((_request, response) => {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end('{"error":{"code":"INTERNAL_ERROR","message":"boom"}}');
      }),
      5000,
    ],
    [
      'drops the connection halfway through its answer',
      'ENDPOINT_UNAVAILABLE',
      afterBody((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        response.write('{"predictions":[');
        setTimeout(() => response.socket?.destroy(), 20);
      }),
      5000,
    ],
  ];

  it.for(faults)(
    'an endpoint that %s: every request ends with %s in bounded time, then the gateway recovers',
    { timeout: SLOW_TEST_MS },
    async ([, code, fault, timeoutMs], { expect, onTestFinished }) => {
      let behaviour = fault;
      const server: Server = createServer((request, response) => {
        behaviour(request, response);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      onTestFinished(() => {
        server.closeAllConnections();
        server.close();
      });
      // Two attempts at most, and the whole call within 2 x (timeout + 1 s to connect).
      const gateway = await gatewayTo(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        timeoutMs,
        onTestFinished,
      );
      const answers = await Promise.all(Array.from({ length: 8 }, () => sentiment(gateway.url, { text: 'great' })));
      for (const answer of answers) {
        expect(answer).toMatchObject({ status: ERROR_STATUS[code], code });
        expect(answer.ms).toBeLessThan(10_000);
      }
      behaviour = healthy;
      expect(await sentiment(gateway.url, { text: 'great' })).toMatchObject({ status: 200 });
    },
  );

  /** A POST whose body is half sent: in flight until `finish` sends the rest. */
  async function halfSent(url: string, path: string, contentType: string, body: string, agent: Agent) {
    const bytes = Buffer.from(body);
    const request = httpRequest(`${url}${path}`, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': contentType, 'Content-Length': bytes.length },
    });
    const response = once(request, 'response') as Promise<[IncomingMessage]>;
    request.write(bytes.subarray(0, bytes.length >> 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      finish: async () => {
        request.end(bytes.subarray(bytes.length >> 1));
        const [answer] = await response;
        const chunks: Buffer[] = [];
        for await (const chunk of answer) chunks.push(chunk as Buffer);
        return {
          status: answer.statusCode,
          connection: answer.headers.connection,
          body: Buffer.concat(chunks).toString(),
        };
      },
    };
  }

  /** Whether new connections are refused, within `ms` of shutdown beginning (the log line comes just before). */
  async function refused(url: string, ms = 3000): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        await fetch(url, { signal: AbortSignal.timeout(2000) });
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return true;
      }
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(
    'SIGTERM to the endpoint server: in-flight requests finish with 200, new connections are refused, exit 0 at once',
    async ({ expect, onTestFinished }) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const endpoint = await startEndpointCli(port);
      // A keep-alive client, as the gateway's SDK client is: its connection must not hold the exit up.
      const agent = new Agent({ keepAlive: true });
      onTestFinished(() => {
        agent.destroy();
      });
      const inFlight = await Promise.all(
        ['great great loved', 'awful boring terrible', 'loved it'].map((text) =>
          halfSent(url, '/invocations', 'text/plain', text, agent),
        ),
      );
      endpoint.child.kill('SIGTERM');
      await waitForOutput(endpoint, /SIGTERM: finishing in-flight requests/);
      expect(await refused(`${url}/ping`)).toBe(true);
      const answers = await Promise.all(inFlight.map((request) => request.finish()));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.connection).toBe('close');
        expect(JSON.parse(answer.body)).toMatchObject({ predictions: [{ label: expect.any(String) as string }] });
      }
      // Without closing the kept-alive connections the server would wait 10 s and exit 1.
      expect(await exitWithin(endpoint, 5000)).toBe(0);
    },
    SLOW_TEST_MS,
  );

  it(
    'SIGTERM to the gateway: in-flight requests finish with 200, new connections are refused, exit 0 at once',
    async ({ expect, onTestFinished }) => {
      const stack = await startStackInProcess({ modelDir: TINY });
      onTestFinished(() => stack.close());
      const gateway = startCli('backend/gateway/cli.ts', ['--port', '0', '--endpoint-url', stack.endpoint.url]);
      const [, url = ''] = await waitForOutput(gateway, /POST (http:\/\/127\.0\.0\.1:\d+)\/sentiment/);
      const agent = new Agent({ keepAlive: true });
      onTestFinished(() => {
        agent.destroy();
      });
      const inFlight = await Promise.all(
        ['great great loved', 'awful boring terrible'].map((text) =>
          halfSent(url, '/sentiment', 'application/json', JSON.stringify({ text }), agent),
        ),
      );
      gateway.child.kill('SIGTERM');
      await waitForOutput(gateway, /SIGTERM: closing the gateway/);
      expect(await refused(`${url}/sentiment`)).toBe(true);
      const answers = await Promise.all(inFlight.map((request) => request.finish()));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).toMatchObject({ results: [{ label: expect.any(String) as string }] });
      }
      // Without closing the kept-alive connections it would wait for their 5 s keep-alive timeout.
      expect(await exitWithin(gateway, 4000)).toBe(0);
    },
    SLOW_TEST_MS,
  );

  it('an oversized body: the 413 comes first, and the rest of the body is read and dropped, not reset, on both servers', async ({
    expect,
    onTestFinished,
  }) => {
    const stack = await startStackInProcess({ modelDir: TINY });
    onTestFinished(() => stack.close());
    const size = DEFAULT_LIMITS.maxBodyBytes * 2;
    for (const [port, path] of [
      [stack.gateway.port, '/sentiment'],
      [stack.endpoint.port, '/invocations'],
    ] as const) {
      // Half-open allowed, as a client still sending its body is: the server's FIN does not stop it writing.
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      onTestFinished(() => {
        socket.destroy();
      });
      const errors: string[] = [];
      socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      const ended = once(socket, 'end');
      await once(socket, 'connect');
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      socket.write(chunk);
      while (!received.includes('\r\n\r\n')) await new Promise((resolve) => setTimeout(resolve, 10));
      // The client has not read the answer yet and keeps sending: the server must keep reading.
      for (let sent = chunk.length; sent < size && errors.length === 0; sent += chunk.length) {
        if (!socket.write(chunk)) await once(socket, 'drain');
      }
      await ended; // the server closes its side; a reset would have been an error above
      expect(received).toMatch(/^HTTP\/1\.1 413 .*"code":"BODY_TOO_LARGE"/s);
      expect(errors).toEqual([]);
    }
  });

  it(
    'slow clients: one that trickles its headers is cut off by the 10 s header timeout, on both servers',
    async ({ expect, onTestFinished }) => {
      const stack = await startStackInProcess({ modelDir: TINY });
      onTestFinished(() => stack.close());
      const trickle = (path: string): WriteStep[] => [
        Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`),
        ...Array.from({ length: 40 }, (_, i) => [{ pauseMs: 500 }, Buffer.from(`X-Slow-${i}: a\r\n`)]).flat(),
      ];
      const [gateway, endpoint] = await Promise.all([
        exchange({ host: '127.0.0.1', port: stack.gateway.port }, trickle('/sentiment'), { timeoutMs: 25_000 }),
        exchange({ host: '127.0.0.1', port: stack.endpoint.port }, trickle('/invocations'), { timeoutMs: 25_000 }),
      ]);
      for (const outcome of [gateway, endpoint]) {
        // 408 REQUEST_TIMEOUT once the timeout passes; Node's own check used to run only every 30 s.
        expect(outcome.kind === 'response' ? outcome.response.status : outcome.kind).toBe(408);
        if (outcome.kind === 'response') expect(outcome.response.body.toString()).toMatch(/"code":"REQUEST_TIMEOUT"/);
        expect(outcome.ms).toBeGreaterThan(9500);
        expect(outcome.ms).toBeLessThan(16_000);
      }
      // Meanwhile and afterwards, both serve as usual.
      expect((await sentiment(stack.gateway.url, { text: 'great' })).status).toBe(200);
    },
    SLOW_TEST_MS,
  );
});
