/**
 * The endpoint server over real HTTP, with real models: the tiny test artifact for the contract
 * (fast), the shipped one for real predictions. No part of the server is mocked.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchInfo } from '../../../backend/endpoint/batcher.ts';
import { startEndpointServer, type EndpointServer } from '../../../backend/endpoint/server.ts';
import { PortInUseError } from '../../../backend/listen.ts';
import { explain } from '../../../model/inference/explain.ts';
import { createNodeClassifier, SHIPPED_MODEL_VERSION } from '../../../model/inference/node.ts';
import { isExplanationOf } from '../../../public-api/client.ts';
import type { InvocationResponse } from '../../../public-api/contract.ts';

const TINY = fileURLToPath(new URL('../../fixtures/artifact-tiny/', import.meta.url));
const LIMITS = { maxBodyBytes: 1_000, maxReviewChars: 100, maxReviews: 3, maxExplainedReviews: 2 };
const POSITIVE = 'great great loved';
const NEGATIVE = 'awful boring terrible';
// PyTorch's scores for those two reviews, written by the fixture's regenerate.py.
const EXPECTED = JSON.parse(readFileSync(join(TINY, 'expected.json'), 'utf8')) as { text: string; score: number }[];
const expectedScore = (text: string): number => EXPECTED.find((e) => e.text === text)?.score ?? NaN;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

function post(url: string, body: string | Uint8Array<ArrayBuffer>, contentType?: string): Promise<Answer> {
  return call(url, {
    method: 'POST',
    // A Uint8Array body is sent with no content type at all.
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
  });
}

const json = (value: unknown): string => JSON.stringify(value);

/** The error body, checked to be exactly the documented shape with no stack trace in it. */
function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String) as string } });
  const text = (answer.body as { error: { message: string } }).error.message;
  expect(text).not.toMatch(/\n\s+at /);
  if (message !== undefined) expect(text).toMatch(message);
}

async function tmpCopyOfTiny(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsense-endpoint-'));
  for (const name of ['model.onnx', 'vocab.json', 'card.json']) await copyFile(join(TINY, name), join(dir, name));
  return dir;
}

