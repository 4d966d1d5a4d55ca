/**
 * The shared request checks (backend/request/validate.ts), table-driven: each case is a content
 * type and a body, and either the reviews or the contract's code with its one sentence. Both
 * servers answer through these, so the sentences pinned here are the ones both send. The
 * envelopes are the servers' own (tests/backend/api/request.test.ts, the endpoint server's test);
 * here a bare JSON list stands in for one.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../backend/http-error.ts';
import { bodyKind, readReviews, type Body, type BodyKind, type Envelope } from '../../../backend/request/index.ts';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode, type Limits } from '../../../public-api/contract.ts';

const SMALL: Limits = { maxBodyBytes: 100, maxReviewChars: 10, maxReviews: 3, maxExplainedReviews: 2 };

/** A stand-in envelope: the JSON must be a list of reviews. */
const list: Envelope = (value) => {
  if (!Array.isArray(value)) throw new HttpError('INVALID_REQUEST', 'The JSON body must be a list of reviews.');
  return value as unknown[];
};

function check(contentType: string | undefined, body: Body, limits: Limits = SMALL): readonly string[] {
  return readReviews(bodyKind(contentType), body, limits, list);
}

function refusal(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('bodyKind: the content type', () => {
  it.each<[string | undefined, BodyKind]>([
    [undefined, 'text'],
    ['', 'text'],
    ['  ', 'text'],
    ['text/plain', 'text'],
    ['Text/Plain; charset=UTF-8', 'text'],
    ['TEXT/PLAIN;charset=us-ascii', 'text'],
    ['; charset=utf-8', 'text'],
    ['application/json', 'json'],
    ['application/json; charset=utf8', 'json'],
    ['application/json;charset="utf-8"', 'json'],
    ['application/json; charset = UTF-8', 'json'],
    ['application/json; boundary=x', 'json'],
  ])('%j is %s', (contentType, kind) => {
    expect(bodyKind(contentType)).toBe(kind);
  });

  it.each<[string, string]>([
    ['text/html', 'The content type "text/html" is not supported; send application/json or text/plain.'],
    [
      'Application/XML; charset=utf-8',
      'The content type "application/xml" is not supported; send application/json or text/plain.',
    ],
    [
      'application/jsonx',
      'The content type "application/jsonx" is not supported; send application/json or text/plain.',
    ],
    ['*/*', 'The content type "*/*" is not supported; send application/json or text/plain.'],
    ['text/plain; charset=iso-8859-1', 'The charset "iso-8859-1" is not supported; send UTF-8.'],
    ['application/json; charset="UTF-16"', 'The charset "utf-16" is not supported; send UTF-8.'],
    ['text/plain; charset="utf-8', 'The charset "\\"utf-8" is not supported; send UTF-8.'],
  ])('refuses %j with 415', (contentType, message) => {
    const error = refusal(() => bodyKind(contentType));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.status).toBe(415);
    expect(error.message).toBe(message);
  });

  it('cuts a long content type short in its sentence', () => {
    const error = refusal(() => bodyKind(`x/${'y'.repeat(200)}`));
    expect(error.message).toContain('…" is not supported');
    expect(error.message.length).toBeLessThan(140);
  });
});

describe('readReviews: what is accepted', () => {
  it.each<[string, string | undefined, Body, string[]]>([
    ['a text/plain review', 'text/plain', 'A fine film.', ['A fine film.']],
    ['text as bytes', undefined, Buffer.from('Amélie ♥ 東京物語'), ['Amélie ♥ 東京物語']],
    ['a JSON list in order', 'application/json', '["one","two","three"]', ['one', 'two', 'three']],
    [
      'reviews unchanged (no trimming)',
      'application/json',
      '["  padded  ","<br />html"]',
      ['  padded  ', '<br />html'],
    ],
    ['a byte-order mark before JSON (text)', 'application/json', '\uFEFF["bom"]', ['bom']],
    [
      'a byte-order mark before JSON (bytes)',
      'application/json',
      bytes(0xef, 0xbb, 0xbf, 0x5b, 0x22, 0x62, 0x22, 0x5d),
      ['b'],
    ],
    ['a byte-order mark before text', 'text/plain', bytes(0xef, 0xbb, 0xbf, 0x61), ['a']],
    ['a NUL inside a review', 'text/plain', 'ok\u0000ok', ['ok\u0000ok']],
    ['white space around JSON', 'application/json', ' \n["x"]\n ', ['x']],
  ])('%s', (_name, contentType, body, expected) => {
    expect(check(contentType, body, DEFAULT_LIMITS)).toEqual(expected);
  });

  it('accepts a body, a review count and a review length exactly at their limits', () => {
    const limits: Limits = { maxBodyBytes: 21, maxReviewChars: 4, maxReviews: 3, maxExplainedReviews: 2 };
    const body = '["abcd","éé","★"]'; // 21 bytes: é is 2 bytes, ★ is 3
    expect(Buffer.byteLength(body)).toBe(21);
    expect(check('application/json', body, limits)).toEqual(['abcd', 'éé', '★']);
    expect(check('application/json', Buffer.from(body), limits)).toEqual(['abcd', 'éé', '★']);
  });
});

