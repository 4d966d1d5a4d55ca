/**
 * The public contract end to end over real HTTP: client -> local gateway -> Lambda handler ->
 * AWS SDK -> endpoint server -> the shipped model. Every status and error code of DESIGN.md
 * that a client can cause, CORS on every answer, "explain": true and its bar, and the endpoint
 * going away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isExplanationOf } from '../../public-api/client.ts';
import {
  DEFAULT_LIMITS,
  ERROR_STATUS,
  type ErrorCode,
  type ExplanationSpan,
  type SentimentResponse,
} from '../../public-api/contract.ts';
import { createNodeClassifier, SHIPPED_MODEL_VERSION } from '../../model/inference/node.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';

const POSITIVE = 'A wonderful, moving film with superb acting. I loved every minute of it. 10/10';
const NEGATIVE = 'Dreadful. A boring, badly acted mess; the worst film I have seen this year. 1/10';

let stack: InProcessStack;
const sentiment = (init: RequestInit = {}, path = '/sentiment') =>
  fetch(`${stack.gateway.url}${path}`, { method: 'POST', ...init });
const json = (body: unknown): RequestInit => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  stack = await startStackInProcess();
}, 60_000);
afterAll(() => stack.close());

describe('"explain": true through the local stack', () => {
  const PRAISE = 'This film is a masterpiece, with superb acting and a moving story.';
  const CONTEMPT = 'The sequel, however, is a boring, badly acted mess that I hated.';
  const REVIEW = `I loved this film: the acting is superb and the story is moving.<br /><br />But the ending was dreadful, boring and badly written, a waste of time. ${POSITIVE}`;
  const TEXTS = [
    POSITIVE,
    NEGATIVE,
    `${PRAISE} ${CONTEMPT}`,
    `  ${CONTEMPT}\n\n${PRAISE}  `,
    REVIEW,
    'Great film 😀 &amp; cast',
  ];

  const explained = async (body: unknown): Promise<SentimentResponse> => {
    const response = await sentiment(json(body));
    expect(response.status).toBe(200);
    return (await response.json()) as SentimentResponse;
  };

  /** The bar's checks, written out: whole offsets inside the text, sorted, not overlapping, a finite weight each. */
  function expectValidSpans(spans: readonly ExplanationSpan[] | undefined, text: string): void {
    expect(spans?.length).toBeGreaterThan(0);
    let previousEnd = 0;
    for (const { start, end, weight } of spans ?? []) {
      expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
      expect(start).toBeGreaterThanOrEqual(previousEnd);
      expect(end).toBeGreaterThan(start);
      expect(end).toBeLessThanOrEqual(text.length);
      expect(Number.isFinite(weight)).toBe(true);
      expect(text.slice(start, end).trim()).toBe(text.slice(start, end));
      previousEnd = end;
    }
    expect(isExplanationOf(spans, text)).toBe(true);
  }

  it('returns an explanation for every result, with valid, sorted, non-overlapping spans inside the text', async () => {
    const body = await explained({ texts: TEXTS, explain: true });
    expect(body.results).toHaveLength(TEXTS.length);
    body.results.forEach((result, i) => {
      expectValidSpans(result.explanation, TEXTS[i] ?? '');
    });
    const single = await explained({ text: REVIEW, explain: true });
    expectValidSpans(single.results[0]?.explanation, REVIEW);
  });

  it.each([
    ['praise, then contempt', `${PRAISE} ${CONTEMPT}`],
    ['contempt, then praise, white space around', `  ${CONTEMPT}\n\n${PRAISE}  `],
  ])(
    'gives the two sentences of a mixed text weights of opposite sign, in the right direction (%s)',
    async (_, text) => {
      const [result] = (await explained({ text, explain: true })).results;
      const spans = result?.explanation ?? [];
      expect(spans.map(({ start, end }) => text.slice(start, end))).toEqual(
        text.trim().startsWith(PRAISE) ? [PRAISE, CONTEMPT] : [CONTEMPT, PRAISE],
      );
      for (const span of spans) {
        expect(Math.sign(span.weight)).toBe(text.slice(span.start, span.end) === PRAISE ? 1 : -1);
      }
    },
  );

  it('answers without "explain" (or with false) as before, and with it the same results plus explanations', async () => {
    const without = (raw: string, ...keys: string[]): unknown =>
      JSON.parse(raw, (key, value: unknown) => (keys.includes(key) ? undefined : value));
    // A text explained by sentence is scored alone, as a lone request is: the very same bytes. A
    // short text explained by word is scored in one model batch with its variants, where ONNX
    // Runtime's float sums may differ in the last bits (as for a review batched with others).
    const bySentence = new Set([TEXTS[2], TEXTS[3], REVIEW]);
    for (const text of TEXTS) {
      const plain = await (await sentiment(json({ text }))).text();
      const unasked = await (await sentiment(json({ text, explain: false }))).text();
      const asked = await (await sentiment(json({ text, explain: true }))).text();
      expect(unasked).toBe(plain);
      expect(plain).not.toContain('explanation');
      if (bySentence.has(text)) {
        expect(JSON.stringify(without(asked, 'explanation'))).toBe(plain);
      } else {
        expect(without(asked, 'explanation', 'score')).toEqual(without(plain, 'score'));
        const score = (raw: string): number => (JSON.parse(raw) as SentimentResponse).results[0]?.score ?? NaN;
        expect(score(asked)).toBeCloseTo(score(plain), 6);
      }
    }
  });
});