describe('endpoint server (tiny artifact)', () => {
  let server: EndpointServer;
  const batches: BatchInfo[] = [];

  beforeAll(async () => {
    server = await startEndpointServer({
      port: 0,
      modelDir: TINY,
      limits: LIMITS,
      // The tiny model answers in microseconds: a short wait lets concurrent requests meet.
      maxWaitMs: 5,
      onBatch: (batch) => batches.push(batch),
    });
    await server.ready;
  });
  afterAll(() => server.close());

  it('answers /ping with 200 and the model version once loaded', async () => {
    expect(server.model).toBe('tiny-test');
    const answer = await call(`${server.url}/ping`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', model: 'tiny-test' });
    expect((await fetch(`${server.url}/ping`, { method: 'HEAD' })).status).toBe(200);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain with a charset', 'text/plain; charset=utf-8'],
    ['no content type (the seed)', undefined],
  ])('classifies one review sent as %s', async (_, contentType) => {
    const answer = await post(`${server.url}/invocations`, POSITIVE, contentType);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({
      predictions: [{ label: 'positive', score: expect.closeTo(1, 4) as number, readable: 1 }],
      model: 'tiny-test',
    });
  });

  it('ignores fields beside "instances" (the SageMaker envelope is open)', async () => {
    const answer = await post(
      `${server.url}/invocations`,
      json({ configuration: { k: 1 }, instances: [POSITIVE] }),
      'application/json',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ predictions: [{ label: 'positive' }], model: 'tiny-test' });
  });

  it.each(['application/json', 'Application/JSON; Charset=UTF-8', 'application/json;charset="utf-8"'])(
    'classifies a JSON batch sent as %s, in order',
    async (contentType) => {
      const answer = await post(
        `${server.url}/invocations`,
        json({ instances: [NEGATIVE, POSITIVE, NEGATIVE] }),
        contentType,
      );
      expect(answer.status).toBe(200);
      const { predictions } = answer.body as { predictions: { label: string; score: number }[] };
      expect(predictions.map((p) => p.label)).toEqual(['negative', 'positive', 'negative']);
      expect(predictions[0]?.score).toBeCloseTo(expectedScore(NEGATIVE), 5);
      expect(predictions[1]?.score).toBeCloseTo(expectedScore(POSITIVE), 5);
    },
  );

  it('answers the SageMaker Runtime path for any endpoint name, ignoring SageMaker and SigV4 headers', async () => {
    const answer = await call(`${server.url}/endpoints/reelsense-prod-1/invocations`, {
      method: 'POST',
      body: json({ instances: [POSITIVE] }),
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Amzn-SageMaker-Custom-Attributes': 'trace=1',
        'X-Amzn-SageMaker-Target-Model': 'whatever.tar.gz',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/sagemaker/aws4_request, Signature=00',
        'X-Amz-Date': '20261125T000000Z',
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ predictions: [{ label: 'positive' }], model: 'tiny-test' });
  });

  it('serves the AWS SDK InvokeEndpoint call unchanged', async () => {
    const client = new SageMakerRuntimeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const output = await client.send(
        new InvokeEndpointCommand({
          EndpointName: 'reelsense',
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: new TextEncoder().encode(json({ instances: [NEGATIVE, POSITIVE] })),
        }),
      );
      const body = JSON.parse(new TextDecoder().decode(output.Body)) as unknown;
      expect(body).toMatchObject({ predictions: [{ label: 'negative' }, { label: 'positive' }], model: 'tiny-test' });
    } finally {
      client.destroy();
    }
  });

  it('serves 40 concurrent requests with fewer model calls, each with its own answer', async () => {
    const before = batches.length;
    const reviews = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? NEGATIVE : POSITIVE));
    const answers = await Promise.all(
      reviews.map((review) => post(`${server.url}/invocations`, json({ instances: [review] }), 'application/json')),
    );
    expect(answers.map((a) => (a.body as { predictions: { label: string }[] }).predictions[0]?.label)).toEqual(
      reviews.map((review) => (review === NEGATIVE ? 'negative' : 'positive')),
    );
    const calls = batches.slice(before);
    expect(calls.reduce((sum, batch) => sum + batch.reviews, 0)).toBe(40);
    expect(calls.length).toBeLessThan(40);
    expect(Math.max(...calls.map((batch) => batch.requests))).toBeGreaterThan(1);
  });

  describe('refuses bad requests before any model work', () => {
    const url = (): string => `${server.url}/invocations`;
    const long = 'a'.repeat(LIMITS.maxReviewChars + 1);
    // The checks are backend/request/'s (tests/backend/request/validate.test.ts): here, one case
    // per code over HTTP, and the envelope, {"instances": [...]}, which is this server's own.
    const cases: [string, () => Promise<Answer>, number, string, RegExp?][] = [
      [
        'a body over the limit (Content-Length)',
        () => post(url(), 'a '.repeat(600), 'text/plain'),
        413,
        'BODY_TOO_LARGE',
        /^The request body is over the limit of 1,000 bytes; send fewer or shorter reviews\.$/,
      ],
      [
        'a refused content type before its body is read',
        () => post(url(), 'a '.repeat(600), 'application/xml'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /"application\/xml" is not supported/,
      ],
      [
        'invalid UTF-8',
        () => post(url(), new Uint8Array([0x67, 0xff, 0xfe]), 'text/plain'),
        400,
        'INVALID_ENCODING',
        /^The body is not valid UTF-8; send the reviews as UTF-8 text\.$/,
      ],
      ['broken JSON', () => post(url(), '{"instances": [', 'application/json'), 400, 'INVALID_JSON'],
      [
        'a JSON list',
        () => post(url(), json(['good']), 'application/json'),
        400,
        'INVALID_REQUEST',
        /^The JSON body must be an object, not an array\. Send \{"instances"/,
      ],
      ['JSON null', () => post(url(), 'null', 'application/json'), 400, 'INVALID_REQUEST', /not null/],
      [
        'the public API shape',
        () => post(url(), json({ texts: ['good'] }), 'application/json'),
        400,
        'INVALID_REQUEST',
        /^The body has no "instances"\./,
      ],
      [
        'instances as a string',
        () => post(url(), json({ instances: 'good' }), 'application/json'),
        400,
        'INVALID_REQUEST',
        /^"instances" must be an array of strings, not a string\.$/,
      ],
      [
        'a number as a review',
        () => post(url(), json({ instances: ['good', 5] }), 'application/json'),
        400,
        'REVIEW_NOT_TEXT',
        /^Review 2 is a number; every review must be a string\.$/,
      ],
      ['an empty list', () => post(url(), json({ instances: [] }), 'application/json'), 400, 'NO_REVIEWS'],
      [
        'too many reviews',
        () => post(url(), json({ instances: ['a', 'b', 'c', 'd'] }), 'application/json'),
        413,
        'TOO_MANY_REVIEWS',
        /4 reviews; the limit is 3/,
      ],
      [
        'a review too long (text)',
        () => post(url(), long, 'text/plain'),
        413,
        'REVIEW_TOO_LONG',
        /^The review has 101 characters; the limit is 100\.$/,
      ],
      [
        'an empty review in a list',
        () => post(url(), json({ instances: ['good', ''] }), 'application/json'),
        400,
        'EMPTY_REVIEW',
        /^Review 2 is empty or only white space/,
      ],
      [
        'a charset other than UTF-8',
        () => post(url(), 'good', 'text/plain; charset=iso-8859-1'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /UTF-8/,
      ],
      ['an unknown path', () => call(`${server.url}/predict`, { method: 'POST', body: 'good' }), 404, 'NOT_FOUND'],
      [
        'a path under /endpoints without invocations',
        () => call(`${server.url}/endpoints/x/other`, { method: 'POST', body: 'good' }),
        404,
        'NOT_FOUND',
      ],
    ];

    it.each(cases)('%s', async (_, send, status, code, message) => {
      const calls = batches.length;
      expectError(await send(), status, code, message);
      expect(batches.length).toBe(calls);
    });

    it.each([
      ['GET', '/invocations', 'POST'],
      ['PUT', '/endpoints/reelsense/invocations', 'POST'],
      ['POST', '/ping', 'GET, HEAD'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const answer = await call(`${server.url}${path}`, { method });
      expectError(answer, 405, 'METHOD_NOT_ALLOWED');
      expect(answer.headers.get('allow')).toBe(allow);
    });

    it('stops reading a streamed body at the limit and answers 413 without waiting for its end', async () => {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(url(), { method: 'POST', headers: { 'Content-Type': 'text/plain' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body });
            req.destroy();
          });
        });
        req.on('error', reject);
        // Chunked, and never ended: only a server that counts as it reads can answer.
        req.write('a'.repeat(LIMITS.maxBodyBytes + 1));
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    });
  });

  describe('with "explain": true', () => {
    const send = async (body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> => {
      const response = await fetch(`${server.url}/invocations`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
      return { status: response.status, text: await response.text() };
    };
    // Offsets count the string as sent: white space, markup, an emoji (two code units), a line separator.
    const reviews = [NEGATIVE, `  ${POSITIVE} <br />😀\u2028great`];

    it('explains each review outside the batcher, with the label and score of the explanation itself', async () => {
      const before = batches.length;
      const answer = await send(json({ instances: reviews, explain: true }));
      expect(answer.status).toBe(200);
      expect(batches.length).toBe(before);
      const { predictions, model } = JSON.parse(answer.text) as InvocationResponse;
      expect(model).toBe('tiny-test');
      const classifier = await createNodeClassifier(TINY);
      for (const [i, review] of reviews.entries()) {
        const direct = await explain(classifier, review);
        expect(Object.keys(predictions[i] ?? {})).toEqual(['label', 'score', 'readable', 'explanation']);
        expect(predictions[i]).toEqual({ ...direct.prediction, explanation: direct.explanation });
        expect(isExplanationOf(predictions[i]?.explanation, review)).toBe(true);
        expect(predictions[i]?.explanation?.length).toBeGreaterThan(0);
      }
    });

    it('answers "explain": false byte for byte as a request without it, through the batcher', async () => {
      const before = batches.length;
      const without = await send(json({ instances: reviews }));
      const unasked = await send(json({ instances: reviews, explain: false }));
      expect(unasked).toEqual(without);
      expect(without.text).not.toContain('explanation');
      expect(batches.length).toBe(before + 2);
    });

    it('never explains a text/plain body, whatever it says', async () => {
      const text = json({ instances: [POSITIVE], explain: true });
      const answer = await send(text, 'text/plain');
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.text) as InvocationResponse).predictions[0]).not.toHaveProperty('explanation');
    });

    it.each<[string, unknown, number, string, RegExp]>([
      [
        '"explain" not a boolean',
        { instances: [POSITIVE], explain: 'true' },
        400,
        'INVALID_REQUEST',
        /^"explain" must be true or false, not a string\.$/,
      ],
      [
        'more reviews than may be explained',
        { instances: ['a', 'b', 'c'], explain: true },
        413,
        'TOO_MANY_TO_EXPLAIN',
        /^The request asks to explain 3 reviews; the limit is 2 per request with "explain": true\.$/,
      ],
      [
        'more reviews than any request may carry',
        { instances: ['a', 'b', 'c', 'd'], explain: true },
        413,
        'TOO_MANY_REVIEWS',
        /4 reviews; the limit is 3/,
      ],
    ])('refuses %s before any model work', async (_name, body, status, code, message) => {
      const before = batches.length;
      const answer = await post(`${server.url}/invocations`, json(body), 'application/json');
      expectError(answer, status, code, message);
      expect(batches.length).toBe(before);
    });

    it('serves explained and plain requests side by side, each its own answer', async () => {
      const plain = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? NEGATIVE : POSITIVE));
      const answers = await Promise.all([
        ...plain.map((review) => send(json({ instances: [review] }))),
        ...reviews.map((review) => send(json({ instances: [review, POSITIVE], explain: true }))),
      ]);
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        const { predictions } = JSON.parse(answer.text) as InvocationResponse;
        if (i < plain.length) {
          expect(predictions).toEqual([
            {
              label: plain[i] === NEGATIVE ? 'negative' : 'positive',
              score: expect.any(Number) as number,
              readable: expect.any(Number) as number,
            },
          ]);
        } else {
          const review = reviews[i - plain.length] ?? '';
          expect(isExplanationOf(predictions[0]?.explanation, review)).toBe(true);
          expect(isExplanationOf(predictions[1]?.explanation, POSITIVE)).toBe(true);
        }
      });
    });
  });

  it('refuses a second server on a taken port with PortInUseError', async () => {
    await expect(startEndpointServer({ port: server.port, modelDir: TINY })).rejects.toBeInstanceOf(PortInUseError);
  });
});

