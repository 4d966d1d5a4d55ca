// @vitest-environment jsdom
/**
 * The explanation views of the UI kit (ui/explanation.ts): which spans decided a verdict, the text
 * with them tinted (not by colour alone, with words for screen readers), the deciding sentences
 * quoted, text that stays text, and the verdict view that carries them.
 */
import { describe, expect, it } from 'vitest';
import type { ExplanationSpan, SentimentResult } from '../../public-api/contract.ts';
import {
  decidingSpans,
  MAX_TINTED,
  renderDecidingQuotes,
  renderExplainedText,
  shortQuote,
  tintedSpans,
} from '../../ui/explanation.ts';
import { renderVerdict } from '../../ui/verdict.ts';

const TEXT = 'Great cast. Dull plot. A superb ending! Bland music. Fine.';
//            0         11         22              38           51
const SPANS: ExplanationSpan[] = [
  { start: 0, end: 11, weight: 1.2 },
  { start: 12, end: 22, weight: -0.8 },
  { start: 23, end: 39, weight: 2.5 },
  { start: 40, end: 52, weight: -0.3 },
  { start: 53, end: 58, weight: 0.05 },
];
const result = (label: SentimentResult['label'], explanation: ExplanationSpan[] | null = SPANS): SentimentResult => ({
  label,
  score: label === 'positive' ? 0.9 : label === 'negative' ? 0.1 : 0.5,
  readable: 1,
  ...(explanation !== null && { explanation }),
});
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

/** The text a sighted reader sees: without the visually hidden words. */
function shownText(node: Element): string {
  const copy = node.cloneNode(true) as Element;
  for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
  return copy.textContent;
}

describe('which spans decided the verdict', () => {
  it('positive: the sentences pushing toward positive, strongest first, at most three', () => {
    expect(decidingSpans(result('positive'), TEXT).map((s) => TEXT.slice(s.start, s.end))).toEqual([
      'A superb ending!',
      'Great cast.',
    ]);
  });

  it('negative: those pushing toward negative; a span too weak to matter is left out', () => {
    const spans = decidingSpans(result('negative'), TEXT);
    expect(spans.map((s) => [TEXT.slice(s.start, s.end), s.push])).toEqual([
      ['Dull plot.', 'negative'],
      ['Bland music.', 'negative'],
    ]);
  });

  it('mixed: the strongest each way', () => {
    expect(decidingSpans(result('mixed'), TEXT).map((s) => s.push)).toEqual(['positive', 'negative']);
  });

  it('ignores spans outside the text (an answer for another text)', () => {
    expect(decidingSpans(result('positive', [{ start: 50, end: 500, weight: 3 }]), TEXT)).toEqual([]);
  });

  it('tints the strongest spans either way, in text order, at most MAX_TINTED', () => {
    expect(tintedSpans(result('positive'), TEXT).map((s) => [s.start, s.push])).toEqual([
      [0, 'positive'],
      [12, 'negative'],
      [23, 'positive'],
    ]);
    const many = Array.from({ length: 20 }, (_, i) => ({ start: i * 2, end: i * 2 + 1, weight: 1 }));
    expect(tintedSpans(result('positive', many), 'x '.repeat(20))).toHaveLength(MAX_TINTED);
  });
});

describe('renderExplainedText', () => {
  it.each(['full', 'compact'] as const)(
    '%s: the whole text, its deciding spans tinted with words for screen readers',
    (layout) => {
      const node = renderExplainedText(document, TEXT, result('positive'), layout);
      if (node === undefined) throw new Error('no view');
      expect(shownText(node.querySelector('.explanation__text') ?? node)).toBe(TEXT);
      const tinted = [...node.querySelectorAll<HTMLElement>('.explanation__text .explained')];
      expect(tinted.map((span) => [span.dataset.push, shownText(span)])).toEqual([
        ['positive', 'Great cast.'],
        ['negative', 'Dull plot.'],
        ['positive', 'A superb ending!'],
      ]);
      expect(tinted.map((span) => span.querySelector('.visually-hidden')?.textContent)).toEqual([
        'positive phrase: ',
        'most negative phrase: ',
        'most positive phrase: ',
      ]);
      // Not by colour alone: a legend in words.
      expect(node.querySelector('.explanation__legend')?.textContent).toContain('toward negative');
    },
  );

  it('keeps markup in the text as text', () => {
    const text = `${XSS} awful`;
    const node = renderExplainedText(
      document,
      text,
      result('negative', [{ start: 0, end: text.length, weight: -2 }]),
      'full',
    );
    expect(node?.querySelector('img, script')).toBeNull();
    expect(shownText(node?.querySelector('.explanation__text') ?? document.body)).toBe(text);
  });

  it('shows nothing without an explanation, and says so when no span mattered', () => {
    expect(renderExplainedText(document, TEXT, result('positive', null), 'full')).toBeUndefined();
    const flat = renderExplainedText(document, TEXT, result('positive', [{ start: 0, end: 5, weight: 0.01 }]), 'full');
    expect(flat?.querySelectorAll('.explained').length).toBe(0);
    expect(flat?.textContent).toContain('No part of the text pushed the verdict much');
  });
});

describe('renderDecidingQuotes', () => {
  it('quotes the deciding sentences, strongest first, each saying its side to screen readers', () => {
    const node = renderDecidingQuotes(document, TEXT, result('positive'));
    const items = [...(node?.querySelectorAll('.explanation__quotes > li') ?? [])];
    expect(items.map((item) => item.querySelector('q')?.textContent)).toEqual(['A superb ending!', 'Great cast.']);
    expect(items.map((item) => item.querySelector('.visually-hidden')?.textContent)).toEqual([
      'toward positive: ',
      'toward positive: ',
    ]);
  });

  it('cuts a long sentence at a word, never inside an emoji', () => {
    const text = `${'word '.repeat(40)}😀😀 end.`;
    const quote = shortQuote(text, { start: 0, end: text.length, weight: 1 });
    expect(quote.length).toBeLessThanOrEqual(161);
    expect(quote.endsWith('…')).toBe(true);
    const emoji = '😀'.repeat(100);
    const cut = shortQuote(emoji, { start: 0, end: emoji.length, weight: 1 });
    expect(cut.slice(0, -1).length % 2).toBe(0);
  });
});

describe('renderVerdict with an explanation', () => {
  it.each(['full', 'compact'] as const)('%s: the text view below the verdict when the text is given', (layout) => {
    const node = renderVerdict(document, { result: result('positive'), model: 'rnn-v3', text: TEXT }, layout);
    expect(node.querySelector('[data-explanation="text"]')).not.toBeNull();
    expect(
      renderVerdict(document, { result: result('positive'), model: 'rnn-v3' }, layout).querySelector('.explanation'),
    ).toBeNull();
  });

  it('the quotes view where asked', () => {
    const node = renderVerdict(
      document,
      { result: result('negative'), model: 'rnn-v3', text: TEXT, explanationAs: 'quotes' },
      'compact',
    );
    expect(node.querySelector('[data-explanation="quotes"] q')?.textContent).toBe('Dull plot.');
  });
});
