/**
 * Accuracy by review length: extension users see short snippets and long essays alike. A review's
 * length is its number of words: runs of non-space characters once HTML tags are spaces
 * (IMDB's `<br />` is no word). The buckets are half-open: [0, 100), [100, 300), [300, 600), [600, ∞).
 */

export interface LengthBucket {
  readonly label: string;
  /** Words, inclusive. */
  readonly min: number;
  /** Words, exclusive; null: no upper end. */
  readonly max: number | null;
}

export const LENGTH_BUCKETS: readonly LengthBucket[] = [
  { label: '< 100 words', min: 0, max: 100 },
  { label: '100-299 words', min: 100, max: 300 },
  { label: '300-599 words', min: 300, max: 600 },
  { label: '600+ words', min: 600, max: null },
];

export function wordCount(text: string): number {
  return text
    .replace(/<[^>]*>/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '').length;
}

/** The index in `buckets` of the bucket holding `words`; -1 when none does. */
export function bucketIndex(words: number, buckets: readonly LengthBucket[] = LENGTH_BUCKETS): number {
  return buckets.findIndex((b) => words >= b.min && (b.max === null || words < b.max));
}

export interface BucketAccuracy {
  readonly bucket: string;
  readonly reviews: number;
  readonly correct: number;
  /** null for an empty bucket. */
  readonly accuracy: number | null;
}

/** Accuracy in each bucket; `words[i]` is review i's word count. */
export function accuracyByLength(
  predicted: readonly boolean[],
  labels: readonly boolean[],
  words: readonly number[],
  buckets: readonly LengthBucket[] = LENGTH_BUCKETS,
): BucketAccuracy[] {
  if (predicted.length !== labels.length || words.length !== labels.length) {
    throw new Error(`${predicted.length} predictions, ${labels.length} labels, ${words.length} word counts`);
  }
  const reviews = buckets.map(() => 0);
  const correct = buckets.map(() => 0);
  words.forEach((n, i) => {
    const b = bucketIndex(n, buckets);
    if (b < 0) return;
    reviews[b] = (reviews[b] ?? 0) + 1;
    if (predicted[i] === labels[i]) correct[b] = (correct[b] ?? 0) + 1;
  });
  return buckets.map((bucket, b) => {
    const n = reviews[b] ?? 0;
    const right = correct[b] ?? 0;
    return { bucket: bucket.label, reviews: n, correct: right, accuracy: n === 0 ? null : right / n };
  });
}
