/** Writes small gzipped dataset files in the shared dataset's format, for tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { csvField } from '../../model/data/csv.ts';

export const tempDir = (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), `reelsense-${prefix}-`));

export function labelledCsv(rows: ReadonlyArray<readonly [number | string, string]>): string {
  return `label,text\n${rows.map(([label, text]) => `${String(label)},${csvField(text)}\n`).join('')}`;
}

export async function writeGzip(path: string, text: string): Promise<void> {
  await writeFile(path, gzipSync(text));
}

/** A dataset folder with train and test splits. */
export async function writeDataset(
  train: ReadonlyArray<readonly [number, string]>,
  test: ReadonlyArray<readonly [number, string]>,
): Promise<string> {
  const dir = await tempDir('data');
  await writeGzip(join(dir, 'train.csv.gz'), labelledCsv(train));
  await writeGzip(join(dir, 'test.csv.gz'), labelledCsv(test));
  return dir;
}
