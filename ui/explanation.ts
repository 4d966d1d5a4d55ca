/**
 * What decided a verdict, shown on the text it judged: the spans of an explanation (public-api
 * ExplanationSpan: UTF-16 offsets into exactly the text that was scored, weight > 0 toward
 * positive, in log-odds) as the website, the popup and the selection popover show them, and the
 * choice of the spans the badge's popover quotes and the page highlights. Text nodes only: the
 * review is cut at the spans' offsets into plain strings, so markup in it stays text.
 *
 * Not by colour alone: a span toward positive is tinted green with a solid underline, one toward
 * negative red with a wavy one, a legend says so, and each tinted span starts with visually
 * hidden words for screen readers ("most negative phrase:", "negative phrase:").
 */
import type { ExplanationSpan, SentimentResult } from '../public-api/contract.ts';
import { el } from './dom.ts';
import type { Layout } from './layout.ts';

export type Push = 'positive' | 'negative';

/** A span of the text with the side it pushes toward. */
export interface DecidingSpan extends ExplanationSpan {
  readonly push: Push;
}

/** Below this (in nats; 0.1 changes the odds by about 10%), a span decided nothing worth showing. */
export const MIN_WEIGHT = 0.1;
/** The text view tints the strongest spans, at most this many... */
export const MAX_TINTED = 6;
/** ...of those at least this share of the strongest span's weight. */
const TINT_SHARE = 0.25;
/** The badge's popover quotes, and the page highlights, at most this many sentences. */
export const MAX_DECIDING = 3;
/** A quoted sentence longer than this is cut (the whole one is highlighted on the page). */
const QUOTE_CHARS = 160;

const pushOf = (span: ExplanationSpan): Push => (span.weight > 0 ? 'positive' : 'negative');
const strongestFirst = (a: ExplanationSpan, b: ExplanationSpan): number => Math.abs(b.weight) - Math.abs(a.weight);
const inside = (text: string) => (span: ExplanationSpan) =>
  Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end <= text.length;

/**
 * The spans that decided the verdict, strongest first: those that push toward its label (at most
 * MAX_DECIDING); for a mixed verdict, the strongest span each way; none for any other label.
 */
export function decidingSpans(result: SentimentResult, text: string, max: number = MAX_DECIDING): DecidingSpan[] {
  const spans = (result.explanation ?? [])
    .filter(inside(text))
    .filter((span) => Math.abs(span.weight) >= MIN_WEIGHT)
    .sort(strongestFirst)
    .map((span) => ({ ...span, push: pushOf(span) }));
  switch (result.label) {
    case 'positive':
    case 'negative':
      return spans.filter((span) => span.push === result.label).slice(0, max);
    case 'mixed':
      return (['positive', 'negative'] as const).flatMap((push) => spans.filter((s) => s.push === push).slice(0, 1));
    default:
      return [];
  }
}

/** The spans the text view tints: the strongest either way, in text order. */
export function tintedSpans(result: SentimentResult, text: string): DecidingSpan[] {
  const spans = (result.explanation ?? []).filter(inside(text)).sort(strongestFirst);
  const floor = Math.max(MIN_WEIGHT, TINT_SHARE * Math.abs(spans[0]?.weight ?? 0));
  return spans
    .filter((span) => Math.abs(span.weight) >= floor)
    .slice(0, MAX_TINTED)
    .sort((a, b) => a.start - b.start)
    .map((span) => ({ ...span, push: pushOf(span) }));
}

/** Words a screen reader says before a tinted span. */
function spokenLabel(span: DecidingSpan, strongest: ReadonlySet<DecidingSpan>): string {
  return `${strongest.has(span) ? 'most ' : ''}${span.push} phrase: `;
}

function hidden(doc: Document, text: string): HTMLElement {
  return el(doc, 'span', { class: 'visually-hidden' }, text);
}

function legend(doc: Document, lead: string): HTMLElement {
  return el(
    doc,
    'p',
    { class: 'explanation__legend' },
    `${lead} `,
    el(doc, 'span', { class: 'explained explained--positive' }, 'toward positive'),
    ' ',
    el(doc, 'span', { class: 'explained explained--negative' }, 'toward negative'),
  );
}

/**
 * The text with its strongest spans tinted (`tintedSpans`), for the website, the popup and the
 * selection popover. Undefined when the result carries no explanation.
 */
export function renderExplainedText(
  doc: Document,
  text: string,
  result: SentimentResult,
  layout: Layout,
): HTMLElement | undefined {
  if (result.explanation === undefined) return undefined;
  const spans = tintedSpans(result, text);
  const strongest = new Set(
    (['positive', 'negative'] as const)
      .map((push) => spans.filter((s) => s.push === push).sort(strongestFirst)[0])
      .filter((span) => span !== undefined),
  );
  const body = el(doc, 'blockquote', { class: 'explanation__text' });
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // overlapping spans are not in the contract; never draw one twice
    if (span.start > at) body.append(text.slice(at, span.start));
    body.append(
      el(
        doc,
        'span',
        {
          class: `explained explained--${span.push}`,
          'data-push': span.push,
          'data-weight': span.weight.toFixed(3),
        },
        hidden(doc, spokenLabel(span, strongest)),
        text.slice(span.start, span.end),
      ),
    );
    at = span.end;
  }
  if (at < text.length) body.append(text.slice(at));
  return el(
    doc,
    'figure',
    { class: `explanation explanation--${layout}`, 'data-explanation': 'text' },
    el(
      doc,
      'figcaption',
      {},
      spans.length === 0
        ? el(doc, 'p', { class: 'explanation__legend' }, 'No part of the text pushed the verdict much either way.')
        : legend(doc, 'What decided it:'),
    ),
    body,
  );
}

/** `text.slice(start, end)` cut to `QUOTE_CHARS` at a word boundary, never inside a surrogate pair. */
export function shortQuote(text: string, span: ExplanationSpan): string {
  const quote = text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  if (quote.length <= QUOTE_CHARS) return quote;
  let end = quote.lastIndexOf(' ', QUOTE_CHARS - 1);
  if (end < QUOTE_CHARS / 2) end = QUOTE_CHARS - 1;
  const code = quote.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${quote.slice(0, end)}…`;
}

/**
 * The deciding sentences (`decidingSpans`), strongest first, as short quotes: the badge's popover,
 * whose review is on the page beside it. Undefined when the result carries no explanation.
 */
export function renderDecidingQuotes(doc: Document, text: string, result: SentimentResult): HTMLElement | undefined {
  if (result.explanation === undefined) return undefined;
  const spans = decidingSpans(result, text);
  if (spans.length === 0) {
    return el(
      doc,
      'div',
      { class: 'explanation explanation--quotes', 'data-explanation': 'quotes' },
      el(doc, 'p', { class: 'explanation__legend' }, 'No sentence pushed the verdict much either way.'),
    );
  }
  return el(
    doc,
    'div',
    { class: 'explanation explanation--quotes', 'data-explanation': 'quotes' },
    legend(doc, spans.length === 1 ? 'What decided it:' : 'What decided it, strongest first:'),
    el(
      doc,
      'ol',
      { class: 'explanation__quotes' },
      ...spans.map((span) =>
        el(
          doc,
          'li',
          { class: `explained explained--${span.push}`, 'data-push': span.push },
          hidden(doc, `toward ${span.push}: `),
          el(doc, 'q', {}, shortQuote(text, span)),
        ),
      ),
    ),
  );
}
