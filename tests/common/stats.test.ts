/** The shared figures: nearest-rank quantiles, accuracy, and ROC AUC with tied scores. */
import { describe, expect, it } from 'vitest';
import { accuracy, latencyOf, median, nearestRank, percentileCurve, quantile, rocAuc } from '../../common/stats.ts';

/** AUC by definition: every (positive, negative) pair, ties counting one half. O(n^2), for checking. */
function pairwiseAuc(scores: readonly number[], positive: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (positive[i] !== true) return;
    scores.forEach((n, j) => {
      if (positive[j] !== false) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('nearestRank', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it.each([
    [0, 1],
    [0.01, 1],
    [0.5, 50],
    [0.501, 51],
    [0.99, 99],
    [1, 100],
  ])('q = %f of 1..100 is %f', (q, expected) => {
    expect(nearestRank(sorted, q)).toBe(expected);
  });

  it('is NaN with no samples', () => {
    expect(nearestRank([], 0.5)).toBeNaN();
  });
});

describe('quantile and median', () => {
  it('sort unsorted samples numerically and take nearest ranks', () => {
    expect(quantile([10, 9, 100, 2, 1], 0.9)).toBe(100);
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2); // the lower middle, never an average
    expect(median([])).toBeNaN();
  });

  it('p90 of 20 samples is the 18th, not the 19th (nearest rank, not floor(q * n))', () => {
    const samples = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(samples, 0.9)).toBe(18);
  });
});

describe('latencyOf', () => {
  it('sorts numerically (not as strings) and takes nearest ranks', () => {
    const l = latencyOf([10, 9, 100, 2, 1, 3, 4, 5, 6, 7, 8]);
    expect(l).toMatchObject({ count: 11, p50: 6, p90: 10, p99: 100, max: 100 });
    expect(l.mean).toBeCloseTo(155 / 11);
  });
});

describe('percentileCurve', () => {
  it('gives [percentile, value] pairs that never decrease', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const curve = percentileCurve(samples, [0, 50, 99, 100]);
    expect(curve).toEqual([
      [0, 0],
      [50, 499],
      [99, 989],
      [100, 999],
    ]);
  });

  it('is empty with no samples', () => {
    expect(percentileCurve([])).toEqual([]);
  });
});

describe('accuracy', () => {
  it('is the share of predictions equal to the labels', () => {
    expect(accuracy([true, false, true, true], [true, true, true, false])).toBe(0.5);
  });

  it('refuses lists of different lengths', () => {
    expect(() => accuracy([true], [true, false])).toThrow(/1 predictions for 2 labels/);
  });
});

describe('rocAuc', () => {
  it('is 1 when every positive scores above every negative, 0 when below', () => {
    expect(rocAuc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    expect(rocAuc([0, 0], [true, false])).toBe(0.5);
    // positives 1, 0 against negatives 0, -1: pairs 1>0, 1>-1, 0=0 (half), 0>-1 -> 3.5 / 4
    expect(rocAuc([1, 0, 0, -1], [true, true, false, false])).toBe(0.875);
  });

  it('gives a constant score 0.5 whatever the labels', () => {
    expect(rocAuc([3, 3, 3, 3, 3], [true, false, false, true, false])).toBe(0.5);
  });

  it('agrees with the pairwise definition on scores full of ties (as a lexicon gives)', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const scores = Array.from({ length: 400 }, () => Math.round(random() * 8) - 4); // 9 distinct values
    const positive = scores.map((s) => random() < 0.5 + s / 10);
    expect(rocAuc(scores, positive)).toBeCloseTo(pairwiseAuc(scores, positive), 12);
  });

  it('is NaN without both classes, and refuses NaN scores', () => {
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNaN();
    expect(() => rocAuc([Number.NaN, 0.2], [true, false])).toThrow(/NaN/);
  });
});
