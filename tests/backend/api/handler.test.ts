/**
 * The Lambda handler with a real SageMakerRuntimeClient, pointed at small real HTTP servers that
 * play the endpoint's part: one per behaviour (good answer, garbage, 500, not ready, slow, gone);
 * and, for "explain", at the real endpoint server with the tiny test model.
 */
import { Buffer } from 'node:buffer';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  InternalFailure,
  ModelError,
  ModelNotReadyException,
  ServiceUnavailable,
  ValidationError,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import type { APIGatewayProxyEvent, APIGatewayProxyHandler, APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { corsFromEnv, corsHeaders } from '../../../backend/api/cors.ts';
import { createEndpointClient, endpointFailure, endpointTimeoutFromEnv } from '../../../backend/api/endpoint-client.ts';
import {
  createHandler,
  handler,
  handlerFromEnv,
  type ApiHandler,
  type HandlerDeps,
} from '../../../backend/api/handler.ts';
import { startEndpointServer, type EndpointServer } from '../../../backend/endpoint/server.ts';
import { explain } from '../../../model/inference/explain.ts';
import { createNodeClassifier } from '../../../model/inference/node.ts';
import { isExplanationOf } from '../../../public-api/client.ts';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode, type SentimentResponse } from '../../../public-api/contract.ts';
import { apiGatewayEvent, type EventOverrides } from '../../helpers/events.ts';
import { freePort } from '../../helpers/ports.ts';

