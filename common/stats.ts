/**
 * The figures the benchmarks and the fuzz runner compute: quantiles (one definition, nearest
 * rank), latency summaries, accuracy, ROC AUC. Pure functions, no I/O.
 */

export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The nearest-rank quantile of samples sorted ascending: the smallest sample with at least a
 * fraction `q` of the samples at or below it (q = 0 gives the minimum). NaN when empty.
 */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The nearest-rank quantile `q` (0-1) of unsorted samples; NaN when empty. */
export function quantile(samples: readonly number[], q: number): number {
  return nearestRank(Float64Array.from(samples).sort(), q);
}

/** The nearest-rank median: for an even count, the lower of the two middle samples. */
export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** Nearest-rank quantiles of latencies in ms. */
export function latencyOf(samples: readonly number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((total, x) => total + x, 0);
  return {
    count: sorted.length,
    p50: nearestRank(sorted, 0.5),
    p90: nearestRank(sorted, 0.9),
    p99: nearestRank(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sum / sorted.length,
  };
}

/** The percentiles a latency curve is drawn through: dense in the tail, where latency turns up. */
const CURVE_PERCENTILES: readonly number[] = [
  0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 98, 99, 99.5, 99.9, 100,
];

/** [percentile, value] pairs (nearest rank) at each of `percentiles` (0-100). Empty when no samples. */
export function percentileCurve(
  samples: readonly number[],
  percentiles: readonly number[] = CURVE_PERCENTILES,
): [number, number][] {
  if (samples.length === 0) return [];
  const sorted = Float64Array.from(samples).sort();
  return percentiles.map((p) => [p, nearestRank(sorted, p / 100)]);
}

/** The share of predictions equal to the labels; NaN when there are none. */
export function accuracy(predicted: readonly boolean[], labels: readonly boolean[]): number {
  if (predicted.length !== labels.length)
    throw new Error(`${predicted.length} predictions for ${labels.length} labels`);
  if (labels.length === 0) return Number.NaN;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann-Whitney U statistic with mid-ranks for tied
 * scores). A lexicon scores many reviews exactly 0, so the ties matter. NaN without both classes.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  if (scores.length !== positive.length) throw new Error(`${scores.length} scores for ${positive.length} labels`);
  if (scores.some((s) => Number.isNaN(s))) throw new Error('A score is NaN: ROC AUC needs every score.');
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    const score = scores[order[start] ?? 0];
    let end = start + 1;
    while (end < order.length && scores[order[end] ?? 0] === score) end++;
    const midRank = (start + 1 + end) / 2; // ranks start..end-1 are 1-based start+1..end
    for (let k = start; k < end; k++) {
      if (positive[order[k] ?? 0] === true) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
