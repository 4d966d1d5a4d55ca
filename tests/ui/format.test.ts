/** The kit's words and numbers for a result: the same on the website, the badge, the popover and the popup. */
import { describe as group, expect, it } from 'vitest';
import {
  confidenceOf,
  describe,
  formatCount,
  isUnsure,
  labelName,
  percent,
  percentOf,
  sentence,
} from '../../ui/format.ts';

group('format', () => {
  it.each([
    ['positive', 0.921, 0.921, '92%', 'Positive, 92% confident'],
    ['negative', 0.08, 0.92, '92%', 'Negative, 92% confident'],
    ['negative', 0.4999, 0.5001, '50%', 'Negative, 50% confident'],
    ['positive', 1, 1, '100%', 'Positive, 100% confident'],
  ] as const)('%s at P(positive) %f', (label, score, confidence, words, line) => {
    const result = { label, score, readable: 1 };
    expect(confidenceOf(result)).toBeCloseTo(confidence, 12);
    expect(percent(result)).toBe(words);
    expect(percentOf(result)).toBe(Number.parseInt(words, 10));
    expect(describe(result)).toBe(line);
    expect(sentence(result)).toBe(`The model reads this review as ${label}, with ${words} confidence.`);
    expect(labelName(result)).toBe(label === 'positive' ? 'Positive' : 'Negative');
  });

  it('calls a verdict under 60% confidence unsure', () => {
    expect(isUnsure({ label: 'positive', score: 0.59, readable: 1 })).toBe(true);
    expect(isUnsure({ label: 'positive', score: 0.6, readable: 1 })).toBe(false);
    expect(isUnsure({ label: 'negative', score: 0.45, readable: 1 })).toBe(true);
    expect(isUnsure({ label: 'negative', score: 0.3, readable: 1 })).toBe(false);
  });

  it('gives a mixed verdict no confidence: it leans neither way', () => {
    const mixed = { label: 'mixed', score: 0.55, readable: 1 } as const;
    expect(confidenceOf(mixed)).toBeUndefined();
    expect(percentOf(mixed)).toBeUndefined();
    expect(percent(mixed)).toBe('');
    expect(describe(mixed)).toBe('Mixed, leaning neither way');
    expect(labelName(mixed)).toBe('Mixed');
    expect(isUnsure(mixed)).toBe(false);
  });

  it('gives an unreadable verdict no confidence, and words that say why', () => {
    // The score is there (the contract always has one) but far from 0.5: it must not show.
    const unreadable = { label: 'unreadable', score: 0.36, readable: 0.38 } as const;
    expect(confidenceOf(unreadable)).toBeUndefined();
    expect(percentOf(unreadable)).toBeUndefined();
    expect(percent(unreadable)).toBe('');
    expect(labelName(unreadable)).toBe('Not in English');
    expect(describe(unreadable)).toBe('Not in English: ReelSense reads English reviews');
    expect(sentence(unreadable)).toMatch(/cannot read this text.*English/);
    expect(sentence(unreadable)).not.toMatch(/%/);
    expect(isUnsure(unreadable)).toBe(false);
  });

  it('groups counts the same way everywhere', () => {
    expect(formatCount(20_000)).toBe('20,000');
    expect(formatCount(7)).toBe('7');
  });
});
