/** Which reviews a benchmark runs on. */

/**
 * `count` items evenly spaced over the list (all of them when it has no more), so a sample is
 * not one end of a file that is sorted by label, as IMDB's test split is.
 */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]).filter(
    (item): item is T => item !== undefined,
  );
}
