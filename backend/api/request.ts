/**
 * Turns the request part of an API Gateway proxy event into the list of reviews to classify, or
 * throws the HttpError the client should see (DESIGN.md, "Public API"). Every limit is checked
 * here, so no model work starts for a request that would be refused anyway.
 */
import { Buffer } from 'node:buffer';
import type { Limits } from '../../public-api/contract.ts';
import { HttpError } from '../http-error.ts';

/** What this module reads of an event. Hand-made events (the Lambda console's) may carry nulls. */
export interface RequestParts {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean | null;
}

const USAGE = 'Send {"text": "..."} or {"texts": ["...", ...]} as application/json, or one review as text/plain.';

// A lone surrogate (allowed in a JS string) has no UTF-8 form; with the u flag a valid pair is one code point.
const LONE_SURROGATE = /\p{Cs}/u;
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The reviews of a request, unchanged (text processing happens at the endpoint), or a contract error. */
export function parseReviews(parts: RequestParts, limits: Limits): readonly string[] {
  const kind = bodyKind(header(parts, 'content-type'));
  const text = readBody(parts, limits.maxBodyBytes);
  const reviews = kind === 'json' ? reviewsFromJson(text) : [text ?? ''];
  return checkReviews(reviews, limits);
}

/** A header's value, whatever the case of its name (API Gateway keeps the client's case). */
export function header(parts: RequestParts, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of Object.entries(parts.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) found = value;
  }
  return found;
}

function bodyKind(contentType: string | undefined): 'json' | 'text' {
  const [type = '', ...parameters] = (contentType ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([key]) => key?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  if (mediaType !== '' && mediaType !== 'application/json' && mediaType !== 'text/plain') {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${quote(mediaType)} is not supported. ${USAGE}`);
  }
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `The charset ${quote(charset)} is not supported; send UTF-8.`);
  }
  // No content type at all is one plain-text review: the seed's page sent none.
  return mediaType === 'application/json' ? 'json' : 'text';
}

/** The body as text, after the byte limit and the UTF-8 check; undefined when there is none. */
function readBody(parts: RequestParts, maxBodyBytes: number): string | undefined {
  const raw = parts.body;
  if (raw === null || raw === undefined) return undefined;
  if (parts.isBase64Encoded === true) {
    const bytes = Buffer.from(raw, 'base64');
    checkBodySize(bytes.length, maxBodyBytes);
    try {
      // fatal: refuse broken UTF-8 rather than guess; the decoder drops a leading byte-order mark.
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw invalidEncoding();
    }
  }
  checkBodySize(Buffer.byteLength(raw, 'utf8'), maxBodyBytes);
  if (LONE_SURROGATE.test(raw)) throw invalidEncoding();
  return raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
}

function checkBodySize(bytes: number, maxBodyBytes: number): void {
  if (bytes > maxBodyBytes) {
    throw new HttpError(
      'BODY_TOO_LARGE',
      `The body has ${count(bytes)} bytes; the limit is ${count(maxBodyBytes)} bytes.`,
    );
  }
}

function invalidEncoding(): HttpError {
  return new HttpError('INVALID_ENCODING', 'The body is not valid UTF-8 text.');
}

function reviewsFromJson(text: string | undefined): readonly unknown[] {
  if (text === undefined || text.trim() === '') {
    throw new HttpError('INVALID_JSON', `The body is empty, but the content type says JSON. ${USAGE}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's own message quotes the body: it is left out, as review text is never echoed.
    throw new HttpError('INVALID_JSON', `The body is not valid JSON. ${USAGE}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError('INVALID_REQUEST', `The JSON body must be an object, not ${kindOf(value)}. ${USAGE}`);
  }
  const fields = Object.keys(value);
  const unknown = fields.filter((field) => field !== 'text' && field !== 'texts');
  if (unknown.length > 0) {
    throw new HttpError('INVALID_REQUEST', `Unknown field ${quote(unknown[0] ?? '')} in the body. ${USAGE}`);
  }
  const body = value as { text?: unknown; texts?: unknown };
  if (fields.length !== 1) {
    throw new HttpError(
      'INVALID_REQUEST',
      fields.length === 0 ? `The body has neither "text" nor "texts". ${USAGE}` : 'Send "text" or "texts", not both.',
    );
  }
  if (Object.hasOwn(body, 'text')) {
    if (typeof body.text !== 'string') {
      throw new HttpError('REVIEW_NOT_TEXT', `"text" must be a string, not ${kindOf(body.text)}.`);
    }
    return [body.text];
  }
  if (!Array.isArray(body.texts)) {
    throw new HttpError('INVALID_REQUEST', `"texts" must be an array of strings, not ${kindOf(body.texts)}.`);
  }
  return body.texts as unknown[];
}

function checkReviews(reviews: readonly unknown[], limits: Limits): readonly string[] {
  if (reviews.length === 0) throw new HttpError('NO_REVIEWS', 'The request has no reviews; send at least one.');
  if (reviews.length > limits.maxReviews) {
    throw new HttpError(
      'TOO_MANY_REVIEWS',
      `The request has ${count(reviews.length)} reviews; the limit is ${count(limits.maxReviews)} per request.`,
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
    if (review.trim() === '') throw new HttpError('EMPTY_REVIEW', `${name} is empty; send some text to classify.`);
    return review;
  });
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A client-sent name, quoted and cut short so a message stays a sentence. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
