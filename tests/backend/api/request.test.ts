import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReviews, type RequestParts } from '../../../backend/api/request.ts';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode, type Limits } from '../../../public-api/contract.ts';
import { HttpError } from '../../../backend/http-error.ts';

const SMALL: Limits = { maxBodyBytes: 100, maxReviewChars: 10, maxReviews: 3 };

const json = (value: unknown, contentType = 'application/json'): RequestParts => ({
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(value),
});
const plain = (body: string | null, headers: Record<string, string> = {}): RequestParts => ({ headers, body });

function refusal(parts: RequestParts, limits: Limits = DEFAULT_LIMITS): HttpError {
  try {
    parseReviews(parts, limits);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseReviews: what is accepted', () => {
  it.each<[string, RequestParts, string[]]>([
    ['text/plain', plain('A fine film.', { 'Content-Type': 'text/plain' }), ['A fine film.']],
    ['no content type (the seed page)', plain('A fine film.'), ['A fine film.']],
    ['text/plain with a charset, any header case', plain('x', { 'CONTENT-TYPE': 'Text/Plain; charset=UTF-8' }), ['x']],
    ['{"text"}', json({ text: 'Loved it' }), ['Loved it']],
    ['{"texts"} in order', json({ texts: ['one', 'two', 'three'] }), ['one', 'two', 'three']],
    ['JSON with a quoted charset', json({ text: 'ok' }, 'application/json; charset="utf-8"'), ['ok']],
    ['reviews unchanged (no trimming)', json({ texts: ['  padded  ', '<br />html'] }), ['  padded  ', '<br />html']],
    ['a byte-order mark before JSON', plain('\uFEFF{"text":"bom"}', { 'content-type': 'application/json' }), ['bom']],
    ['no headers object at all', { body: 'hand-made event', headers: null }, ['hand-made event']],
  ])('%s', (_name, parts, expected) => {
    expect(parseReviews(parts, DEFAULT_LIMITS)).toEqual(expected);
  });

  it('decodes a base64 body as UTF-8', () => {
    const body = Buffer.from(JSON.stringify({ texts: ['Amélie ♥', '東京物語'] })).toString('base64');
    const parts = { headers: { 'content-type': 'application/json' }, body, isBase64Encoded: true };
    expect(parseReviews(parts, DEFAULT_LIMITS)).toEqual(['Amélie ♥', '東京物語']);
  });

  it('accepts a body, a review count and a review length exactly at their limits', () => {
    const limits: Limits = { maxBodyBytes: 31, maxReviewChars: 4, maxReviews: 3 };
    const parts = json({ texts: ['abcd', 'éé', '★'] }); // 31 bytes: é is 2 bytes, ★ is 3
    expect(Buffer.byteLength(parts.body ?? '')).toBe(31);
    expect(parseReviews(parts, limits)).toEqual(['abcd', 'éé', '★']);
  });
});

