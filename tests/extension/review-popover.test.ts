// @vitest-environment jsdom
/**
 * What decided a verdict, in the content script and across the message boundary: the `explain`
 * message is checked like the others, an explanation must be of its own text, and a badge press
 * (review-popover.ts) opens a popover with the deciding sentences quoted and highlights them in
 * the review through the CSS Custom Highlight API (a stand-in registry here: jsdom has none),
 * degrading to the popover alone without it; Escape and a second press undo both.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Classification, SelectionAnswer } from '../../extension/src/common/messages/types.ts';
import {
  isExplanationFor,
  isSelectionAnswer,
  parseBackgroundRequest,
} from '../../extension/src/common/messages/validate.ts';
import { traceReviewText } from '../../extension/src/content/adapters/text.ts';
import { TextSource } from '../../extension/src/content/adapters/traced.ts';
import { markReview, type BadgeInfo } from '../../extension/src/content/badge.ts';
import { HIGHLIGHT } from '../../extension/src/content/highlight.ts';
import type { MarkedReview } from '../../extension/src/content/marker.ts';
import { closePopover } from '../../extension/src/content/popover.ts';
import { followBadges } from '../../extension/src/content/review-popover.ts';
import type { ExplanationSpan } from '../../public-api/contract.ts';

const TEXT = 'Loved the cast. The plot is dull. A joyous, clever film.';
const SPANS: ExplanationSpan[] = [
  { start: 0, end: 15, weight: 1.5 },
  { start: 16, end: 33, weight: -0.9 },
  { start: 34, end: 56, weight: 2.4 },
];
const explained = (explanation: ExplanationSpan[] = SPANS): Classification => ({
  results: [{ label: 'positive', score: 0.93, readable: 1, explanation }],
  model: 'rnn-v3',
  scorer: 'on-device',
});

describe('the explain message', () => {
  it('takes one non-empty text up to 20,000 characters', () => {
    expect(parseBackgroundRequest({ type: 'explain', text: TEXT })).toEqual({
      ok: true,
      request: { type: 'explain', text: TEXT },
    });
    for (const text of ['', '   ', 42, undefined, 'x'.repeat(20_001)]) {
      expect(parseBackgroundRequest({ type: 'explain', text })).toMatchObject({
        ok: false,
        problem: { code: 'BAD_MESSAGE' },
      });
    }
  });

  it('an answer is an explanation of the text sent, or not one', () => {
    expect(isExplanationFor(explained(), TEXT)).toBe(true);
    expect(isExplanationFor(explained([{ start: 0, end: 500, weight: 1 }]), TEXT)).toBe(false);
    expect(isExplanationFor({ ...explained(), results: [] }, TEXT)).toBe(false);
  });

  it('a selection answer whose explanation does not fit its text is refused', () => {
    const answer = (text: string): SelectionAnswer => ({ text, at: 0, outcome: { ok: true, value: explained() } });
    expect(isSelectionAnswer(answer(TEXT))).toBe(true);
    expect(isSelectionAnswer(answer('Too short.'))).toBe(false);
  });
});

describe('a badge press', () => {
  let review: HTMLElement;
  let host: HTMLElement;
  let marked: MarkedReview;
  let controller: AbortController;
  const explainText = vi.fn<(text: string) => Promise<Classification>>(() => Promise.resolve(explained()));

  /** A stand-in for CSS.highlights and Highlight: a Map of sets of ranges. */
  function installHighlights(): Map<string, Set<Range>> {
    const registry = new Map<string, Set<Range>>();
    Object.assign(window, {
      CSS: { highlights: registry },
      Highlight: class extends Set<Range> {
        constructor(...ranges: Range[]) {
          super(ranges);
        }
      },
    });
    return registry;
  }

  beforeEach(() => {
    document.body.replaceChildren();
    review = document.createElement('article');
    const body = document.createElement('p');
    // Two text nodes, inline markup and collapsible whitespace: offsets of the adapter's text differ from the DOM's.
    body.append('Loved the   cast.\n The ', Object.assign(document.createElement('b'), { textContent: 'plot' }));
    body.append(' is dull. A joyous, clever film.');
    review.append(body);
    document.body.append(review);
    const source = new TextSource();
    const traced = traceReviewText(review, {}, source);
    expect(traced.text).toBe(TEXT);
    const info: BadgeInfo = {
      result: { label: 'positive', score: 0.93, readable: 1 },
      model: 'rnn-v3',
      scorer: 'on-device',
    };
    host = markReview(review, info);
    marked = { info, text: traced.text, origin: { traced, source } };
    controller = new AbortController();
    followBadges(document, (badge) => (badge === host ? marked : undefined), explainText, controller.signal);
    explainText.mockClear();
  });

  afterEach(() => {
    controller.abort();
    closePopover();
    Reflect.deleteProperty(window, 'CSS');
    Reflect.deleteProperty(window, 'Highlight');
  });

  const button = (): HTMLElement => {
    const found = host.shadowRoot?.querySelector<HTMLElement>('.badge-button');
    if (found == null) throw new Error('no badge button');
    return found;
  };
  const popover = (): HTMLElement | null => document.querySelector('[data-reelsense-popover]');
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

  it('quotes the deciding sentences and highlights them in the review; Escape removes both', async () => {
    const registry = installHighlights();
    button().click();
    await settle();
    expect(explainText).toHaveBeenCalledWith(TEXT);
    expect(button().getAttribute('aria-expanded')).toBe('true');
    const quotes = [...(popover()?.shadowRoot?.querySelectorAll('.explanation__quotes q') ?? [])].map(
      (q) => q.textContent,
    );
    expect(quotes).toEqual(['A joyous, clever film.', 'Loved the cast.']);
    const positive = [...(registry.get(HIGHLIGHT.positive) ?? [])].map((range) => range.toString());
    expect(positive.sort()).toEqual(['A joyous, clever film.', 'Loved the   cast.']);
    expect(registry.has(HIGHLIGHT.negative)).toBe(false);
    expect(popover()?.getAttribute('data-highlighted')).toBe('2');
    // The review itself is as it was: the highlights are ranges, not elements.
    expect(review.querySelectorAll('mark, span:not([data-reelsense-badge])').length).toBe(0);

    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(popover()).toBeNull();
    expect(registry.size).toBe(0);
    expect(button().getAttribute('aria-expanded')).toBe('false');
  });

  it('a second press closes it; the press never reaches the page', async () => {
    const registry = installHighlights();
    const pageHandler = vi.fn();
    review.addEventListener('click', pageHandler);
    button().click();
    await settle();
    expect(registry.size).toBe(1);
    button().click();
    expect(popover()).toBeNull();
    expect(registry.size).toBe(0);
    expect(pageHandler).not.toHaveBeenCalled();
  });

  it('without the Highlight API: the popover alone, saying the review cannot be highlighted', async () => {
    button().click();
    await settle();
    const box = popover()?.shadowRoot?.querySelector('.box');
    expect(box?.querySelectorAll('.explanation__quotes q').length).toBe(2);
    expect(box?.textContent).toContain('cannot highlight');
    expect(popover()?.getAttribute('data-highlighted')).toBe('0');
  });

  it('a review the page has rewritten since it was scored: quoted, not highlighted, and said so', async () => {
    const registry = installHighlights();
    const body = review.querySelector('p');
    if (body?.firstChild == null || body.lastChild == null) throw new Error('no text nodes');
    body.firstChild.nodeValue = 'Rewritten by the site. The ';
    body.lastChild.nodeValue = ' is dull. Rewritten too.';
    button().click();
    await settle();
    expect(registry.size).toBe(0);
    expect(popover()?.shadowRoot?.querySelectorAll('.explanation__quotes q').length).toBe(2);
    expect(popover()?.shadowRoot?.textContent).toContain('has changed on the page');
  });

  it('an answer about another text is shown as a problem, not highlighted', async () => {
    const registry = installHighlights();
    explainText.mockResolvedValueOnce(explained([{ start: 0, end: 999, weight: 1 }]));
    button().click();
    await settle();
    expect(popover()?.shadowRoot?.querySelector('.problem')).not.toBeNull();
    expect(registry.size).toBe(0);
  });
});
