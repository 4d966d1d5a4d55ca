/**
 * The request checks of both servers (DESIGN.md, "Public API" and "Endpoint server"), written
 * once so that the same fault gets the same code and sentence from the handler and the endpoint
 * server. The order is the documented one:
 * 1. the content type (415), before the body is read;
 * 2. the body size (413 BODY_TOO_LARGE, ./body.ts), UTF-8 (400), JSON (400);
 * 3. the caller's envelope (400 INVALID_REQUEST), then its `"explain"`: absent, true or false,
 *    anything else a 400 INVALID_REQUEST;
 * 4. the number of reviews: none (400 NO_REVIEWS), more than maxReviews (413 TOO_MANY_REVIEWS),
 *    then, with `"explain": true`, more than maxExplainedReviews (413 TOO_MANY_TO_EXPLAIN);
 * 5. each review in order: type, length, emptiness.
 * Each server passes only its own envelope ({"text"}/{"texts"} or {"instances"}) as a function
 * from the parsed JSON to the list and the `"explain"` value as sent. A text/plain body is one
 * review and is never explained.
 */
import { Buffer } from 'node:buffer';
import type { Limits } from '../../public-api/contract.ts';
import { HttpError } from '../http-error.ts';
import { checkBodySize } from './body.ts';
import { count, kindOf, quote } from './words.ts';

/** JSON (the envelope decides the reviews) or one plain-text review. */
export type BodyKind = 'json' | 'text';

/** A body as bytes (a stream's, a base64 event's), as text (API Gateway's), or none at all. */
export type Body = Uint8Array | string | undefined;

/** What an envelope finds in the parsed JSON: the reviews and the `"explain"` field, both as sent. */
export interface Enveloped {
  readonly reviews: readonly unknown[];
  /** Undefined when the body has no such field. */
  readonly explain?: unknown;
}

/** A server's JSON shape: the parsed body to its reviews and `"explain"`, or an INVALID_REQUEST HttpError. */
export type Envelope = (json: unknown) => Enveloped;

/** A checked request: the reviews exactly as sent, and whether each result gets an explanation. */
export interface ReviewRequest {
  readonly reviews: readonly string[];
  readonly explain: boolean;
}

const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
// A lone surrogate (allowed in a JS string) has no UTF-8 form; with the u flag a valid pair is one code point.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * How a body is read, from its Content-Type; throws 415 for another media type or a charset other
 * than UTF-8. No content type (or none before the parameters) is one plain-text review: the seed's
 * page sent none. Names and values are matched case-insensitively; the charset may be quoted.
 */
export function bodyKind(contentType: string | undefined): BodyKind {
  const [type = '', ...parameters] = (contentType ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType !== '' && mediaType !== 'application/json' && mediaType !== 'text/plain') {
    throw new HttpError(
      'UNSUPPORTED_MEDIA_TYPE',
      `The content type ${quote(mediaType)} is not supported; send application/json or text/plain.`,
    );
  }
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([key]) => key?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `The charset ${quote(charset)} is not supported; send UTF-8.`);
  }
  return mediaType === 'application/json' ? 'json' : 'text';
}

/**
 * The request in a body of this kind, or a contract error. Reviews are unchanged (text processing
 * happens at the model): an explanation's offsets count the very string the client sent.
 */
export function readRequest(kind: BodyKind, body: Body, limits: Limits, envelope: Envelope): ReviewRequest {
  checkBodySize(byteLength(body), limits.maxBodyBytes);
  const text = decode(body);
  if (kind === 'text') return { reviews: checkReviews([text], limits, false), explain: false };
  const { reviews, explain = false } = envelope(parseJson(text));
  if (typeof explain !== 'boolean') {
    throw new HttpError('INVALID_REQUEST', `"explain" must be true or false, not ${kindOf(explain)}.`);
  }
  return { reviews: checkReviews(reviews, limits, explain), explain };
}

function byteLength(body: Body): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
}

/** The body as text, a leading byte-order mark dropped; broken UTF-8 is refused rather than guessed. */
function decode(body: Body): string {
  if (body === undefined) return '';
  if (typeof body === 'string') {
    if (LONE_SURROGATE.test(body)) throw invalidEncoding();
    return body.startsWith('\uFEFF') ? body.slice(1) : body;
  }
  try {
    // fatal: refuse broken UTF-8; the decoder drops a leading byte-order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw invalidEncoding();
  }
}

function invalidEncoding(): HttpError {
  return new HttpError('INVALID_ENCODING', 'The body is not valid UTF-8; send the reviews as UTF-8 text.');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new HttpError('INVALID_JSON', 'The body is empty, but the content type says JSON.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's own message quotes the body: it is left out, as review text is never echoed.
    throw new HttpError('INVALID_JSON', 'The body is not valid JSON, but the content type says it is.');
  }
}

/** The list against the limits, then each review in order: a string, not too long, not blank. */
function checkReviews(reviews: readonly unknown[], limits: Limits, explain: boolean): readonly string[] {
  if (reviews.length === 0) throw new HttpError('NO_REVIEWS', 'The request has no reviews; send at least one.');
  if (reviews.length > limits.maxReviews) {
    throw new HttpError(
      'TOO_MANY_REVIEWS',
      `The request has ${count(reviews.length)} reviews; the limit is ${count(limits.maxReviews)} per request.`,
    );
  }
  if (explain && reviews.length > limits.maxExplainedReviews) {
    throw new HttpError(
      'TOO_MANY_TO_EXPLAIN',
      `The request asks to explain ${count(reviews.length)} reviews; the limit is ${count(limits.maxExplainedReviews)} per request with "explain": true.`,
    );
  }
  return reviews.map((review, index) => {
    const name = reviews.length === 1 ? 'The review' : `Review ${index + 1}`;
    if (typeof review !== 'string') {
      throw new HttpError('REVIEW_NOT_TEXT', `${name} is ${kindOf(review)}; every review must be a string.`);
    }
    if (review.length > limits.maxReviewChars) {
      throw new HttpError(
        'REVIEW_TOO_LONG',
        `${name} has ${count(review.length)} characters; the limit is ${count(limits.maxReviewChars)}.`,
      );
    }
    if (review.trim() === '') {
      throw new HttpError('EMPTY_REVIEW', `${name} is empty or only white space; send some text to classify.`);
    }
    return review;
  });
}