describe('readReviews: what is refused, with which code and sentence', () => {
  it.each<[string, string | undefined, Body, ErrorCode, string]>([
    // 413: the body, in bytes (a string body is counted as UTF-8), before it is decoded or parsed.
    [
      'a text body one byte over',
      'text/plain',
      'é'.repeat(50) + 'x',
      'BODY_TOO_LARGE',
      'The request body is over the limit of 100 bytes; send fewer or shorter reviews.',
    ],
    [
      'a byte body one byte over',
      'text/plain',
      Buffer.alloc(101, 0x61),
      'BODY_TOO_LARGE',
      'The request body is over the limit of 100 bytes; send fewer or shorter reviews.',
    ],
    [
      'size before UTF-8',
      'text/plain',
      Buffer.alloc(101, 0xff),
      'BODY_TOO_LARGE',
      'The request body is over the limit of 100 bytes; send fewer or shorter reviews.',
    ],
    [
      'size before JSON',
      'application/json',
      '{'.repeat(101),
      'BODY_TOO_LARGE',
      'The request body is over the limit of 100 bytes; send fewer or shorter reviews.',
    ],
    // 400: the encoding, then the JSON.
    [
      'bytes that are not UTF-8',
      'text/plain',
      bytes(0x61, 0xff, 0xfe),
      'INVALID_ENCODING',
      'The body is not valid UTF-8; send the reviews as UTF-8 text.',
    ],
    [
      'a UTF-8 surrogate (CESU)',
      'text/plain',
      bytes(0xed, 0xa0, 0x80),
      'INVALID_ENCODING',
      'The body is not valid UTF-8; send the reviews as UTF-8 text.',
    ],
    [
      'a lone surrogate in a text body',
      undefined,
      'bad \ud800 text',
      'INVALID_ENCODING',
      'The body is not valid UTF-8; send the reviews as UTF-8 text.',
    ],
    [
      'UTF-8 before JSON',
      'application/json',
      bytes(0x22, 0xc3, 0x28, 0x22),
      'INVALID_ENCODING',
      'The body is not valid UTF-8; send the reviews as UTF-8 text.',
    ],
    [
      'no JSON body',
      'application/json',
      undefined,
      'INVALID_JSON',
      'The body is empty, but the content type says JSON.',
    ],
    [
      'an empty JSON body',
      'application/json',
      Buffer.alloc(0),
      'INVALID_JSON',
      'The body is empty, but the content type says JSON.',
    ],
    [
      'a white-space JSON body',
      'application/json',
      ' \n',
      'INVALID_JSON',
      'The body is empty, but the content type says JSON.',
    ],
    [
      'broken JSON',
      'application/json',
      '["a", ',
      'INVALID_JSON',
      'The body is not valid JSON, but the content type says it is.',
    ],
    [
      'JSON text under text/plain is a review, not JSON',
      'text/plain',
      '   ',
      'EMPTY_REVIEW',
      'The review is empty or only white space; send some text to classify.',
    ],
    // The envelope's own refusal passes through unchanged.
    [
      'the envelope refuses',
      'application/json',
      '{"a":1}',
      'INVALID_REQUEST',
      'The JSON body must be a list of reviews.',
    ],
    // The list, then each review in order: type, length, emptiness.
    ['an empty list', 'application/json', '[]', 'NO_REVIEWS', 'The request has no reviews; send at least one.'],
    [
      'one review too many',
      'application/json',
      '["a","b","c","d"]',
      'TOO_MANY_REVIEWS',
      'The request has 4 reviews; the limit is 3 per request.',
    ],
    [
      'the count before the reviews',
      'application/json',
      '[1,2,3,4]',
      'TOO_MANY_REVIEWS',
      'The request has 4 reviews; the limit is 3 per request.',
    ],
    [
      'a single review not a string',
      'application/json',
      '[42]',
      'REVIEW_NOT_TEXT',
      'The review is a number; every review must be a string.',
    ],
    [
      'a review in a list not a string',
      'application/json',
      '["ok",null]',
      'REVIEW_NOT_TEXT',
      'Review 2 is null; every review must be a string.',
    ],
    [
      'an object as a review',
      'application/json',
      '["ok","ok",{"text":"x"}]',
      'REVIEW_NOT_TEXT',
      'Review 3 is an object; every review must be a string.',
    ],
    [
      'a list as a review',
      'application/json',
      '[["x"]]',
      'REVIEW_NOT_TEXT',
      'The review is an array; every review must be a string.',
    ],
    [
      'a single review too long',
      'text/plain',
      'elevenchars',
      'REVIEW_TOO_LONG',
      'The review has 11 characters; the limit is 10.',
    ],
    [
      'a review too long, by index',
      'application/json',
      '["short","elevenchars"]',
      'REVIEW_TOO_LONG',
      'Review 2 has 11 characters; the limit is 10.',
    ],
    [
      'length counts UTF-16 units',
      'application/json',
      JSON.stringify(['😀'.repeat(6)]),
      'REVIEW_TOO_LONG',
      'The review has 12 characters; the limit is 10.',
    ],
    [
      'an empty text/plain body',
      'text/plain',
      '',
      'EMPTY_REVIEW',
      'The review is empty or only white space; send some text to classify.',
    ],
    [
      'no text/plain body at all',
      undefined,
      undefined,
      'EMPTY_REVIEW',
      'The review is empty or only white space; send some text to classify.',
    ],
    [
      'a white-space review',
      undefined,
      ' \n\t\u00a0',
      'EMPTY_REVIEW',
      'The review is empty or only white space; send some text to classify.',
    ],
    [
      'a byte-order mark alone',
      'text/plain',
      bytes(0xef, 0xbb, 0xbf),
      'EMPTY_REVIEW',
      'The review is empty or only white space; send some text to classify.',
    ],
    [
      'a white-space review in a list',
      'application/json',
      '["ok","fine","   "]',
      'EMPTY_REVIEW',
      'Review 3 is empty or only white space; send some text to classify.',
    ],
    [
      'type before length, in review order',
      'application/json',
      '["elevenchars",5]',
      'REVIEW_TOO_LONG',
      'Review 1 has 11 characters; the limit is 10.',
    ],
    [
      'length before emptiness of a later review',
      'application/json',
      '["", "elevenchars"]',
      'EMPTY_REVIEW',
      'Review 1 is empty or only white space; send some text to classify.',
    ],
  ])('%s', (_name, contentType, body, code, message) => {
    const error = refusal(() => check(contentType, body));
    expect(error.code).toBe(code);
    expect(error.status).toBe(ERROR_STATUS[code]);
    expect(error.message).toBe(message);
  });

  it('writes large numbers with separators', () => {
    const limits: Limits = {
      maxBodyBytes: 2_000_000,
      maxReviewChars: 20_000,
      maxReviews: 1_000,
      maxExplainedReviews: 2,
    };
    expect(refusal(() => check('text/plain', 'x'.repeat(20_001), limits)).message).toBe(
      'The review has 20,001 characters; the limit is 20,000.',
    );
    expect(refusal(() => check('text/plain', 'x'.repeat(2_000_001), limits)).message).toBe(
      'The request body is over the limit of 2,000,000 bytes; send fewer or shorter reviews.',
    );
    expect(refusal(() => check('application/json', JSON.stringify(Array(1_001).fill('a')), limits)).message).toBe(
      'The request has 1,001 reviews; the limit is 1,000 per request.',
    );
  });

  it('never echoes the review text in a message', () => {
    const review = 'SECRET-REVIEW-TEXT';
    for (const [contentType, body] of [
      ['application/json', `["${review}"`],
      ['application/json', JSON.stringify([review, 7])],
      ['text/plain', review.repeat(10)],
    ] as const) {
      expect(refusal(() => check(contentType, body)).message).not.toContain(review);
    }
  });
});

describe('readReviews under fuzzing', () => {
  it('answers any input with checked reviews or an HttpError of a 4xx code, never anything else', () => {
    const kinds = fc.constantFrom<BodyKind>('json', 'text');
    const bodies = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.array(fc.oneof(fc.string(), fc.anything())).map((value) => JSON.stringify(value)),
      fc.uint8Array({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(kinds, fc.option(bodies, { nil: undefined }), (kind, body) => {
        try {
          const reviews = readReviews(kind, body, SMALL, list);
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
          expect([400, 413]).toContain(status);
          expect(message).toMatch(/^[A-Z"].{10,}\.$/s);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
