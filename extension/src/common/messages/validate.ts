/**
 * Runtime checks for everything in types.ts. A message is `unknown` when it arrives (from
 * runtime.onMessage or as a reply to sendMessage); these guards are the only way to a typed value.
 */
import { isExplanationOf, isSentimentLabel, isUnitNumber } from '../../../../public-api/client.ts';
import type { ExplanationSpan, SentimentResult } from '../../../../public-api/contract.ts';
import {
  MAX_EXPLAIN_CHARS,
  MAX_TEXT_CHARS,
  MAX_TEXTS_PER_MESSAGE,
  type BackgroundRequest,
  type Classification,
  type ContentRequest,
  type PageSummary,
  type Problem,
  type Reply,
  type SelectionAnswer,
  type Status,
} from './types.ts';

type Guard<T> = (value: unknown) => value is T;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isOptional =
  <T>(guard: Guard<T>): Guard<T | undefined> =>
  (value): value is T | undefined =>
    value === undefined || guard(value);

/** A result as the contract has it: a label this version knows, a score and a readable share. */
export function isSentimentResult(value: unknown): value is SentimentResult {
  return (
    isRecord(value) &&
    isSentimentLabel(value.label) &&
    isUnitNumber(value.score) &&
    isUnitNumber(value.readable) &&
    isOptional(isSpanList)(value.explanation)
  );
}

/**
 * An explanation's shape: spans with numeric offsets and weights. Whether they fit the text is
 * checked where the text is known (public-api's isExplanationOf): the selection answer below, and
 * each receiver of an explain reply for the text it sent.
 */
function isSpanList(value: unknown): value is readonly ExplanationSpan[] {
  return (
    Array.isArray(value) &&
    value.every(
      (span: unknown) =>
        isRecord(span) &&
        typeof span.start === 'number' &&
        typeof span.end === 'number' &&
        typeof span.weight === 'number',
    )
  );
}

/** The answer to an explain message for `text`: one result, with an explanation of that text. */
export function isExplanationFor(value: Classification, text: string): boolean {
  const [result, ...others] = value.results;
  return result !== undefined && others.length === 0 && isExplanationOf(result.explanation, text);
}

export function isProblem(value: unknown): value is Problem {
  return isRecord(value) && isString(value.code) && isString(value.message);
}

export function isClassification(value: unknown): value is Classification {
  return (
    isRecord(value) &&
    Array.isArray(value.results) &&
    value.results.every(isSentimentResult) &&
    isString(value.model) &&
    (value.scorer === 'on-device' || value.scorer === 'api') &&
    isOptional(isString)(value.note)
  );
}

export const isReplyOf =
  <T>(guard: Guard<T>): Guard<Reply<T>> =>
  (value): value is Reply<T> =>
    isRecord(value) && (value.ok === true ? guard(value.value) : value.ok === false && isProblem(value.problem));

export function isSelectionAnswer(value: unknown): value is SelectionAnswer {
  return (
    isRecord(value) &&
    isString(value.text) &&
    typeof value.at === 'number' &&
    isReplyOf(isClassification)(value.outcome) &&
    // An explanation must be of this text, or it would tint the wrong words.
    (!value.outcome.ok ||
      value.outcome.value.results.every(
        (result) => result.explanation === undefined || isExplanationOf(result.explanation, value.text as string),
      ))
  );
}

export function isStatus(value: unknown): value is Status {
  return (
    isRecord(value) &&
    (value.mode === 'on-device' || value.mode === 'api') &&
    isString(value.apiUrl) &&
    isOptional(isString)(value.model) &&
    isOptional(isSelectionAnswer)(value.lastSelection)
  );
}

export function isPageSummary(value: unknown): value is PageSummary {
  return (
    isRecord(value) &&
    isOptional(isString)(value.siteId) &&
    isOptional(isString)(value.siteName) &&
    typeof value.enabled === 'boolean' &&
    [value.found, value.positive, value.negative, value.mixed, value.unreadable, value.pending, value.failed].every(
      isCount,
    ) &&
    isOptional(isString)(value.note) &&
    isOptional((v): v is number => typeof v === 'number' && v >= 0)(value.markedAfterMs) &&
    typeof value.layoutUnrecognised === 'boolean'
  );
}

/** A request checked, or why it was refused. */
export type Parsed<T> = { readonly ok: true; readonly request: T } | { readonly ok: false; readonly problem: Problem };

const refuse = (message: string): { ok: false; problem: Problem } => ({
  ok: false,
  problem: { code: 'BAD_MESSAGE', message },
});

export function parseBackgroundRequest(value: unknown): Parsed<BackgroundRequest> {
  if (!isRecord(value) || !isString(value.type)) return refuse('A message must be an object with a "type".');
  switch (value.type) {
    case 'classify': {
      const { texts } = value;
      if (!Array.isArray(texts) || !texts.every(isString)) return refuse('"texts" must be a list of strings.');
      if (texts.length === 0 || texts.length > MAX_TEXTS_PER_MESSAGE) {
        return refuse(`"texts" must hold 1 to ${MAX_TEXTS_PER_MESSAGE} texts, not ${texts.length}.`);
      }
      if (texts.some((text) => text.length > MAX_TEXT_CHARS)) {
        return refuse(`A text is over ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters.`);
      }
      return { ok: true, request: { type: 'classify', texts } };
    }
    case 'explain': {
      const { text } = value;
      if (!isString(text) || text.trim() === '') return refuse('"text" must be a text to explain.');
      if (text.length > MAX_EXPLAIN_CHARS) {
        return refuse(`The text is over ${MAX_EXPLAIN_CHARS.toLocaleString('en-US')} characters.`);
      }
      return { ok: true, request: { type: 'explain', text } };
    }
    case 'status':
    case 'warm-up':
      return { ok: true, request: { type: value.type } };
    case 'analyse-page':
      return Number.isInteger(value.tabId) && (value.tabId as number) >= 0
        ? { ok: true, request: { type: 'analyse-page', tabId: value.tabId as number } }
        : refuse('"tabId" must be a tab id.');
    default:
      return refuse(`Unknown message type "${value.type.slice(0, 40)}".`);
  }
}

export function parseContentRequest(value: unknown): Parsed<ContentRequest> {
  if (!isRecord(value) || !isString(value.type)) return refuse('A message must be an object with a "type".');
  switch (value.type) {
    case 'ping':
    case 'page-summary':
    case 'mark-page':
    case 'read-selection':
      return { ok: true, request: { type: value.type } };
    case 'show-selection':
      return isSelectionAnswer(value.answer)
        ? { ok: true, request: { type: 'show-selection', answer: value.answer } }
        : refuse('"answer" must be a selection answer.');
    default:
      return refuse(`Unknown message type "${value.type.slice(0, 40)}".`);
  }
}