describe('the local stack, end to end', () => {
  it('labels reviews with the shipped model, as the model does in-process', async () => {
    const response = await sentiment(json({ texts: [POSITIVE, NEGATIVE, POSITIVE.toUpperCase()] }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { results: { label: string; score: number }[]; model: string };
    expect(body.model).toBe(SHIPPED_MODEL_VERSION);
    expect(body.results.map((r) => r.label)).toEqual(['positive', 'negative', 'positive']);
    const direct = await (await createNodeClassifier()).classifyBatch([POSITIVE, NEGATIVE, POSITIVE.toUpperCase()]);
    body.results.forEach((result, i) => {
      expect(result.score).toBeCloseTo(direct[i]?.score ?? NaN, 6);
    });
  });

  it.each([
    ['application/json {"text"}', json({ text: NEGATIVE })],
    ['text/plain', { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: NEGATIVE }],
    ['no content type (the seed page)', { body: new Blob([NEGATIVE]) }],
  ])('takes one review as %s', async (_, init) => {
    const response = await sentiment(init);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { label: string }[] };
    expect(body.results).toHaveLength(1);
    expect(body.results[0]?.label).toBe('negative');
  });

  it('keeps review text as data: HTML and script are scored, not run or echoed', async () => {
    const response = await sentiment(
      json({ text: `<script>alert(1)</script><img src=x onerror=alert(1)> ${POSITIVE}` }),
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('<script');
    expect((JSON.parse(text) as { results: { label: string }[] }).results[0]?.label).toBe('positive');
  });

  const tooLong = 'a'.repeat(DEFAULT_LIMITS.maxReviewChars + 1);
  const cases: [ErrorCode, () => Promise<Response>][] = [
    ['INVALID_JSON', () => sentiment({ headers: { 'content-type': 'application/json' }, body: '{"text": ' })],
    [
      'INVALID_ENCODING',
      () => sentiment({ headers: { 'content-type': 'text/plain' }, body: new Uint8Array([0xff, 0xfe, 0xc3]) }),
    ],
    ['INVALID_REQUEST', () => sentiment(json({ review: POSITIVE }))],
    ['REVIEW_NOT_TEXT', () => sentiment(json({ texts: [POSITIVE, 42] }))],
    ['EMPTY_REVIEW', () => sentiment({ headers: { 'content-type': 'text/plain' }, body: '  \n ' })],
    ['NO_REVIEWS', () => sentiment(json({ texts: [] }))],
    ['NOT_FOUND', () => sentiment(json({ text: POSITIVE }), '/sentiments')],
    ['METHOD_NOT_ALLOWED', () => fetch(`${stack.gateway.url}/sentiment`)],
    [
      'BODY_TOO_LARGE',
      () => sentiment({ headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes + 1) }),
    ],
    ['REVIEW_TOO_LONG', () => sentiment(json({ text: tooLong }))],
    ['TOO_MANY_REVIEWS', () => sentiment(json({ texts: Array(DEFAULT_LIMITS.maxReviews + 1).fill(POSITIVE) }))],
    [
      'TOO_MANY_TO_EXPLAIN',
      () => sentiment(json({ texts: Array(DEFAULT_LIMITS.maxExplainedReviews + 1).fill(POSITIVE), explain: true })),
    ],
    [
      'UNSUPPORTED_MEDIA_TYPE',
      () => sentiment({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hi' }),
    ],
  ];
  it.each(cases)('answers %s with its status, a sentence and CORS', async (code, send) => {
    const response = await send();
    expect(response.status).toBe(ERROR_STATUS[code]);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/^[A-Z].{10,}[.)]$/s);
    expect(body.error.message).not.toMatch(/\n\s+at /);
  });

  it('answers the CORS preflight', async () => {
    const response = await fetch(`${stack.gateway.url}/sentiment`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  });

  it('answers 503 ENDPOINT_UNAVAILABLE with a sentence once the endpoint server is gone', async () => {
    await stack.endpoint.close();
    const response = await sentiment(json({ text: POSITIVE }));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ENDPOINT_UNAVAILABLE');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
