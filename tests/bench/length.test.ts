/** Accuracy by review length: word counts, the half-open buckets, and accuracy within each. */
import { describe, expect, it } from 'vitest';
import { LENGTH_BUCKETS, accuracyByLength, bucketIndex, wordCount } from '../../bench/lib/length.ts';

const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

describe('wordCount', () => {
  it.each([
    ['', 0],
    ['   ', 0],
    ['one', 1],
    ['Great film.<br /><br />Loved it!', 4],
    ['tabs\tand\nnew lines', 4],
    ["don't stop", 2],
    ['<i>Italic</i>text', 2],
  ])('%j has %i words', (text, expected) => {
    expect(wordCount(text)).toBe(expected);
  });
});

describe('bucketIndex', () => {
  it.each([
    [0, 0],
    [99, 0],
    [100, 1],
    [299, 1],
    [300, 2],
    [599, 2],
    [600, 3],
    [2500, 3],
  ])('%i words fall in bucket %i', (n, expected) => {
    expect(bucketIndex(n)).toBe(expected);
  });

  it('names the four buckets the issue asks for', () => {
    expect(LENGTH_BUCKETS.map((b) => b.label)).toEqual(['< 100 words', '100-299 words', '300-599 words', '600+ words']);
  });
});

describe('accuracyByLength', () => {
  it('counts reviews and right answers in each bucket, empty buckets as null', () => {
    const texts = [words(5), words(50), words(150), words(700), words(700)];
    const labels = [true, false, true, true, false];
    const predicted = [true, true, true, true, true];
    const result = accuracyByLength(predicted, labels, texts.map(wordCount));
    expect(result).toEqual([
      { bucket: '< 100 words', reviews: 2, correct: 1, accuracy: 0.5 },
      { bucket: '100-299 words', reviews: 1, correct: 1, accuracy: 1 },
      { bucket: '300-599 words', reviews: 0, correct: 0, accuracy: null },
      { bucket: '600+ words', reviews: 2, correct: 1, accuracy: 0.5 },
    ]);
  });

  it('refuses lists of different lengths', () => {
    expect(() => accuracyByLength([true], [true], [1, 2])).toThrow();
  });
});