describe('parseReviews: what is refused, with which code and sentence', () => {
  it.each<[string, RequestParts, ErrorCode, RegExp]>([
    ['broken JSON', plain('{"text": ', { 'content-type': 'application/json' }), 'INVALID_JSON', /not valid JSON/],
    ['no JSON body', plain(null, { 'content-type': 'application/json' }), 'INVALID_JSON', /body is empty/],
    ['a JSON array', json(['a', 'b']), 'INVALID_REQUEST', /must be an object, not an array/],
    ['a JSON string', json('review'), 'INVALID_REQUEST', /must be an object, not a string/],
    ['JSON null', json(null), 'INVALID_REQUEST', /not null/],
    ['neither text nor texts', json({}), 'INVALID_REQUEST', /neither "text" nor "texts"/],
    ['both text and texts', json({ text: 'a', texts: ['b'] }), 'INVALID_REQUEST', /not both/],
    ['an unknown field', json({ text: 'a', lang: 'en' }), 'INVALID_REQUEST', /Unknown field "lang"/],
    [
      'a __proto__ field',
      plain('{"__proto__": {"text": "a"}}', { 'content-type': 'application/json' }),
      'INVALID_REQUEST',
      /__proto__/,
    ],
    ['texts not an array', json({ texts: 'one review' }), 'INVALID_REQUEST', /"texts" must be an array/],
    ['text not a string', json({ text: 42 }), 'REVIEW_NOT_TEXT', /"text" must be a string, not a number/],
    ['a review in texts not a string', json({ texts: ['ok', null] }), 'REVIEW_NOT_TEXT', /^Review 2 is null/],
    ['an empty list', json({ texts: [] }), 'NO_REVIEWS', /no reviews/],
    ['an empty text/plain body', plain('', { 'content-type': 'text/plain' }), 'EMPTY_REVIEW', /The review is empty/],
    ['no text/plain body at all', plain(null), 'EMPTY_REVIEW', /empty/],
    ['a white-space review', plain(' \n\t\u00a0'), 'EMPTY_REVIEW', /empty/],
    ['a white-space review in a batch', json({ texts: ['ok', 'fine', '   '] }), 'EMPTY_REVIEW', /^Review 3 is empty/],
    [
      'text/html',
      plain('<p>x</p>', { 'content-type': 'text/html' }),
      'UNSUPPORTED_MEDIA_TYPE',
      /"text\/html" is not supported/,
    ],
    [
      'form data',
      plain('text=x', { 'Content-Type': 'application/x-www-form-urlencoded' }),
      'UNSUPPORTED_MEDIA_TYPE',
      /not supported/,
    ],
    [
      'a non-UTF-8 charset',
      plain('x', { 'content-type': 'text/plain; charset=iso-8859-1' }),
      'UNSUPPORTED_MEDIA_TYPE',
      /UTF-8/,
    ],
    [
      'invalid UTF-8 in base64',
      { body: Buffer.from([0x61, 0xff, 0xfe]).toString('base64'), isBase64Encoded: true },
      'INVALID_ENCODING',
      /UTF-8/,
    ],
    ['a lone surrogate', plain('bad \ud800 text'), 'INVALID_ENCODING', /UTF-8/],
  ])('%s', (_name, parts, code, message) => {
    const error = refusal(parts);
    expect(error.code).toBe(code);
    expect(error.status).toBe(ERROR_STATUS[code]);
    expect(error.message).toMatch(message);
  });

  it.each<[string, RequestParts, ErrorCode, RegExp]>([
    ['a body one byte over', plain('é'.repeat(50) + 'x'), 'BODY_TOO_LARGE', /101 bytes; the limit is 100 bytes/],
    [
      'a base64 body over',
      { body: Buffer.alloc(101, 0x61).toString('base64'), isBase64Encoded: true },
      'BODY_TOO_LARGE',
      /101 bytes/,
    ],
    [
      'one review too many',
      json({ texts: ['a', 'b', 'c', 'd'] }),
      'TOO_MANY_REVIEWS',
      /4 reviews; the limit is 3 per request/,
    ],
    [
      'a review too long, by index',
      json({ texts: ['short', 'elevenchars'] }),
      'REVIEW_TOO_LONG',
      /^Review 2 has 11 characters; the limit is 10\./,
    ],
    [
      'a single review too long',
      plain('elevenchars'),
      'REVIEW_TOO_LONG',
      /^The review has 11 characters; the limit is 10\./,
    ],
  ])('%s (413)', (_name, parts, code, message) => {
    const error = refusal(parts, SMALL);
    expect(error.code).toBe(code);
    expect(error.status).toBe(413);
    expect(error.message).toMatch(message);
  });

  it('writes large numbers with separators', () => {
    const error = refusal(plain('x'.repeat(20_001)));
    expect(error.message).toBe('The review has 20,001 characters; the limit is 20,000.');
  });

  it('never echoes the review text in a message', () => {
    const review = 'SECRET-REVIEW-TEXT';
    for (const parts of [
      plain(`{"text": "${review}"`, { 'content-type': 'application/json' }),
      json({ texts: [review, 7] }),
      plain(review.repeat(2000)),
    ]) {
      expect(refusal(parts).message).not.toContain(review);
    }
  });
});

describe('parseReviews under fuzzing', () => {
  it('answers any input with reviews or an HttpError of a 4xx code, never anything else', () => {
    const contentTypes = fc.option(
      fc.oneof(
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'image/png', ''),
        fc.string(),
      ),
      { nil: undefined },
    );
    const bodies = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.record({ text: fc.anything() }).map((value) => JSON.stringify(value)),
      fc.record({ texts: fc.array(fc.oneof(fc.string(), fc.anything())) }).map((value) => JSON.stringify(value)),
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
          const reviews = parseReviews(parts, SMALL);
          expect(reviews.length).toBeGreaterThan(0);
          expect(reviews.length).toBeLessThanOrEqual(SMALL.maxReviews);
          for (const review of reviews) {
            expect(review.trim()).not.toBe('');
            expect(review.length).toBeLessThanOrEqual(SMALL.maxReviewChars);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError);
          const { status, code, message } = error as HttpError;
          expect(status).toBe(ERROR_STATUS[code]);
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
