/** Which reviews a benchmark runs on, and where its figures go as JSON. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readLabelledCsv } from '../../model/data/csv.ts';
import { locateDataset } from '../../model/data/locate.ts';

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

/** `value` as indented JSON at `file` (its folder made if need be). */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  process.stderr.write(`figures written to ${path}\n`);
}
