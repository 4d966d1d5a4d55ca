/**
 * The handler's own part of request reading (backend/api/request.ts): the event's headers in any
 * case, base64 bodies, and the public API's envelope, {"text"} or {"texts"}, with "explain". The checks every
 * server shares (content type, size, UTF-8, JSON, limits) are tests/backend/request/validate.test.ts's.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { header, parseRequest, type RequestParts } from '../../../backend/api/request.ts';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode, type Limits } from '../../../public-api/contract.ts';
import { HttpError } from '../../../backend/http-error.ts';

const SMALL: Limits = { maxBodyBytes: 100, maxReviewChars: 10, maxReviews: 3, maxExplainedReviews: 2 };

const json = (value: unknown, contentType = 'application/json'): RequestParts => ({
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(value),
});
const plain = (body: string | null, headers: Record<string, string> = {}): RequestParts => ({ headers, body });

/** The reviews of a request that does not ask for explanations. */
function parseReviews(parts: RequestParts, limits: Limits): readonly string[] {
  const { reviews, explain } = parseRequest(parts, limits);
  expect(explain).toBe(false);
  return reviews;
}

function refusal(parts: RequestParts, limits: Limits = DEFAULT_LIMITS): HttpError {
  try {
    parseRequest(parts, limits);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseRequest: the event and the envelope', () => {
  it.each<[string, RequestParts, string[]]>([
    ['text/plain', plain('A fine film.', { 'Content-Type': 'text/plain' }), ['A fine film.']],
    ['no content type (the seed page)', plain('A fine film.'), ['A fine film.']],
    ['the content type in any header case', plain('x', { 'CONTENT-TYPE': 'Text/Plain; charset=UTF-8' }), ['x']],
    ['{"text"}', json({ text: 'Loved it' }), ['Loved it']],
    ['{"texts"} in order', json({ texts: ['one', 'two', 'three'] }), ['one', 'two', 'three']],
    ['no headers object at all', { body: 'hand-made event', headers: null }, ['hand-made event']],
  ])('%s', (_name, parts, expected) => {
    expect(parseReviews(parts, DEFAULT_LIMITS)).toEqual(expected);
  });

  it('decodes a base64 body as UTF-8, and measures it after decoding', () => {
    const body = Buffer.from(JSON.stringify({ texts: ['Amélie ♥', '東京物語'] })).toString('base64');
    const parts = { headers: { 'content-type': 'application/json' }, body, isBase64Encoded: true };
    expect(parseReviews(parts, DEFAULT_LIMITS)).toEqual(['Amélie ♥', '東京物語']);
    const limits = { ...SMALL, maxBodyBytes: 10 };
    const exact = { body: Buffer.alloc(10, 0x61).toString('base64'), isBase64Encoded: true }; // 16 base64 characters
    expect(parseReviews(exact, limits)).toEqual(['a'.repeat(10)]);
    const over = { body: Buffer.alloc(11, 0x61).toString('base64'), isBase64Encoded: true };
    expect(refusal(over, limits).code).toBe('BODY_TOO_LARGE');
  });

  it('refuses broken UTF-8 in a base64 body', () => {
    const parts = { body: Buffer.from([0x61, 0xff, 0xfe]).toString('base64'), isBase64Encoded: true };
    expect(refusal(parts).code).toBe('INVALID_ENCODING');
  });

  it.each<[string, RequestParts, { reviews: string[]; explain: boolean }]>([
    [
      '{"text", "explain": true}',
      json({ text: ' Loved it ', explain: true }),
      { reviews: [' Loved it '], explain: true },
    ],
    ['{"texts", "explain": true}', json({ explain: true, texts: ['a', 'b'] }), { reviews: ['a', 'b'], explain: true }],
    [
      '{"text", "explain": false}',
      json({ text: 'Loved it', explain: false }),
      { reviews: ['Loved it'], explain: false },
    ],
    [
      'text/plain that looks like it asks',
      plain('{"text":"a","explain":true}', { 'Content-Type': 'text/plain' }),
      { reviews: ['{"text":"a","explain":true}'], explain: false },
    ],
  ])('reads %s', (_name, parts, expected) => {
    expect(parseRequest(parts, DEFAULT_LIMITS)).toEqual(expected);
  });

  it('reads the last of repeated headers, whatever their case', () => {
    expect(header({ headers: { 'content-type': 'a', 'Content-Type': 'b' } }, 'CONTENT-TYPE')).toBe('b');
    expect(header({ headers: null }, 'origin')).toBeUndefined();
  });
});

