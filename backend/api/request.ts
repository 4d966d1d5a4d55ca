/**
 * Turns the request part of an API Gateway proxy event into the reviews to classify and whether to
 * explain them, or throws the HttpError the client should see (DESIGN.md, "Public API"). The
 * checks themselves are backend/request/'s, shared with the endpoint server; what is the
 * handler's own is the event (headers in the client's case, base64 bodies) and the envelope,
 * {"text"} or {"texts"}, each with an optional "explain".
 */
import { Buffer } from 'node:buffer';
import type { Limits } from '../../public-api/contract.ts';
import { HttpError } from '../http-error.ts';
import {
  bodyKind,
  kindOf,
  quote,
  readRequest,
  type Body,
  type Enveloped,
  type ReviewRequest,
} from '../request/index.ts';

/** What this module reads of an event. Hand-made events (the Lambda console's) may carry nulls. */
export interface RequestParts {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean | null;
}

const USAGE = 'Send {"text": "..."} or {"texts": ["...", ...]} as application/json, or one review as text/plain.';

/** The reviews of a request, unchanged (text processing happens at the endpoint), and `explain`; or a contract error. */
export function parseRequest(parts: RequestParts, limits: Limits): ReviewRequest {
  const kind = bodyKind(header(parts, 'content-type'));
  return readRequest(kind, bodyOf(parts), limits, textOrTexts);
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

const FIELDS = new Set(['text', 'texts', 'explain']);

/**
 * `{"text": "..."}` or `{"texts": [...]}`: exactly one of the two, optionally `"explain"`
 * (validate.ts checks its value), and no other field.
 */
function textOrTexts(value: unknown): Enveloped {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError('INVALID_REQUEST', `The JSON body must be an object, not ${kindOf(value)}. ${USAGE}`);
  }
  const unknown = Object.keys(value).find((field) => !FIELDS.has(field));
  if (unknown !== undefined) {
    throw new HttpError('INVALID_REQUEST', `Unknown field ${quote(unknown)} in the body. ${USAGE}`);
  }
  const body = value as { text?: unknown; texts?: unknown; explain?: unknown };
  const [hasText, hasTexts] = [Object.hasOwn(body, 'text'), Object.hasOwn(body, 'texts')];
  if (hasText === hasTexts) {
    throw new HttpError(
      'INVALID_REQUEST',
      hasText ? 'Send "text" or "texts", not both.' : `The body has neither "text" nor "texts". ${USAGE}`,
    );
  }
  const explain = Object.hasOwn(body, 'explain') ? body.explain : undefined;
  if (hasText) return { reviews: [body.text], explain };
  if (!Array.isArray(body.texts)) {
    throw new HttpError('INVALID_REQUEST', `"texts" must be an array of strings, not ${kindOf(body.texts)}.`);
  }
  return { reviews: body.texts as unknown[], explain };
}