describe('endpoint server while the model loads', () => {
  it('answers 503 MODEL_NOT_READY until the model is loaded, then 200', async () => {
    // card.json is a named pipe: loading blocks on it until the test writes the card.
    const dir = await mkdtemp(join(tmpdir(), 'reelsense-endpoint-'));
    await copyFile(join(TINY, 'model.onnx'), join(dir, 'model.onnx'));
    await copyFile(join(TINY, 'vocab.json'), join(dir, 'vocab.json'));
    execFileSync('mkfifo', [join(dir, 'card.json')]);
    const server = await startEndpointServer({ port: 0, modelDir: dir });
    try {
      expect(server.model).toBeUndefined();
      expectError(await call(`${server.url}/ping`), 503, 'MODEL_NOT_READY', /loading/);
      expectError(await post(`${server.url}/invocations`, POSITIVE, 'text/plain'), 503, 'MODEL_NOT_READY');
      // Bad input is still told apart from a model that is not there yet.
      expectError(await post(`${server.url}/invocations`, '', 'text/plain'), 400, 'EMPTY_REVIEW');

      await writeFile(join(dir, 'card.json'), await readFile(join(TINY, 'card.json')));
      await server.ready;
      expect(server.model).toBe('tiny-test');
      expect((await call(`${server.url}/ping`)).status).toBe(200);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('endpoint server with a bad artifact', () => {
  it.each([
    ['a corrupt model.onnx', 'ARTIFACT_CORRUPT'],
    ['no model.onnx', 'ARTIFACT_MISSING'],
  ])('rejects ready with %s and keeps answering 503', async (what, code) => {
    const dir = await tmpCopyOfTiny();
    const model = join(dir, 'model.onnx');
    if (code === 'ARTIFACT_CORRUPT') {
      const bytes = await readFile(model);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
      await writeFile(model, bytes);
    } else {
      await rm(model);
    }
    const server = await startEndpointServer({ port: 0, modelDir: dir });
    try {
      await expect(server.ready).rejects.toMatchObject({ name: 'ReelSenseError', code });
      expect(server.model).toBeUndefined();
      expectError(await call(`${server.url}/ping`), 503, 'MODEL_NOT_READY', new RegExp(code));
      expectError(await post(`${server.url}/invocations`, POSITIVE), 503, 'MODEL_NOT_READY');
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe(`endpoint server (shipped model ${SHIPPED_MODEL_VERSION})`, () => {
  let server: EndpointServer;
  beforeAll(async () => {
    server = await startEndpointServer({ port: 0 });
    await server.ready;
  });
  afterAll(() => server.close());

  it('tells clear praise from clear contempt', async () => {
    const answer = await post(
      `${server.url}/invocations`,
      json({
        instances: [
          'One of the best films I have seen in years. Brilliant acting, a moving story, 10/10.',
          "A boring, badly acted mess. I wanted my money back. Don't waste your time: 1/10.",
        ],
      }),
      'application/json',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      predictions: [{ label: 'positive' }, { label: 'negative' }],
      model: SHIPPED_MODEL_VERSION,
    });
  });

  it('reads a text/plain review the way the seed sent it', async () => {
    const answer = await post(`${server.url}/invocations`, 'Wonderful film, I loved every minute of it.');
    expect(answer.body).toMatchObject({ predictions: [{ label: 'positive' }] });
  });
});