describe('parseRequest: what the envelope refuses', () => {
  const USAGE = 'Send {"text": "..."} or {"texts": ["...", ...]} as application/json, or one review as text/plain.';
  it.each<[string, RequestParts, ErrorCode, string]>([
    ['a JSON array', json(['a', 'b']), 'INVALID_REQUEST', `The JSON body must be an object, not an array. ${USAGE}`],
    ['a JSON string', json('review'), 'INVALID_REQUEST', `The JSON body must be an object, not a string. ${USAGE}`],
    ['JSON null', json(null), 'INVALID_REQUEST', `The JSON body must be an object, not null. ${USAGE}`],
    ['neither text nor texts', json({}), 'INVALID_REQUEST', `The body has neither "text" nor "texts". ${USAGE}`],
    ['both text and texts', json({ text: 'a', texts: ['b'] }), 'INVALID_REQUEST', 'Send "text" or "texts", not both.'],
    [
      'an unknown field',
      json({ text: 'a', lang: 'en' }),
      'INVALID_REQUEST',
      `Unknown field "lang" in the body. ${USAGE}`,
    ],
    [
      'a __proto__ field',
      plain('{"__proto__": {"text": "a"}}', { 'content-type': 'application/json' }),
      'INVALID_REQUEST',
      `Unknown field "__proto__" in the body. ${USAGE}`,
    ],
    [
      'an unknown field beside "explain"',
      json({ text: 'a', explain: true, why: true }),
      'INVALID_REQUEST',
      `Unknown field "why" in the body. ${USAGE}`,
    ],
    [
      '"explain" alone',
      json({ explain: true }),
      'INVALID_REQUEST',
      `The body has neither "text" nor "texts". ${USAGE}`,
    ],
    [
      'both text and texts, with explain',
      json({ text: 'a', texts: ['b'], explain: true }),
      'INVALID_REQUEST',
      'Send "text" or "texts", not both.',
    ],
    [
      '"explain" not a boolean',
      json({ texts: ['a'], explain: 'true' }),
      'INVALID_REQUEST',
      '"explain" must be true or false, not a string.',
    ],
    [
      'more reviews than may be explained',
      json({ texts: ['a', 'b', 'c'], explain: true }),
      'TOO_MANY_TO_EXPLAIN',
      'The request asks to explain 3 reviews; the limit is 2 per request with "explain": true.',
    ],
    [
      'texts not an array',
      json({ texts: 'one review' }),
      'INVALID_REQUEST',
      '"texts" must be an array of strings, not a string.',
    ],
    [
      'text not a string',
      json({ text: 42 }),
      'REVIEW_NOT_TEXT',
      'The review is a number; every review must be a string.',
    ],
    [
      'a review in texts not a string',
      json({ texts: ['ok', null] }),
      'REVIEW_NOT_TEXT',
      'Review 2 is null; every review must be a string.',
    ],
    ['an empty list', json({ texts: [] }), 'NO_REVIEWS', 'The request has no reviews; send at least one.'],
    [
      'one review too many',
      json({ texts: ['a', 'b', 'c', 'd'] }),
      'TOO_MANY_REVIEWS',
      'The request has 4 reviews; the limit is 3 per request.',
    ],
    [
      'an empty text',
      json({ text: ' ' }),
      'EMPTY_REVIEW',
      'The review is empty or only white space; send some text to classify.',
    ],
  ])('%s', (_name, parts, code, message) => {
    const error = refusal(parts, SMALL);
    expect(error.code).toBe(code);
    expect(error.status).toBe(ERROR_STATUS[code]);
    expect(error.message).toBe(message);
  });
});

describe('parseRequest under fuzzing', () => {
  it('answers any event with reviews or an HttpError of a 4xx code, never anything else', () => {
    const contentTypes = fc.option(
      fc.oneof(
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'image/png', ''),
        fc.string(),
      ),
      { nil: undefined },
    );
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ text: fc.anything() }).map((value) => JSON.stringify(value)),
      fc.record({ texts: fc.array(fc.oneof(fc.string(), fc.anything())) }).map((value) => JSON.stringify(value)),
      fc
        .record({ text: fc.string(), explain: fc.oneof(fc.boolean(), fc.anything()) })
        .map((value) => JSON.stringify(value)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    );
    fc.assert(
      fc.property(contentTypes, fc.option(bodies), fc.boolean(), (contentType, body, isBase64Encoded) => {
        const parts: RequestParts = {
          headers: contentType === undefined ? {} : { 'Content-Type': contentType },
          body,
          isBase64Encoded,
        };
        try {
          const { reviews, explain } = parseRequest(parts, SMALL);
          expect(reviews.length).toBeGreaterThan(0);
          expect(reviews.length).toBeLessThanOrEqual(explain ? SMALL.maxExplainedReviews : SMALL.maxReviews);
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError);
          const { status, code } = error as HttpError;
          expect(status).toBe(ERROR_STATUS[code]);
          expect([400, 413, 415]).toContain(status);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
