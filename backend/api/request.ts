/**
 * Turns the request part of an API Gateway proxy event into the list of reviews to classify, or
 * throws the HttpError the client should see (DESIGN.md, "Public API"). The checks themselves are
 * backend/request/'s, shared with the endpoint server; what is the handler's own is the event
 * (headers in the client's case, base64 bodies) and the envelope, {"text"} or {"texts"}.
 */
import { Buffer } from 'node:buffer';
import type { Limits } from '../../public-api/contract.ts';
import { HttpError } from '../http-error.ts';
import { bodyKind, kindOf, quote, readReviews, type Body } from '../request/index.ts';

/** What this module reads of an event. Hand-made events (the Lambda console's) may carry nulls. */
export interface RequestParts {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean | null;
}

const USAGE = 'Send {"text": "..."} or {"texts": ["...", ...]} as application/json, or one review as text/plain.';

/** The reviews of a request, unchanged (text processing happens at the endpoint), or a contract error. */
export function parseReviews(parts: RequestParts, limits: Limits): readonly string[] {
  const kind = bodyKind(header(parts, 'content-type'));
  return readReviews(kind, bodyOf(parts), limits, textOrTexts);
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

/** API Gateway sends text, or base64 flagged `isBase64Encoded` for bytes that are not UTF-8. */
function bodyOf(parts: RequestParts): Body {
  const raw = parts.body;
  if (raw === null || raw === undefined) return undefined;
  return parts.isBase64Encoded === true ? Buffer.from(raw, 'base64') : raw;
}

/** `{"text": "..."}` or `{"texts": [...]}`: exactly one of the two, and no other field. */
function textOrTexts(value: unknown): readonly unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError('INVALID_REQUEST', `The JSON body must be an object, not ${kindOf(value)}. ${USAGE}`);
  }
  const fields = Object.keys(value);
  const unknown = fields.filter((field) => field !== 'text' && field !== 'texts');
  if (unknown.length > 0) {
    throw new HttpError('INVALID_REQUEST', `Unknown field ${quote(unknown[0] ?? '')} in the body. ${USAGE}`);
  }
  if (fields.length !== 1) {
    throw new HttpError(
      'INVALID_REQUEST',
      fields.length === 0 ? `The body has neither "text" nor "texts". ${USAGE}` : 'Send "text" or "texts", not both.',
    );
  }
  const body = value as { text?: unknown; texts?: unknown };
  if (Object.hasOwn(body, 'text')) return [body.text];
  if (!Array.isArray(body.texts)) {
    throw new HttpError('INVALID_REQUEST', `"texts" must be an array of strings, not ${kindOf(body.texts)}.`);
  }
  return body.texts as unknown[];
}