// ---- The endpoint's stand-ins ----------------------------------------------------------------

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface StandIn {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

const running: { close(): Promise<void> }[] = [];
const clients: SageMakerRuntimeClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(running.splice(0).map((server) => server.close()));
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A stand-in that closes after the test. */
async function standIn(respond: (seen: Seen, response: ServerResponse) => void): Promise<StandIn> {
  const server = await serve(respond);
  running.push(server);
  return server;
}

async function serve(respond: (seen: Seen, response: ServerResponse) => void): Promise<StandIn> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      respond(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections(); // the slow stand-in holds its requests open
      return new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

const sendJson =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_seen: Seen, response: ServerResponse): void => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** A good endpoint: one prediction per instance, in order; "bad" reviews are negative. */
const predicting = (seen: Seen, response: ServerResponse): void => {
  const { instances } = JSON.parse(seen.body) as { instances: string[] };
  const predictions = instances.map((text, index) => ({
    label: text.includes('bad') ? 'negative' : 'positive',
    score: text.includes('bad') ? index / 100 : 1 - index / 100,
    readable: 1,
  }));
  sendJson(200, { predictions, model: 'rnn-test' })(seen, response);
};

/** A good endpoint that explains when asked: one span over each whole review. */
const explaining = (seen: Seen, response: ServerResponse): void => {
  const { instances, explain: asked } = JSON.parse(seen.body) as { instances: string[]; explain?: boolean };
  const predictions = instances.map((text) => ({
    label: 'positive',
    score: 0.75,
    readable: 1,
    ...(asked === true ? { explanation: [{ start: 0, end: text.length, weight: 1.5 }] } : {}),
  }));
  sendJson(200, { predictions, model: 'rnn-test' })(seen, response);
};

// ---- Events and handlers ---------------------------------------------------------------------

/** The API Gateway sample event (tests/fixtures/events/), with this file's request id in the log lines. */
function proxyEvent(overrides: EventOverrides = {}): APIGatewayProxyEvent {
  return apiGatewayEvent({ ...overrides, requestContext: { requestId: 'req-123', ...overrides.requestContext } });
}

interface Harness {
  readonly handle: ApiHandler;
  readonly lines: { line: string; level: string }[];
}

function harness(endpointUrl: string, options: { timeoutMs?: number } & Partial<HandlerDeps> = {}): Harness {
  const client = createEndpointClient(options.timeoutMs ?? 5000, {
    endpoint: endpointUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  clients.push(client);
  const lines: { line: string; level: string }[] = [];
  const handle = createHandler({
    client,
    endpointName: 'reelsense-test',
    limits: DEFAULT_LIMITS,
    log: (line, level) => lines.push({ line, level }),
    ...options,
  });
  return { handle, lines };
}

function errorOf(result: APIGatewayProxyResult): { code: ErrorCode; message: string } {
  const body = JSON.parse(result.body) as { error: { code: ErrorCode; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(ERROR_STATUS[body.error.code]).toBe(result.statusCode);
  return body.error;
}

const INTERNALS = /\n\s+at |node_modules|ECONN|ETIMEDOUT|127\.0\.0\.1|smithy|UnknownError|SyntaxError|Exception/;

// ---- Tests -----------------------------------------------------------------------------------

describe('handler: success', () => {
  it('sends the reviews to the endpoint as the SDK call of the contract and answers the results', async () => {
    const endpoint = await standIn(predicting);
    const { handle } = harness(endpoint.url);
    const result = await handle(proxyEvent());
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    expect(JSON.parse(result.body)).toEqual({
      results: [{ label: 'positive', score: 1, readable: 1 }],
      model: 'rnn-test',
    });

    expect(endpoint.seen).toHaveLength(1);
    const [call] = endpoint.seen;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('/endpoints/reelsense-test/invocations');
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.headers.accept).toBe('application/json');
    expect(call?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(JSON.parse(call?.body ?? '')).toEqual({ instances: ['A wonderful film.'] });
  });

  it('keeps the order of a batch', async () => {
    const endpoint = await standIn(predicting);
    const { handle } = harness(endpoint.url);
    const texts = ['good one', 'bad one', 'good two', 'bad two', 'good three'];
    const result = await handle(proxyEvent({ body: JSON.stringify({ texts }) }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      results: [
        { label: 'positive', score: 1, readable: 1 },
        { label: 'negative', score: 0.01, readable: 1 },
        { label: 'positive', score: 0.98, readable: 1 },
        { label: 'negative', score: 0.03, readable: 1 },
        { label: 'positive', score: 0.96, readable: 1 },
      ],
      model: 'rnn-test',
    });
    expect(JSON.parse(endpoint.seen[0]?.body ?? '')).toEqual({ instances: texts });
  });

  it('reads a text/plain body and one with no content type as one review, and base64 bodies', async () => {
    const endpoint = await standIn(predicting);
    const { handle } = harness(endpoint.url);
    for (const event of [
      proxyEvent({ headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'plain review' }),
      proxyEvent({ headers: {}, body: 'plain review' }),
      proxyEvent({ headers: {}, body: Buffer.from('plain review').toString('base64'), isBase64Encoded: true }),
    ]) {
      const result = await handle(event);
      expect(result.statusCode).toBe(200);
    }
    expect(endpoint.seen.map((call) => call.body)).toEqual(Array(3).fill('{"instances":["plain review"]}'));
  });

  it('passes an "unreadable" prediction through with its readable share', async () => {
    const endpoint = await standIn(
      sendJson(200, { predictions: [{ label: 'unreadable', score: 0.36, readable: 0.38 }], model: 'm' }),
    );
    const result = await harness(endpoint.url).handle(proxyEvent());
    expect(JSON.parse(result.body)).toEqual({
      results: [{ label: 'unreadable', score: 0.36, readable: 0.38 }],
      model: 'm',
    });
  });

  it('keeps only the contract fields of the endpoint answer', async () => {
    const endpoint = await standIn(
      sendJson(200, {
        predictions: [{ label: 'negative', score: 0.25, readable: 0.9, logits: [1, 2] }],
        model: 'm',
        debug: 'x',
      }),
    );
    const result = await harness(endpoint.url).handle(proxyEvent());
    expect(JSON.parse(result.body)).toEqual({
      results: [{ label: 'negative', score: 0.25, readable: 0.9 }],
      model: 'm',
    });
  });
});

describe('handler: the endpoint failing', () => {
  const notReady = { error: { code: 'MODEL_NOT_READY', message: 'The model is loading.' } };
  const cases: [string, (seen: Seen, response: ServerResponse) => void, number, ErrorCode, RegExp][] = [
    ['garbage instead of JSON', sendJson(200, '<html>oops</html>'), 502, 'ENDPOINT_ERROR', /could not be read/],
    ['an empty answer', sendJson(200, ''), 502, 'ENDPOINT_ERROR', /could not be read/],
    ['too few predictions', sendJson(200, { predictions: [], model: 'm' }), 502, 'ENDPOINT_ERROR', /could not be read/],
    [
      'a score out of range',
      sendJson(200, { predictions: [{ label: 'positive', score: 1.5, readable: 1 }], model: 'm' }),
      502,
      'ENDPOINT_ERROR',
      /could not be read/,
    ],
    [
      'an unknown label',
      sendJson(200, { predictions: [{ label: 'meh', score: 0.5, readable: 1 }], model: 'm' }),
      502,
      'ENDPOINT_ERROR',
      /could not be read/,
    ],
    [
      'no readable share',
      sendJson(200, { predictions: [{ label: 'positive', score: 0.5 }], model: 'm' }),
      502,
      'ENDPOINT_ERROR',
      /could not be read/,
    ],
    [
      'a readable share out of range',
      sendJson(200, { predictions: [{ label: 'unreadable', score: 0.5, readable: 2 }], model: 'm' }),
      502,
      'ENDPOINT_ERROR',
      /could not be read/,
    ],
    [
      'no model version',
      sendJson(200, { predictions: [{ label: 'positive', score: 0.5, readable: 1 }] }),
      502,
      'ENDPOINT_ERROR',
      /could not be read/,
    ],
    [
      'a 500',
      sendJson(500, { error: { code: 'INTERNAL_ERROR', message: 'boom at /srv/x.ts:1' } }),
      502,
      'ENDPOINT_ERROR',
      /failed/,
    ],
    [
      'a 502 in HTML',
      sendJson(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' }),
      502,
      'ENDPOINT_ERROR',
      /failed/,
    ],
    [
      'a 400 (handler and endpoint disagree)',
      sendJson(400, { error: { code: 'INVALID_JSON', message: 'no' } }),
      502,
      'ENDPOINT_ERROR',
      /failed/,
    ],
    ['a 503 model not ready (ping not ready)', sendJson(503, notReady), 503, 'ENDPOINT_UNAVAILABLE', /still loading/],
    ['a 503 without a body', sendJson(503, ''), 503, 'ENDPOINT_UNAVAILABLE', /unavailable or busy/],
    ['a 429', sendJson(429, ''), 503, 'ENDPOINT_UNAVAILABLE', /busy/],
    [
      'a 413 with a contract error',
      sendJson(413, { error: { code: 'REVIEW_TOO_LONG', message: 'Review 1 is too long.' } }),
      413,
      'REVIEW_TOO_LONG',
      /too large: Review 1 is too long\./,
    ],
    [
      'a 413 for too many to explain (the endpoint limit set lower)',
      sendJson(413, { error: { code: 'TOO_MANY_TO_EXPLAIN', message: 'The request asks to explain 2 reviews.' } }),
      413,
      'TOO_MANY_TO_EXPLAIN',
      /too large: The request asks to explain 2 reviews\./,
    ],
    [
      'a reset connection',
      (_seen, response) => response.socket?.destroy(),
      503,
      'ENDPOINT_UNAVAILABLE',
      /cannot be reached/,
    ],
  ];

  it.each(cases)('%s -> %i %s', async (_name, respond, status, code, message) => {
    const endpoint = await standIn(respond);
    const { handle, lines } = harness(endpoint.url);
    const result = await handle(proxyEvent({ body: JSON.stringify({ text: 'SECRET-REVIEW-TEXT' }) }));
    expect(result.statusCode).toBe(status);
    const error = errorOf(result);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(result.body).not.toMatch(INTERNALS);
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' });
    if (status >= 500) {
      const failure = lines.find(({ level }) => level === 'ERROR');
      expect(failure, 'the underlying error is logged').toBeDefined();
      expect(JSON.parse(failure?.line ?? '')).toMatchObject({ message: 'request failed', requestId: 'req-123', code });
    }
    for (const { line } of lines) expect(line).not.toContain('SECRET-REVIEW-TEXT');
  });

  it('sends Retry-After while the model loads', async () => {
    const endpoint = await standIn(sendJson(503, notReady));
    const result = await harness(endpoint.url).handle(proxyEvent());
    expect(result.headers).toMatchObject({ 'Retry-After': '5' });
  });

  it('answers 503 ENDPOINT_UNAVAILABLE when nothing listens', async () => {
    const { handle, lines } = harness(`http://127.0.0.1:${await freePort()}`);
    const result = await handle(proxyEvent());
    expect(result.statusCode).toBe(503);
    expect(errorOf(result)).toEqual({
      code: 'ENDPOINT_UNAVAILABLE',
      message: 'The sentiment model endpoint cannot be reached right now; try again shortly.',
    });
    expect(result.body).not.toMatch(INTERNALS);
    const logged = JSON.parse(lines.find(({ level }) => level === 'ERROR')?.line ?? '{}') as { cause?: unknown };
    expect(logged.cause).toMatchObject({ errno: 'ECONNREFUSED' });
  });

  it('waits for the endpoint without a 504 when more requests are in flight than sockets once were (the local gateway)', async () => {
    // Each answer takes 2.5 s. With the SDK's default pool of 50 sockets the other 10 requests
    // queued for a socket, and the 1 s connection timeout, which counts from the request's start,
    // fired while they waited, on both attempts: 504 for a healthy endpoint.
    const endpoint = await standIn((seen, response) => {
      setTimeout(() => {
        predicting(seen, response);
      }, 2500);
    });
    const { handle } = harness(endpoint.url);
    const results = await Promise.all(Array.from({ length: 60 }, () => handle(proxyEvent())));
    expect(results.map((result) => result.statusCode)).toEqual(Array<number>(60).fill(200));
  });

  it('answers 504 ENDPOINT_TIMEOUT when the endpoint is slower than the request timeout', async () => {
    const endpoint = await standIn(() => undefined); // never answers
    const { handle } = harness(endpoint.url, { timeoutMs: 200 });
    const result = await handle(proxyEvent());
    expect(result.statusCode).toBe(504);
    expect(errorOf(result).code).toBe('ENDPOINT_TIMEOUT');
    expect(result.body).not.toMatch(INTERNALS);
    expect(endpoint.seen.length).toBeLessThanOrEqual(2); // bounded retries: maxAttempts 2
  });

  it('does no endpoint work for a request it refuses', async () => {
    const endpoint = await standIn(predicting);
    const { handle } = harness(endpoint.url, { limits: { ...DEFAULT_LIMITS, maxReviews: 2 } });
    const refused = [
      proxyEvent({ body: JSON.stringify({ texts: ['a', 'b', 'c'] }) }),
      proxyEvent({ body: '{"text":' }),
      proxyEvent({ headers: { 'Content-Type': 'image/png' } }),
      proxyEvent({ body: JSON.stringify({ text: '   ' }) }),
    ];
    const statuses = [];
    for (const event of refused) statuses.push((await handle(event)).statusCode);
    expect(statuses).toEqual([413, 400, 415, 400]);
    expect(endpoint.seen).toHaveLength(0);
  });
});

describe('handler: "explain"', () => {
  const asking = (body: unknown): APIGatewayProxyEvent => proxyEvent({ body: JSON.stringify(body) });

  it('forwards {"instances", "explain": true} only when asked, and returns each explanation', async () => {
    const endpoint = await standIn(explaining);
    const { handle, lines } = harness(endpoint.url);
    const asked = await handle(asking({ texts: ['good one', ' two '], explain: true }));
    const unasked = await handle(asking({ texts: ['good one', ' two '] }));
    const refused = await handle(asking({ texts: ['good one', ' two '], explain: false }));
    expect(endpoint.seen.map((call) => call.body)).toEqual([
      '{"instances":["good one"," two "],"explain":true}',
      '{"instances":["good one"," two "]}',
      '{"instances":["good one"," two "]}',
    ]);
    expect(asked.statusCode).toBe(200);
    expect(JSON.parse(asked.body)).toEqual({
      results: [
        { label: 'positive', score: 0.75, readable: 1, explanation: [{ start: 0, end: 8, weight: 1.5 }] },
        { label: 'positive', score: 0.75, readable: 1, explanation: [{ start: 0, end: 5, weight: 1.5 }] },
      ],
      model: 'rnn-test',
    });
    expect(unasked.body).toBe(
      '{"results":[{"label":"positive","score":0.75,"readable":1},{"label":"positive","score":0.75,"readable":1}],"model":"rnn-test"}',
    );
    expect(refused.body).toBe(unasked.body);
    const info = lines
      .filter(({ level }) => level === 'INFO')
      .map(({ line }) => JSON.parse(line) as Record<string, unknown>);
    expect(info[0]).toMatchObject({ status: 200, reviews: 2, explain: true });
    expect(info[1]).not.toHaveProperty('explain');
    expect(info[2]).not.toHaveProperty('explain');
  });

  it('keeps only the contract fields of an explanation, and drops one that was not asked for', async () => {
    const endpoint = await standIn(
      sendJson(200, {
        predictions: [
          { label: 'negative', score: 0.25, readable: 1, explanation: [{ start: 0, end: 1, weight: -2, token: 'x' }] },
        ],
        model: 'm',
      }),
    );
    const { handle } = harness(endpoint.url);
    const asked = await handle(asking({ text: 'ab', explain: true }));
    expect(JSON.parse(asked.body)).toEqual({
      results: [{ label: 'negative', score: 0.25, readable: 1, explanation: [{ start: 0, end: 1, weight: -2 }] }],
      model: 'm',
    });
    const unasked = await handle(asking({ text: 'ab' }));
    expect(JSON.parse(unasked.body)).toEqual({
      results: [{ label: 'negative', score: 0.25, readable: 1 }],
      model: 'm',
    });
  });

  const span = (start: unknown, end: unknown, weight: unknown = 1): Record<string, unknown> => ({ start, end, weight });
  it.each<[string, unknown]>([
    ['no explanation', undefined],
    ['an explanation that is not a list', { start: 0, end: 2, weight: 1 }],
    ['a span past the end of the review', [span(0, 5)]],
    ['a span past the end of the first review (the second is longer)', [span(0, 4)]],
    ['an empty span', [span(1, 1)]],
    ['spans out of order', [span(2, 3), span(0, 1)]],
    ['overlapping spans', [span(0, 2), span(1, 3)]],
    ['a negative start', [span(-1, 2)]],
    ['an offset that is not a whole number', [span(0.5, 2)]],
    ['a weight that is not a number', [span(0, 2, '1')]],
    ['a weight that is not finite', [span(0, 2, null)]],
  ])('answers 502 ENDPOINT_ERROR for %s', async (_name, explanation) => {
    const endpoint = await standIn(
      sendJson(200, {
        predictions: [
          { label: 'positive', score: 0.5, readable: 1, ...(explanation === undefined ? {} : { explanation }) },
          { label: 'positive', score: 0.5, readable: 1, explanation: [] },
        ],
        model: 'm',
      }),
    );
    const { handle, lines } = harness(endpoint.url);
    const result = await handle(asking({ texts: ['abc', 'a much longer review'], explain: true }));
    expect(result.statusCode).toBe(502);
    expect(errorOf(result)).toEqual({
      code: 'ENDPOINT_ERROR',
      message: 'The sentiment model endpoint gave an answer that could not be read.',
    });
    const failure = JSON.parse(lines.find(({ level }) => level === 'ERROR')?.line ?? '{}') as { cause?: unknown };
    expect(failure.cause).toMatchObject({
      name: 'EndpointAnswerError',
      message: 'prediction 1 has no valid explanation of its review',
    });
  });

  it('does no endpoint work for a request it refuses', async () => {
    const endpoint = await standIn(explaining);
    const { handle } = harness(endpoint.url);
    const tooMany = await handle(asking({ texts: Array<string>(17).fill('good'), explain: true }));
    expect(tooMany.statusCode).toBe(413);
    expect(errorOf(tooMany)).toEqual({
      code: 'TOO_MANY_TO_EXPLAIN',
      message: 'The request asks to explain 17 reviews; the limit is 16 per request with "explain": true.',
    });
    expect((await handle(asking({ text: 'good', explain: 'yes' }))).statusCode).toBe(400);
    expect(endpoint.seen).toHaveLength(0);
  });
});

describe('handler: "explain" through the SDK to the real endpoint server (tiny model)', () => {
  const TINY = fileURLToPath(new URL('../../fixtures/artifact-tiny/', import.meta.url));
  let server: EndpointServer;
  beforeAll(async () => {
    server = await startEndpointServer({ port: 0, modelDir: TINY });
    await server.ready;
    return () => server.close();
  });

  // Offsets refer to the strings as the client sent them: leading white space, markup, a
  // character reference, a surrogate pair, a line separator, a byte-order mark inside the text.
  const texts = ['  great great loved  ', 'awful<br />boring &amp; terrible 😀', 'great\u2028awful \uFEFFloved'];

  it('returns the explanation the model gives for each review as sent', async () => {
    const { handle } = harness(server.url);
    const result = await handle(proxyEvent({ body: JSON.stringify({ texts, explain: true }) }));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as SentimentResponse;
    expect(body.model).toBe('tiny-test');
    const classifier = await createNodeClassifier(TINY);
    for (const [i, text] of texts.entries()) {
      const direct = await explain(classifier, text);
      expect(body.results[i]).toEqual({ ...direct.prediction, explanation: direct.explanation });
      expect(isExplanationOf(body.results[i]?.explanation, text)).toBe(true);
    }
  });

  it('answers without "explain", or with false, exactly as before, and with it the same results plus explanations', async () => {
    const { handle } = harness(server.url);
    for (const text of texts) {
      const without = await handle(proxyEvent({ body: JSON.stringify({ text }) }));
      const unasked = await handle(proxyEvent({ body: JSON.stringify({ text, explain: false }) }));
      const asked = await handle(proxyEvent({ body: JSON.stringify({ text, explain: true }) }));
      expect(unasked.body).toBe(without.body);
      expect(without.body).not.toContain('explanation');
      const stripped = JSON.stringify(JSON.parse(asked.body), (key, value: unknown) =>
        key === 'explanation' ? undefined : value,
      );
      expect(stripped).toBe(without.body);
    }
  });
});

describe('endpointFailure: the SDK errors SageMaker itself sends', () => {
  const metadata = { $metadata: { httpStatusCode: 424 } };
  const contractBody = (code: string): string =>
    JSON.stringify({ error: { code, message: `${code} from the container` } });
  it.each<[string, ErrorCode, unknown]>([
    [
      'ModelError (container 500)',
      'ENDPOINT_ERROR',
      new ModelError({
        message: 'x',
        ...metadata,
        OriginalStatusCode: 500,
        OriginalMessage: contractBody('INTERNAL_ERROR'),
      }),
    ],
    [
      'ModelError (container 413)',
      'TOO_MANY_REVIEWS',
      new ModelError({
        message: 'x',
        ...metadata,
        OriginalStatusCode: 413,
        OriginalMessage: contractBody('TOO_MANY_REVIEWS'),
      }),
    ],
    [
      'ModelError (container not ready)',
      'ENDPOINT_UNAVAILABLE',
      new ModelError({
        message: 'x',
        ...metadata,
        OriginalStatusCode: 503,
        OriginalMessage: contractBody('MODEL_NOT_READY'),
      }),
    ],
    [
      'ModelError (not JSON)',
      'ENDPOINT_ERROR',
      new ModelError({ message: 'x', ...metadata, OriginalMessage: 'Traceback...' }),
    ],
    [
      'ModelNotReadyException',
      'ENDPOINT_UNAVAILABLE',
      new ModelNotReadyException({ message: 'x', $metadata: { httpStatusCode: 429 } }),
    ],
    [
      'ServiceUnavailable',
      'ENDPOINT_UNAVAILABLE',
      new ServiceUnavailable({ message: 'x', $metadata: { httpStatusCode: 503 } }),
    ],
    ['InternalFailure', 'ENDPOINT_ERROR', new InternalFailure({ message: 'x', $metadata: { httpStatusCode: 500 } })],
    [
      'ValidationError (no such endpoint)',
      'ENDPOINT_ERROR',
      new ValidationError({ message: 'x', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a DNS failure',
      'ENDPOINT_UNAVAILABLE',
      Object.assign(new Error('getaddrinfo ENOTFOUND runtime.sagemaker'), { code: 'ENOTFOUND' }),
    ],
    ['the SDK timeout', 'ENDPOINT_TIMEOUT', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
    ['a bug', 'INTERNAL_ERROR', new TypeError('x is undefined')],
    [
      'missing credentials',
      'INTERNAL_ERROR',
      Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }),
    ],
  ])('%s -> %s', (_name, code, error) => {
    const mapped = endpointFailure(error);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
    // Only a contract 413 passes the endpoint's own sentence on (it says which limit was hit).
    if (code === 'TOO_MANY_REVIEWS')
      expect(mapped.message).toBe(
        'The model endpoint refused the request as too large: TOO_MANY_REVIEWS from the container',
      );
    else expect(mapped.message).not.toMatch(/container|Traceback|ENOTFOUND|credentials|undefined/);
  });
});

describe('handler: methods, CORS and the log', () => {
  let endpointUrl = '';
  beforeAll(async () => {
    const server = await serve(predicting);
    endpointUrl = server.url;
    return () => server.close();
  });

  it('answers the preflight with 204 and the CORS headers', async () => {
    const result = await harness(endpointUrl).handle(proxyEvent({ httpMethod: 'OPTIONS', body: null }));
    expect(result).toEqual({
      statusCode: 204,
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key',
        'Access-Control-Max-Age': '600',
      },
      body: '',
    });
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD'])('refuses %s with 405, Allow and CORS', async (method) => {
    const result = await harness(endpointUrl).handle(proxyEvent({ httpMethod: method }));
    expect(result.statusCode).toBe(405);
    expect(errorOf(result).code).toBe('METHOD_NOT_ALLOWED');
    expect(result.headers).toMatchObject({ Allow: 'POST, OPTIONS', 'Access-Control-Allow-Origin': '*' });
  });

  it('echoes an allowed origin with Vary: Origin, and leaves a foreign one without Allow-Origin', async () => {
    const cors = corsFromEnv({ REELSENSE_ALLOWED_ORIGINS: 'https://reelsense.example, chrome-extension://abcdef/' });
    const { handle } = harness(endpointUrl, { cors });
    const allowed = await handle(
      proxyEvent({ headers: { origin: 'chrome-extension://abcdef', 'content-type': 'text/plain' }, body: 'x' }),
    );
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'chrome-extension://abcdef',
      Vary: 'Origin',
    });
    const foreign = await handle(
      proxyEvent({ headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, body: '{' }),
    );
    expect(foreign.statusCode).toBe(400);
    expect(foreign.headers).toMatchObject({ Vary: 'Origin', 'Access-Control-Allow-Methods': 'POST, OPTIONS' });
    expect(foreign.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    const preflight = await handle(
      proxyEvent({ httpMethod: 'OPTIONS', headers: { Origin: 'https://reelsense.example' } }),
    );
    expect(preflight.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://reelsense.example' });
  });

  it.each([
    [undefined, true],
    ['', true],
    ['https://a.example,*', true],
    ['https://a.example', false],
  ])('REELSENSE_ALLOWED_ORIGINS=%j allows all: %s', (value, all) => {
    const headers = corsHeaders(
      corsFromEnv(value === undefined ? {} : { REELSENSE_ALLOWED_ORIGINS: value }),
      'https://b.example',
    );
    expect(headers['Access-Control-Allow-Origin'] === '*').toBe(all);
  });

  it('logs one JSON line per request, without the review text', async () => {
    const { handle, lines } = harness(endpointUrl);
    await handle(proxyEvent({ headers: { 'Content-Type': 'text/plain' }, body: 'SECRET-REVIEW-TEXT' }));
    await handle(proxyEvent({ body: JSON.stringify({ texts: ['SECRET-REVIEW-TEXT', ''] }) }));
    const info = lines
      .filter(({ level }) => level === 'INFO')
      .map(({ line }) => JSON.parse(line) as Record<string, unknown>);
    expect(info).toHaveLength(2);
    expect(info[0]).toMatchObject({ requestId: 'req-123', method: 'POST', status: 200, reviews: 1, model: 'rnn-test' });
    expect(info[1]).toMatchObject({ requestId: 'req-123', status: 400, code: 'EMPTY_REVIEW' });
    for (const entry of info) expect(typeof entry.durationMs).toBe('number');
    for (const { line } of lines) {
      expect(line).not.toContain('SECRET-REVIEW-TEXT');
      expect(line).not.toContain('\n');
    }
  });

  it('answers 500 INTERNAL_ERROR, not a crash, for an event with no request context', async () => {
    const client = { send: () => Promise.reject(new TypeError('boom')) } as unknown as SageMakerRuntimeClient;
    const lines: string[] = [];
    const handle = createHandler({
      client,
      endpointName: 'x',
      limits: DEFAULT_LIMITS,
      log: (line) => lines.push(line),
    });
    const event = { ...proxyEvent(), requestContext: undefined } as unknown as APIGatewayProxyEvent;
    const result = await handle(event);
    expect(result.statusCode).toBe(500);
    expect(errorOf(result)).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; the request was not processed.',
    });
    expect(result.body).not.toMatch(INTERNALS);
    expect(lines.join('\n')).toContain('TypeError');
  });
});

describe('handler from the environment', () => {
  it('is a Lambda APIGatewayProxyHandler', () => {
    const lambda: APIGatewayProxyHandler = handler;
    expect(typeof lambda).toBe('function');
  });

  it('reaches the endpoint named by SAGEMAKER_ENDPOINT_NAME at AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', async () => {
    const endpoint = await standIn(predicting);
    vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', endpoint.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('SAGEMAKER_ENDPOINT_NAME', 'from-env');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const result = await handler(proxyEvent());
    expect(result.statusCode).toBe(200);
    expect(endpoint.seen[0]?.url).toBe('/endpoints/from-env/invocations');
  });

  it('answers 500 with the generic sentence and logs what to fix when SAGEMAKER_ENDPOINT_NAME is missing', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => errors.push(String(line)) > 0);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const handle = handlerFromEnv({ REELSENSE_ALLOWED_ORIGINS: 'https://reelsense.example' });
    const result = await handle(proxyEvent());
    expect(result.statusCode).toBe(500);
    expect(errorOf(result).message).toBe('Something went wrong on our side; the request was not processed.');
    expect(result.body).not.toContain('SAGEMAKER_ENDPOINT_NAME');
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://reelsense.example' });
    expect(errors.join('')).toMatch(/SAGEMAKER_ENDPOINT_NAME is not set/);
    expect((await handle(proxyEvent({ httpMethod: 'OPTIONS' }))).statusCode).toBe(204);
  });

  it('reads REELSENSE_ENDPOINT_TIMEOUT_MS, refusing nonsense clearly', () => {
    expect(endpointTimeoutFromEnv({})).toBe(10_000);
    expect(endpointTimeoutFromEnv({ REELSENSE_ENDPOINT_TIMEOUT_MS: '2500' })).toBe(2500);
    expect(() => endpointTimeoutFromEnv({ REELSENSE_ENDPOINT_TIMEOUT_MS: '2s' })).toThrow(
      /REELSENSE_ENDPOINT_TIMEOUT_MS must be/,
    );
  });
});
