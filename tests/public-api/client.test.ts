/**
 * The website's API client against a real node:http server: each answer the public API can give
 * (and some it should not) must come back as a checked result or a typed ApiFailure with a
 * sentence a person can act on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, ApiFailure, parseRetryAfter, type FailureKind } from '../../public-api/client.ts';

interface Received {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  body: string;
}

type Reply = (res: ServerResponse, received: Received) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply =>
  json(status, { error: { code, message } }, headers);

/** Each case is served under /<case>/sentiment, so one server answers every test. */
const CASES: Record<string, Reply> = {
  ok: json(200, { results: [{ label: 'positive', score: 0.93, readable: 1 }], model: 'stand-in-model' }),
  negative: json(200, { results: [{ label: 'negative', score: 0.12, readable: 1 }], model: 'stand-in-model' }),
  echo: (res, received) => {
    json(200, { results: [{ label: 'negative', score: 0.4, readable: 1 }], model: JSON.stringify(received) })(
      res,
      received,
    );
  },
  'too-long': error(413, 'REVIEW_TOO_LONG', 'Review 1 has 20,001 characters; the limit is 20,000.'),
  'body-too-large': error(413, 'BODY_TOO_LARGE', 'The request body is over the limit of 1,048,576 bytes.'),
  'too-long-bare': (res) => {
    res.writeHead(413, { 'content-type': 'text/html' });
    res.end('<html><body>Request Entity Too Large</body></html>');
  },
  empty: error(400, 'EMPTY_REVIEW', 'Review 1 is empty or only white space: send some text.'),
  'invalid-json': error(400, 'INVALID_JSON', 'The body is not valid JSON.'),
  'unsupported-type': error(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content type text/xml is not supported.'),
  'not-found': error(404, 'NOT_FOUND', 'There is no /x/sentiment.'),
  throttled: error(429, 'THROTTLED', 'Too many requests from this client.', { 'retry-after': '7' }),
  'throttled-date': error(429, 'THROTTLED', 'Too many requests.', {
    'retry-after': new Date(Date.now() + 90_000).toUTCString(),
  }),
  'throttled-bare': (res) => {
    res.writeHead(429);
    res.end();
  },
  'endpoint-error': error(502, 'ENDPOINT_ERROR', 'The sentiment model endpoint failed to classify the reviews.'),
  'endpoint-down': error(503, 'ENDPOINT_UNAVAILABLE', 'The sentiment model endpoint cannot be reached right now.'),
  'endpoint-slow': error(504, 'ENDPOINT_TIMEOUT', 'The sentiment model endpoint did not answer in time.'),
  internal: error(500, 'INTERNAL_ERROR', 'Something went wrong on our side; the request was not processed.'),
  'gateway-html': (res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
  },
  'long-message': error(503, 'ENDPOINT_UNAVAILABLE', 'x'.repeat(5000)),
  garbage: (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"results": [ this is not json');
  },
  'html-200': (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Vite</title>');
  },
  'wrong-shape': json(200, { predictions: [{ label: 'positive', score: 0.9, readable: 1 }], model: 'stand-in-model' }),
  'bad-label': json(200, { results: [{ label: 'meh', score: 0.5 }], model: 'stand-in-model' }),
  'bad-score': json(200, { results: [{ label: 'positive', score: 1.5, readable: 1 }], model: 'stand-in-model' }),
  'two-results': json(200, {
    results: [
      { label: 'positive', score: 0.9, readable: 1 },
      { label: 'negative', score: 0.1, readable: 1 },
    ],
    model: 'stand-in-model',
  }),
  'no-model': json(200, { results: [{ label: 'positive', score: 0.9, readable: 1 }] }),
  unreadable: json(200, { results: [{ label: 'unreadable', score: 0.36, readable: 0.38 }], model: 'stand-in-model' }),
  'no-readable': json(200, { results: [{ label: 'positive', score: 0.9 }], model: 'stand-in-model' }),
  'bad-readable': json(200, { results: [{ label: 'positive', score: 0.9, readable: 1.2 }], model: 'stand-in-model' }),
  slow: (res) => {
    const timer = setTimeout(() => {
      json(200, { results: [{ label: 'positive', score: 0.9, readable: 1 }], model: 'stand-in-model' })(
        res,
        emptyReceived,
      );
    }, 5_000);
    res.on('close', () => {
      clearTimeout(timer);
    });
  },
  // Headers at once, then a body that never finishes: the timeout must cover the body too.
  'slow-body': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"results": [');
    const timer = setTimeout(() => res.end(']}'), 5_000);
    res.on('close', () => {
      clearTimeout(timer);
    });
  },
  'hang-up': (res) => {
    res.socket?.destroy();
  },
};

const emptyReceived: Received = { method: undefined, path: undefined, contentType: undefined, body: '' };

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: Received = {
        method: req.method,
        path: req.url,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const match = /^\/([^/]+)\/sentiment$/.exec(req.url ?? '');
      const reply = match?.[1] === undefined ? undefined : CASES[match[1]];
      if (reply === undefined) error(404, 'NOT_FOUND', `There is no ${req.url ?? ''}.`)(res, received);
      else reply(res, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

/** The ApiFailure that analyse() rejects with; fails the test if it resolves or throws anything else. */
async function failure(apiUrl: string, text = 'A fine film.', options = {}): Promise<ApiFailure> {
  try {
    await analyse(apiUrl, text, options);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(ApiFailure);
    return thrown as ApiFailure;
  }
  throw new Error(`analyse(${apiUrl}) resolved; a failure was expected`);
}

describe('analyse: answers', () => {
  it('resolves with the checked result', async () => {
    await expect(analyse(`${base}/ok`, 'A fine film.')).resolves.toEqual({
      results: [{ label: 'positive', score: 0.93, readable: 1 }],
      model: 'stand-in-model',
    });
    await expect(analyse(`${base}/negative`, 'A dull film.')).resolves.toMatchObject({
      results: [{ label: 'negative', score: 0.12, readable: 1 }],
    });
  });

  it('accepts an "unreadable" result, with its readable share', async () => {
    await expect(analyse(`${base}/unreadable`, 'Il mio film preferito di sempre.')).resolves.toEqual({
      results: [{ label: 'unreadable', score: 0.36, readable: 0.38 }],
      model: 'stand-in-model',
    });
  });

  it('POSTs {"text"} as JSON to <api>/sentiment, with or without a trailing slash on the URL', async () => {
    const review = 'Quotes " and <tags> and émojis 🎬 travel intact.';
    for (const apiUrl of [`${base}/echo`, `${base}/echo/`]) {
      const { model } = await analyse(apiUrl, review);
      const received = JSON.parse(model) as Received;
      expect(received.method).toBe('POST');
      expect(received.path).toBe('/echo/sentiment');
      expect(received.contentType).toBe('application/json');
      expect(JSON.parse(received.body)).toEqual({ text: review });
    }
  });
});

describe('analyse: failures', () => {
  it.each<[string, FailureKind, number, string | undefined, RegExp]>([
    ['too-long', 'too-long', 413, 'REVIEW_TOO_LONG', /the limit is 20,000/],
    ['body-too-large', 'too-long', 413, 'BODY_TOO_LARGE', /over the limit/],
    ['too-long-bare', 'too-long', 413, undefined, /too long: the API takes at most 20,000 characters/],
    ['empty', 'empty', 400, 'EMPTY_REVIEW', /empty or only white space/],
    ['invalid-json', 'invalid', 400, 'INVALID_JSON', /not valid JSON/],
    ['unsupported-type', 'invalid', 415, 'UNSUPPORTED_MEDIA_TYPE', /not supported/],
    ['not-found', 'invalid', 404, 'NOT_FOUND', /has no ReelSense API .*Check the API URL/],
    ['endpoint-error', 'server', 502, 'ENDPOINT_ERROR', /failed to classify/],
    ['endpoint-down', 'server', 503, 'ENDPOINT_UNAVAILABLE', /cannot be reached right now/],
    ['endpoint-slow', 'server', 504, 'ENDPOINT_TIMEOUT', /did not answer in time/],
    ['internal', 'server', 500, 'INTERNAL_ERROR', /Something went wrong on our side/],
    ['gateway-html', 'server', 502, undefined, /model failed to answer/],
  ])('%s: %s (HTTP %i, %s)', async (name, kind, status, code, message) => {
    const failed = await failure(`${base}/${name}`);
    expect(failed).toMatchObject({ kind, status, code });
    expect(failed.message).toMatch(message);
  });

  it('429: says when to try again, from Retry-After seconds or an HTTP date', async () => {
    const seconds = await failure(`${base}/throttled`);
    expect(seconds).toMatchObject({ kind: 'throttled', status: 429, code: 'THROTTLED', retryAfterSeconds: 7 });
    expect(seconds.message).toBe('Too many requests from this client. Try again in 7 seconds.');

    const date = await failure(`${base}/throttled-date`);
    expect(date.retryAfterSeconds).toBeGreaterThanOrEqual(85);
    expect(date.retryAfterSeconds).toBeLessThanOrEqual(91);

    const bare = await failure(`${base}/throttled-bare`);
    expect(bare).toMatchObject({ kind: 'throttled', retryAfterSeconds: undefined });
    expect(bare.message).toBe('Too many requests right now. Wait a moment.');
  });

  it('cuts a server sentence that runs on', async () => {
    const failed = await failure(`${base}/long-message`);
    expect(failed.message.length).toBeLessThanOrEqual(300);
    expect(failed.message.endsWith('…')).toBe(true);
  });

  it.each(['garbage', 'html-200'])('%s: a 200 that is not JSON is a bad answer', async (name) => {
    const failed = await failure(`${base}/${name}`);
    expect(failed).toMatchObject({ kind: 'bad-answer', status: 200 });
    expect(failed.message).toMatch(/not JSON/);
  });

  it.each(['wrong-shape', 'bad-label', 'bad-score', 'no-readable', 'bad-readable', 'two-results', 'no-model'])(
    '%s: JSON of the wrong shape is a bad answer',
    async (name) => {
      const failed = await failure(`${base}/${name}`);
      expect(failed).toMatchObject({ kind: 'bad-answer', status: 200 });
      expect(failed.message).toMatch(/not a ReelSense result/);
    },
  );

  it.each(['slow', 'slow-body'])('%s: gives up after timeoutMs', async (name) => {
    const started = performance.now();
    const failed = await failure(`${base}/${name}`, 'A fine film.', { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(failed.kind).toBe('timeout');
    expect(failed.message).toBe(
      `The ReelSense API at ${base}/${name} did not answer within 0.3 seconds. Try again in a moment.`,
    );
  });

  it("stops when the caller's signal aborts, and says it was cancelled rather than slow", async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 100);
    const failed = await failure(`${base}/slow`, 'A fine film.', { signal: controller.signal, timeoutMs: 10_000 });
    expect(failed.kind).toBe('aborted');

    const already = await failure(`${base}/ok`, 'A fine film.', { signal: AbortSignal.abort() });
    expect(already.kind).toBe('aborted');
  });

  it('a closed port: cannot reach the API, and names the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) =>
      closed.close(() => {
        resolve();
      }),
    );

    const failed = await failure(url);
    expect(failed).toMatchObject({ kind: 'unreachable', status: undefined });
    expect(failed.message).toMatch(new RegExp(`^Can't reach the ReelSense API at ${url}\\.`));
    expect(failed.cause).toBeDefined();
  });

  it('a connection dropped without an answer: cannot reach the API', async () => {
    const failed = await failure(`${base}/hang-up`);
    expect(failed.kind).toBe('unreachable');
  });
});

describe('analyse: redirects', () => {
  it('does not follow a redirect: the review and the API key go to the configured URL only', async () => {
    // Another host, as a redirect would name it: whatever reaches it has leaked.
    const leaked: { path: string | undefined; apiKey: string | string[] | undefined }[] = [];
    const elsewhere = createServer((req, res) => {
      leaked.push({ path: req.url, apiKey: req.headers['x-api-key'] });
      json(200, { results: [{ label: 'positive', score: 0.9, readable: 1 }], model: 'elsewhere' })(res, emptyReceived);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/sentiment`;
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: target });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    try {
      const failed = await failure(apiUrl, 'A fine film.', { apiKey: 'secret-key' });
      expect(leaked).toEqual([]);
      expect(failed).toMatchObject({ kind: 'invalid', status: 307 });
      expect(failed.message).toBe(
        `The API at ${apiUrl} answered with a redirect. ReelSense does not follow redirects, so that reviews and the API key go to the configured URL only: put the address it redirects to in the settings.`,
      );
    } finally {
      await Promise.all(
        [elsewhere, redirecting].map(
          (s) =>
            new Promise<void>((resolve) =>
              s.close(() => {
                resolve();
              }),
            ),
        ),
      );
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it.each<[string | null, number | undefined]>([
    ['7', 7],
    [' 0 ', 0],
    ['Wed, 25 Nov 2026 12:01:30 GMT', 90],
    ['Wed, 25 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    [null, undefined],
  ])('%s -> %s', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });
});
