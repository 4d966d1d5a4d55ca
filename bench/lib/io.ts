/** Which reviews a benchmark runs on, and where its figures go as JSON. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readLabelledCsv } from '../../model/data/csv.ts';
import { locateDataset } from '../../model/data/locate.ts';
import { loadArtifactFromDirectory } from '../../model/inference/node.ts';
import { encode } from '../../model/text/index.ts';

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

/** `count` texts of the IMDB test split, spread over it. */
export async function testTexts(dataDir: string | undefined, count: number): Promise<string[]> {
  const { test } = await locateDataset(dataDir === undefined ? {} : { dataDir });
  return spread(
    (await readLabelledCsv(test)).map((row) => row.text),
    count,
  );
}

/**
 * `count` IMDB-length reviews: of the first `among` IMDB test reviews (file order), those within
 * 20% of their mean token count (the shipped model's vocabulary), and that mean.
 */
export async function imdbLengthTexts(count: number, among = 2000): Promise<{ texts: string[]; tokens: number }> {
  const [{ test }, { vocabulary }] = await Promise.all([locateDataset(), loadArtifactFromDirectory()]);
  const texts = (await readLabelledCsv(test)).slice(0, among).map((row) => row.text);
  const lengths = texts.map((text) => encode(text, vocabulary).length);
  const tokens = lengths.reduce((sum, n) => sum + n, 0) / lengths.length;
  const near = texts.filter((_, i) => Math.abs((lengths[i] ?? 0) - tokens) <= 0.2 * tokens);
  return { texts: near.slice(0, count), tokens };
}

/** `value` as indented JSON at `file` (its folder made if need be). */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  process.stderr.write(`figures written to ${path}\n`);
}
