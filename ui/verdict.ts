/**
 * The verdict view: a result as a person reads it, label in words with its face icon, the
 * confidence, the model (and who scored it, in the extension), and any note. Built from text only.
 * Every verdict carries `data-reelsense-label` and `data-reelsense-score`.
 *
 * One entry point for both layouts, so what a verdict shows grows here once: a new label needs
 * only its entries in labels.ts and icons.ts (and a tone in kit.css); an explanation (the result's
 * `explanation`, with the `text` it is about) is one more part below, for both layouts
 * (explanation.ts).
 */
import type { SentimentResult } from '../public-api/contract.ts';
import { el, type Child } from './dom.ts';
import { renderDecidingQuotes, renderExplainedText } from './explanation.ts';
import { describe, formatCount, isUnsure, labelName, percentOf, sentence } from './format.ts';
import { icon } from './icons.ts';
import type { Layout } from './layout.ts';
import { LABEL_ATTRIBUTE, SCORE_ATTRIBUTE } from './marks.ts';

/** What the kit needs to show a verdict; each app adapts its own types to it. */
export interface Verdict {
  readonly result: SentimentResult;
  /** The model's version, from its card. */
  readonly model: string;
  /** Who scored it, where the reader can choose (the extension's modes). */
  readonly scoredBy?: 'on-device' | 'api' | undefined;
  /** How long the answer took, as the reader waited for it. */
  readonly elapsedMs?: number | undefined;
  /** A caveat from the app (the API failed, so the extension answered on-device). */
  readonly note?: string | undefined;
  /** The text judged, exactly as scored: with `result.explanation`, what decided it is shown on it. */
  readonly text?: string | undefined;
  /**
   * 'text' (default): the text with its deciding words tinted; 'quotes': its deciding sentences
   * quoted (the badge's popover: the review is on the page beside it, highlighted there).
   */
  readonly explanationAs?: 'text' | 'quotes' | undefined;
}

// The full layout is the website's one answer region: fixed ids tie its labels to it.
const TITLE_ID = 'verdict-title';
const METER_ID = 'verdict-confidence';

export function renderVerdict(doc: Document, verdict: Verdict, layout: Layout): HTMLElement {
  const { result, elapsedMs, note } = verdict;
  const attributes: Record<string, string> = {
    class: `verdict verdict--${result.label} verdict--${layout}`,
    [LABEL_ATTRIBUTE]: result.label,
    [SCORE_ATTRIBUTE]: String(result.score),
  };
  if (elapsedMs !== undefined) attributes['data-elapsed-ms'] = elapsedMs.toFixed(1);
  if (layout === 'full') {
    // Focus moves to the answer, and its heading names it.
    attributes.tabindex = '-1';
    attributes['aria-labelledby'] = TITLE_ID;
  }
  return el(
    doc,
    layout === 'full' ? 'article' : 'div',
    attributes,
    ...(layout === 'full' ? fullParts(doc, verdict) : compactParts(doc, verdict)),
    note !== undefined && el(doc, 'p', { class: 'note', 'data-note': '' }, note),
    verdict.text !== undefined &&
      (verdict.explanationAs === 'quotes'
        ? renderDecidingQuotes(doc, verdict.text, result)
        : renderExplainedText(doc, verdict.text, result, layout)),
  );
}

/** Kicker, heading, a sentence, the confidence meter, "unsure" when it is, the model and the time. */
function fullParts(doc: Document, { result, model, elapsedMs }: Verdict): Child[] {
  const value = percentOf(result);
  return [
    el(doc, 'p', { class: 'verdict__kicker' }, 'Verdict'),
    el(
      doc,
      'h2',
      { class: 'verdict__title', id: TITLE_ID },
      icon(doc, result.label),
      el(doc, 'span', {}, labelName(result)),
    ),
    el(doc, 'p', { class: 'verdict__summary' }, sentence(result)),
    value !== undefined &&
      el(
        doc,
        'div',
        { class: 'verdict__confidence' },
        el(doc, 'label', { class: 'verdict__meter-label', for: METER_ID }, 'Confidence'),
        el(
          doc,
          'meter',
          { class: 'verdict__meter', id: METER_ID, min: '0', max: '100', value: String(value) },
          `${value}%`,
        ),
        el(doc, 'span', { class: 'verdict__percent' }, `${value}%`),
      ),
    isUnsure(result) &&
      el(
        doc,
        'p',
        { class: 'verdict__unsure' },
        'The model is unsure: the review may be mixed, sarcastic, or not about a movie.',
      ),
    el(
      doc,
      'p',
      { class: 'verdict__meta' },
      'Model ',
      el(doc, 'code', { class: 'verdict__model', 'data-model': model }, model),
      elapsedMs !== undefined && ` · answered in ${formatCount(Math.round(elapsedMs))} ms`,
    ),
  ];
}

/** "Positive, 92% confident" with its icon, then "Model rnn-v3, on-device, 41 ms". */
function compactParts(doc: Document, { result, model, scoredBy, elapsedMs }: Verdict): Child[] {
  const meta = [`Model ${model}`];
  if (scoredBy !== undefined) meta.push(scoredBy === 'on-device' ? 'on-device' : 'through the API');
  if (elapsedMs !== undefined) meta.push(`${Math.round(elapsedMs)} ms`);
  return [
    el(doc, 'p', { class: 'verdict__title' }, icon(doc, result.label), describe(result)),
    el(doc, 'p', { class: 'verdict__meta' }, meta.join(', ')),
  ];
}
