// @vitest-environment jsdom
/**
 * The verdict view in both layouts: the data attributes DESIGN.md promises, the words, an icon
 * (not colour alone), the website's heading and labelled meter, the extension's one-line form with
 * who scored it, and notes that stay text.
 */
import { describe, expect, it } from 'vitest';
import { renderVerdict, type Verdict } from '../../ui/verdict.ts';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
const verdict = (
  label: 'positive' | 'negative' | 'mixed' | 'unreadable',
  score: number,
  extra: Partial<Verdict> = {},
): Verdict => ({
  result: { label, score, readable: label === 'unreadable' ? 0.2 : 1 },
  model: 'rnn-v3',
  ...extra,
});

describe('renderVerdict, both layouts', () => {
  it.each(['full', 'compact'] as const)('%s: carries the label and score, the tone class and an icon', (layout) => {
    const node = renderVerdict(document, verdict('negative', 0.0123), layout);
    expect(node.getAttribute('data-reelsense-label')).toBe('negative');
    expect(node.getAttribute('data-reelsense-score')).toBe('0.0123');
    expect(node.classList.contains('verdict')).toBe(true);
    expect(node.classList.contains('verdict--negative')).toBe(true);
    expect(node.classList.contains(`verdict--${layout}`)).toBe(true);
    expect(node.querySelector('svg.icon')?.getAttribute('aria-hidden')).toBe('true');
  });

  it.each(['full', 'compact'] as const)('%s: a note is text, with data-note', (layout) => {
    const node = renderVerdict(document, verdict('positive', 0.9, { note: XSS }), layout);
    expect(node.querySelector('[data-note]')?.textContent).toBe(XSS);
    expect(node.querySelector('.note')?.textContent).toBe(XSS);
    expect(node.querySelector('img, script')).toBeNull();
  });

  it.each(['full', 'compact'] as const)('%s: data-elapsed-ms only when timed', (layout) => {
    expect(renderVerdict(document, verdict('positive', 0.9, { elapsedMs: 12.345 }), layout).dataset.elapsedMs).toBe(
      '12.3',
    );
    expect(renderVerdict(document, verdict('positive', 0.9), layout).hasAttribute('data-elapsed-ms')).toBe(false);
  });
});

describe('renderVerdict, full (the website)', () => {
  it('is a focusable article named by its heading, with a labelled meter and the model', () => {
    const node = renderVerdict(document, verdict('positive', 0.9213, { elapsedMs: 1234.4 }), 'full');
    document.body.replaceChildren(node);
    expect(node.tagName).toBe('ARTICLE');
    expect(node.tabIndex).toBe(-1);
    expect(node.getAttribute('aria-labelledby')).toBe('verdict-title');
    const title = node.querySelector('h2.verdict__title');
    expect(title?.id).toBe('verdict-title');
    expect(title?.textContent).toBe('Positive');
    expect(node.querySelector('.verdict__kicker')?.textContent).toBe('Verdict');
    expect(node.querySelector('.verdict__summary')?.textContent).toBe(
      'The model reads this review as positive, with 92% confidence.',
    );
    const meter = node.querySelector('meter');
    expect(meter?.getAttribute('value')).toBe('92');
    expect(meter?.getAttribute('min')).toBe('0');
    expect(meter?.getAttribute('max')).toBe('100');
    expect(document.querySelector(`label[for="${meter?.id ?? ''}"]`)?.textContent).toBe('Confidence');
    expect(node.querySelector('.verdict__percent')?.textContent).toBe('92%');
    expect(node.querySelector('.verdict__unsure')).toBeNull();
    expect(node.querySelector('.verdict__meta')?.textContent).toBe('Model rnn-v3 · answered in 1,234 ms');
    expect(node.querySelector('[data-model]')?.textContent).toBe('rnn-v3');
  });

  it('says when the model is unsure', () => {
    const node = renderVerdict(document, verdict('negative', 0.45), 'full');
    expect(node.querySelector('.verdict__percent')?.textContent).toBe('55%');
    expect(node.querySelector('.verdict__unsure')?.textContent).toMatch(/^The model is unsure/);
  });

  it('shows a mixed verdict with its own face and words, and no confidence meter', () => {
    const node = renderVerdict(document, verdict('mixed', 0.55), 'full');
    expect(node.getAttribute('data-reelsense-label')).toBe('mixed');
    expect(node.classList.contains('verdict--mixed')).toBe(true);
    expect(node.querySelector('h2')?.textContent).toBe('Mixed');
    expect(node.querySelector('h2 svg.icon')).not.toBeNull();
    expect(node.querySelector('meter')).toBeNull();
    expect(node.querySelector('.verdict__percent')).toBeNull();
    expect(node.querySelector('.verdict__summary')?.textContent).toMatch(/leans neither way/);
  });

  it('shows an unreadable verdict with words that say why, and no confidence anywhere', () => {
    // A score far from 0.5: the kind that read "Negative 64%" before the label existed.
    const node = renderVerdict(document, verdict('unreadable', 0.36), 'full');
    expect(node.getAttribute('data-reelsense-label')).toBe('unreadable');
    expect(node.classList.contains('verdict--unreadable')).toBe(true);
    expect(node.querySelector('h2')?.textContent).toBe('Not in English');
    expect(node.querySelector('h2 svg.icon')).not.toBeNull();
    expect(node.querySelector('meter')).toBeNull();
    expect(node.querySelector('.verdict__percent')).toBeNull();
    expect(node.querySelector('.verdict__unsure')).toBeNull();
    expect(node.querySelector('.verdict__summary')?.textContent).toMatch(/cannot read this text.*English reviews/);
    expect(node.textContent).not.toMatch(/%|confiden(t|ce):? \d/);
  });
});

describe('renderVerdict, compact (the popup and the popover)', () => {
  it('reads a mixed verdict without a percentage', () => {
    const node = renderVerdict(document, verdict('mixed', 0.4), 'compact');
    expect(node.querySelector('.verdict__title')?.textContent).toBe('Mixed, leaning neither way');
    expect(node.getAttribute('data-reelsense-label')).toBe('mixed');
  });

  it('reads an unreadable verdict as why, without a percentage', () => {
    const node = renderVerdict(document, verdict('unreadable', 0.38), 'compact');
    expect(node.querySelector('.verdict__title')?.textContent).toBe('Not in English: ReelSense reads English reviews');
    expect(node.getAttribute('data-reelsense-label')).toBe('unreadable');
    expect(node.textContent).not.toMatch(/%/);
  });

  it('reads as one line and a meta line, saying who scored it', () => {
    const node = renderVerdict(document, verdict('negative', 0.08, { scoredBy: 'api', elapsedMs: 41.6 }), 'compact');
    expect(node.tagName).toBe('DIV');
    expect(node.hasAttribute('tabindex')).toBe(false);
    expect(node.querySelector('.verdict__title')?.textContent).toBe('Negative, 92% confident');
    expect(node.querySelector('.verdict__meta')?.textContent).toBe('Model rnn-v3, through the API, 42 ms');
    const onDevice = renderVerdict(document, verdict('positive', 0.95, { scoredBy: 'on-device' }), 'compact');
    expect(onDevice.querySelector('.verdict__meta')?.textContent).toBe('Model rnn-v3, on-device');
    expect(onDevice.textContent).toBe('Positive, 95% confidentModel rnn-v3, on-device');
  });
});
