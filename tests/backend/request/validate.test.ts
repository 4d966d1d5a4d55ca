/**
 * The shared request checks (backend/request/validate.ts), table-driven: each case is a content
 * type and a body, and either the reviews or the contract's code with its one sentence. Both
 * servers answer through these, so the sentences pinned here are the ones both send. The
 * envelopes are the servers' own (tests/backend/api/request.test.ts, the endpoint server's test);
 * here a bare JSON list stands in for one, and `{"list": [...], "explain": ...}` for one with
 * an "explain" field.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../backend/http-error.ts';
import {
  bodyKind,
  readRequest,
  type Body,
  type BodyKind,
  type Envelope,
  type ReviewRequest,
} from '../../../backend/request/index.ts';
import { DEFAULT_LIMITS, ERROR_STATUS, type ErrorCode, type Limits } from '../../../public-api/contract.ts';

const SMALL: Limits = { maxBodyBytes: 100, maxReviewChars: 10, maxReviews: 3, maxExplainedReviews: 2 };

/**
 * A stand-in envelope: a list of reviews, or `{"list": [...]}` with an optional "explain" passed
 * on as sent.
 */
const list: Envelope = (value) => {
  if (Array.isArray(value)) return { reviews: value as unknown[] };
  const wrapped = value as { list?: unknown; explain?: unknown } | null;
  if (typeof wrapped === 'object' && wrapped !== null && Array.isArray(wrapped.list)) {
    return { reviews: wrapped.list as unknown[], ...('explain' in wrapped ? { explain: wrapped.explain } : {}) };
  }
  throw new HttpError('INVALID_REQUEST', 'The JSON body must be a list of reviews.');
};

function read(contentType: string | undefined, body: Body, limits: Limits = SMALL): ReviewRequest {
  return readRequest(bodyKind(contentType), body, limits, list);
}

function check(contentType: string | undefined, body: Body, limits: Limits = SMALL): readonly string[] {
  const { reviews, explain } = read(contentType, body, limits);
  expect(explain).toBe(false);
  return reviews;
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

describe('readRequest: what is accepted', () => {
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

describe('readRequest: what is refused, with which code and sentence', () => {
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

describe('readRequest: "explain"', () => {
  const body = (value: unknown): string => JSON.stringify(value);

  it('is false when absent or false, and the reviews are the same either way', () => {
    const absent = read('application/json', body({ list: ['a', ' b '] }));
    expect(absent).toEqual({ reviews: ['a', ' b '], explain: false });
    expect(read('application/json', body({ list: ['a', ' b '], explain: false }))).toEqual(absent);
    expect(read('application/json', body(['a', ' b ']))).toEqual(absent);
  });

  it('is true when sent true, with the reviews exactly as sent', () => {
    const reviews = ['  padded  ', '<br />html &amp; more', '😀 x\u2028y'];
    expect(read('application/json', body({ list: reviews, explain: true }), DEFAULT_LIMITS)).toEqual({
      reviews,
      explain: true,
    });
  });

  it('takes exactly maxExplainedReviews reviews, and more without explain', () => {
    expect(read('application/json', body({ list: ['a', 'b'], explain: true })).reviews).toHaveLength(2);
    expect(read('application/json', body({ list: ['a', 'b', 'c'], explain: false })).reviews).toHaveLength(3);
  });

  it('never applies to a text/plain body: it is one review, whatever it says', () => {
    const text = body({ list: ['a'], explain: true });
    expect(read('text/plain', text, DEFAULT_LIMITS)).toEqual({ reviews: [text], explain: false });
    expect(read(undefined, text, DEFAULT_LIMITS)).toEqual({ reviews: [text], explain: false });
  });

  it.each<[string, unknown, ErrorCode, string]>([
    ['a string', { list: ['a'], explain: 'true' }, 'INVALID_REQUEST', '"explain" must be true or false, not a string.'],
    ['a number', { list: ['a'], explain: 1 }, 'INVALID_REQUEST', '"explain" must be true or false, not a number.'],
    ['null', { list: ['a'], explain: null }, 'INVALID_REQUEST', '"explain" must be true or false, not null.'],
    ['an object', { list: ['a'], explain: {} }, 'INVALID_REQUEST', '"explain" must be true or false, not an object.'],
    ['an array', { list: ['a'], explain: [true] }, 'INVALID_REQUEST', '"explain" must be true or false, not an array.'],
    [
      'its type before the count',
      { list: ['a', 'b', 'c', 'd', 'e'], explain: 'yes' },
      'INVALID_REQUEST',
      '"explain" must be true or false, not a string.',
    ],
    ['an empty list', { list: [], explain: true }, 'NO_REVIEWS', 'The request has no reviews; send at least one.'],
    [
      'one review too many to explain',
      { list: ['a', 'b', 'c'], explain: true },
      'TOO_MANY_TO_EXPLAIN',
      'The request asks to explain 3 reviews; the limit is 2 per request with "explain": true.',
    ],
    [
      'TOO_MANY_REVIEWS first',
      { list: ['a', 'b', 'c', 'd'], explain: true },
      'TOO_MANY_REVIEWS',
      'The request has 4 reviews; the limit is 3 per request.',
    ],
    [
      'the count to explain before the reviews',
      { list: ['a', '', 7], explain: true },
      'TOO_MANY_TO_EXPLAIN',
      'The request asks to explain 3 reviews; the limit is 2 per request with "explain": true.',
    ],
    [
      'the reviews still checked',
      { list: ['a', ' '], explain: true },
      'EMPTY_REVIEW',
      'Review 2 is empty or only white space; send some text to classify.',
    ],
  ])('refuses %s', (_name, value, code, message) => {
    const error = refusal(() => read('application/json', body(value)));
    expect(error.code).toBe(code);
    expect(error.status).toBe(ERROR_STATUS[code]);
    expect(error.message).toBe(message);
  });

  it('refuses 17 reviews to explain under the default limits (16) with 413, naming both numbers', () => {
    const reviews = Array<string>(17).fill('A fine film.');
    const error = refusal(() => read('application/json', body({ list: reviews, explain: true }), DEFAULT_LIMITS));
    expect(error.status).toBe(413);
    expect(error.code).toBe('TOO_MANY_TO_EXPLAIN');
    expect(error.message).toBe(
      'The request asks to explain 17 reviews; the limit is 16 per request with "explain": true.',
    );
    expect(read('application/json', body({ list: reviews.slice(1), explain: true }), DEFAULT_LIMITS).explain).toBe(
      true,
    );
    expect(read('application/json', body({ list: reviews }), DEFAULT_LIMITS).reviews).toHaveLength(17);
  });
});

describe('readRequest under fuzzing', () => {
  it('answers any input with checked reviews or an HttpError of a 4xx code, never anything else', () => {
    const kinds = fc.constantFrom<BodyKind>('json', 'text');
    const bodies = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.array(fc.oneof(fc.string(), fc.anything())).map((value) => JSON.stringify(value)),
      fc
        .record({ list: fc.array(fc.string(), { maxLength: 5 }), explain: fc.oneof(fc.boolean(), fc.anything()) })
        .map((value) => JSON.stringify(value)),
      fc.uint8Array({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(kinds, fc.option(bodies, { nil: undefined }), (kind, body) => {
        try {
          const { reviews, explain } = readRequest(kind, body, SMALL, list);
          expect(reviews.length).toBeGreaterThan(0);
          expect(reviews.length).toBeLessThanOrEqual(explain ? SMALL.maxExplainedReviews : SMALL.maxReviews);
          if (kind === 'text') expect(explain).toBe(false);
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
