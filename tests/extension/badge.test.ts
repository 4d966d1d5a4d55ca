// @vitest-environment jsdom
/**
 * The badge and the selection popover, rendered in jsdom: shadow roots, the data attributes
 * DESIGN.md promises, words and an icon rather than colour alone, an accessible name, the model
 * version in the tooltip, text that stays text, and a clean undo.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BADGE_ATTRIBUTE,
  createBadge,
  isBadgeNode,
  markReview,
  tooltip,
  unmarkReview,
  type BadgeInfo,
} from '../../extension/src/content/badge.ts';
import { closePopover, selectedText, showPopover } from '../../extension/src/content/popover.ts';
import type { SelectionAnswer } from '../../extension/src/common/messages/types.ts';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const info = (
  label: 'positive' | 'negative' | 'unreadable',
  score: number,
  extra: Partial<BadgeInfo> = {},
): BadgeInfo => ({
  result: { label, score, readable: label === 'unreadable' ? 0.25 : 1 },
  model: 'rnn-v3',
  scorer: 'on-device',
  ...extra,
});

beforeEach(() => {
  closePopover();
  document.body.replaceChildren();
});

describe('badge', () => {
  it.each([
    ['positive', 0.921, 'Positive', '92%'],
    ['negative', 0.08, 'Negative', '92%'],
    ['negative', 0.4999, 'Negative', '50%'],
    ['positive', 1, 'Positive', '100%'],
  ] as const)('%s at P(positive) %f reads "%s %s"', (label, score, word, percent) => {
    const host = createBadge(document, info(label, score));
    const badge = host.shadowRoot?.querySelector('.badge');
    expect(badge?.textContent).toBe(`${word}${percent}`);
    expect(badge?.classList.contains(`badge--${label}`)).toBe(true);
    expect(badge?.getAttribute('role')).toBe('note');
    expect(badge?.getAttribute('aria-label')).toBe(`ReelSense: ${word}, ${percent} confident (model rnn-v3)`);
    // Not colour alone: an icon (hidden from screen readers, which get the words).
    expect(badge?.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('has a tooltip with the score, the model version, who scored it and any note', () => {
    expect(tooltip(info('positive', 0.9213))).toBe(
      'ReelSense: Positive, 92% confident\nP(positive) = 0.921, model rnn-v3, scored on-device',
    );
    const fallback = info('negative', 0.1, { scorer: 'api', note: 'The API could not be used.' });
    expect(tooltip(fallback).split('\n').slice(1)).toEqual([
      'P(positive) = 0.100, model rnn-v3, scored by the ReelSense API',
      'The API could not be used.',
    ]);
  });

  it('shows an unreadable text by its label and why, with no confidence and no P(positive)', () => {
    const host = createBadge(document, info('unreadable', 0.36));
    const badge = host.shadowRoot?.querySelector('.badge');
    expect(badge?.textContent).toBe('Not in English');
    expect(badge?.classList.contains('badge--unreadable')).toBe(true);
    expect(badge?.querySelector('.percent')).toBeNull();
    expect(badge?.getAttribute('aria-label')).toBe(
      'ReelSense: Not in English: ReelSense reads English reviews (model rnn-v3)',
    );
    expect(tooltip(info('unreadable', 0.36))).toBe(
      'ReelSense: Not in English: ReelSense reads English reviews\n25% of its words known to the model, model rnn-v3, scored on-device',
    );
    const review = document.createElement('article');
    document.body.append(review);
    markReview(review, info('unreadable', 0.36));
    expect(review.getAttribute('data-reelsense-label')).toBe('unreadable');
  });

  it('lives in a shadow root: one small inline box, styles that do not leak', () => {
    const host = createBadge(document, info('positive', 0.9));
    expect(host.hasAttribute(BADGE_ATTRIBUTE)).toBe(true);
    expect(host.childNodes).toHaveLength(0); // nothing in the page's DOM but the host
    expect(host.shadowRoot?.mode).toBe('open');
    const css = host.shadowRoot?.querySelector('style')?.textContent ?? '';
    expect(css).toMatch(/:host \{\s+all: initial !important; display: inline-block !important;/);
    expect(isBadgeNode(host)).toBe(true);
    expect(isBadgeNode(document.createElement('span'))).toBe(false);
    expect(isBadgeNode(document.createTextNode('x'))).toBe(false);
  });

  it('marks a review element and undoes it to the byte', () => {
    const review = document.createElement('article');
    review.className = 'user-review-item';
    review.append(document.createElement('h3'), 'A review.');
    document.body.append(review);
    const before = review.outerHTML;

    const host = markReview(review, info('negative', 0.0123));
    expect(review.getAttribute('data-reelsense-label')).toBe('negative');
    expect(review.getAttribute('data-reelsense-score')).toBe('0.0123');
    expect(review.firstChild).toBe(host);
    // The review's own text is unchanged: the badge's words are in its shadow root.
    expect(review.textContent).toBe('A review.');

    unmarkReview(review, host);
    expect(review.outerHTML).toBe(before);
  });
});

describe('selection popover', () => {
  const answer = (text: string, outcome: SelectionAnswer['outcome']): SelectionAnswer => ({ text, outcome, at: 0 });
  const ok = (label: 'positive' | 'negative', score: number, note?: string): SelectionAnswer['outcome'] => ({
    ok: true,
    value: {
      results: [{ label, score, readable: 1 }],
      model: 'rnn-v3',
      scorer: 'on-device',
      ...(note !== undefined && { note }),
    },
  });

  it('shows the verdict as text in a shadow root, announced, and closes on Escape', () => {
    const host = showPopover(document, answer('Loved it', ok('positive', 0.95)), { left: 10, top: 20 });
    const box = host.shadowRoot?.querySelector('.box');
    expect(box?.getAttribute('role')).toBe('status');
    expect(box?.textContent).toContain('Positive, 95% confident');
    expect(box?.textContent).toContain('Model rnn-v3, on-device');
    expect(host.style.getPropertyValue('--reelsense-left')).toBe('10px');
    expect(host.style.getPropertyValue('--reelsense-top')).toBe('20px');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(host.isConnected).toBe(false);
  });

  it('keeps server text as text, and shows one popover at a time', () => {
    const first = showPopover(document, answer('x', { ok: false, problem: { code: 'X', message: XSS } }), {
      left: 0,
      top: 0,
    });
    expect(first.shadowRoot?.textContent).toContain(XSS);
    expect(first.shadowRoot?.querySelector('img, script')).toBeNull();
    const second = showPopover(document, answer('y', ok('negative', 0.1, XSS)), { left: 0, top: 0 });
    expect(first.isConnected).toBe(false);
    expect(second.shadowRoot?.querySelector('.note')?.textContent).toBe(XSS);
    expect(document.querySelectorAll('[data-reelsense-popover]')).toHaveLength(1);
    second.shadowRoot?.querySelector('button')?.click();
    expect(second.isConnected).toBe(false);
  });

  it('reads the selection of the page, or of a focused text field', () => {
    const p = document.createElement('p');
    p.textContent = 'A selected sentence.';
    const area = document.createElement('textarea');
    area.value = 'Typed: what a film!';
    document.body.append(p, area);
    document.getSelection()?.selectAllChildren(p);
    expect(selectedText(document)).toBe('A selected sentence.');
    area.focus();
    area.setSelectionRange(7, 19);
    expect(selectedText(document)).toBe('what a film!');
  });
});
