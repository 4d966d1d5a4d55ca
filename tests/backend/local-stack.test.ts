/**
 * The public contract end to end over real HTTP: client -> local gateway -> Lambda handler ->
 * AWS SDK -> endpoint server -> the shipped model. Every status and error code of DESIGN.md
 * that a client can cause, CORS on every answer, and the endpoint going away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode } from '../../public-api/contract.ts';
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
