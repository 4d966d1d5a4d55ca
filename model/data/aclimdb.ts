/**
 * Converts the official `aclImdb_v1.tar.gz` into the dataset form of `../shared/data/imdb`
 * (its README, "How it was converted"), byte for byte in the uncompressed text:
 * `{train,test}.csv.gz` (`label,text`), `{train,test}_ids.txt.gz` (line i = original path of row i)
 * and `unsup.csv.gz` (`text`, by review id). Node-only.
 *
 * The tarball is streamed through tar's parser (it gunzips by itself) and never extracted to disk.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { type Progress, progress } from '../../common/cli/progress.ts';
import { ReelSenseError } from '../../common/errors.ts';
import { csvField } from './csv.ts';
import { PythonRandom } from './python-random.ts';

/** The README's shuffle seed: `random.Random(20110619).shuffle(rows)`. */
export const SHUFFLE_SEED = 20110619;

const gzipAsync = promisify(gzip);
const LAYOUT = 'aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt and aclImdb/train/unsup/<id>_0.txt';
const FOLDERS = ['train/pos', 'train/neg', 'test/pos', 'test/neg', 'train/unsup'] as const;
type Folder = (typeof FOLDERS)[number];

/** One review file; `path` is relative to `aclImdb/`, as the `_ids` files write it. */
interface Review {
  readonly folder: Folder;
  readonly path: string;
  readonly id: number;
  readonly text: string;
}

export interface ConvertOptions {
  /** No progress bars (tests). */
  readonly quiet?: boolean;
}

export interface ConvertSummary {
  readonly train: number;
  readonly test: number;
  readonly unsup: number;
  /** Paths of the files written, in `outDir`. */
  readonly files: readonly string[];
}

/** Which review folder an archive path belongs to, or undefined for the tarball's other files. */
function reviewFolder(archivePath: string): { folder: Folder; name: string } | undefined {
  const match = /^(?:\.\/)?aclImdb\/(train\/pos|train\/neg|test\/pos|test\/neg|train\/unsup)\/([^/]+)$/.exec(
    archivePath,
  );
  if (!match) return undefined;
  return { folder: match[1] as Folder, name: match[2] ?? '' };
}

/** Reads every review of the five folders from the tarball, without extracting it. */
async function readReviews(tarball: string, bar: Progress): Promise<{ reviews: Review[]; entries: number }> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // keep a BOM, as Python's decode does
  const reviews: Review[] = [];
  let entries = 0;
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(tarball);
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      input.destroy();
      reject(error instanceof ReelSenseError ? error : corrupt(tarball, error));
    };
    const onEntry = (entry: ReadEntry): void => {
      entries++;
      const where = entry.type === 'File' || entry.type === 'OldFile' ? reviewFolder(entry.path) : undefined;
      if (!where) {
        entry.resume();
        return;
      }
      const name = /^(\d+)_(\d+)\.txt$/.exec(where.name);
      if (!name) {
        fail(
          new ReelSenseError(
            'TARBALL_UNEXPECTED_FILE',
            `${tarball} has "${entry.path}", which is not named <id>_<rating>.txt. Expected the official layout: ${LAYOUT}.`,
          ),
        );
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        try {
          const text = decoder.decode(Buffer.concat(chunks));
          reviews.push({ folder: where.folder, path: `${where.folder}/${where.name}`, id: Number(name[1]), text });
        } catch (cause) {
          fail(
            new ReelSenseError(
              'TARBALL_BAD_TEXT',
              `${tarball}: "${entry.path}" is not valid UTF-8. The tarball is damaged or not the official one; delete it and download it again.`,
              { cause },
            ),
          );
        }
      });
    };
    // strict: tar's warnings (bad checksum, truncated entry, not a tarball) become errors.
    const parser = new Parser({ strict: true, onReadEntry: onEntry });
    parser.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve();
    });
    input.on('error', (cause) => {
      fail(new ReelSenseError('TARBALL_UNREADABLE', `Cannot read ${tarball}: ${cause.message}.`, { cause }));
    });
    input.on('data', (chunk) => {
      bytes += chunk.length;
      bar.update(bytes);
    });
    input.pipe(parser);
  });
  return { reviews, entries };
}

function corrupt(tarball: string, cause: unknown): ReelSenseError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ReelSenseError(
    'TARBALL_CORRUPT',
    `${tarball} is not a complete aclImdb tarball (${reason}). Delete it and download it again (npm run data:fetch -- --force-download).`,
    { cause },
  );
}

/** The README's order: label descending, then numeric review id (then path, as git ls-tree lists ties). */
function byLabelThenId(a: Review, b: Review): number {
  const label = Number(a.folder.endsWith('/pos')) - Number(b.folder.endsWith('/pos'));
  if (label !== 0) return -label;
  if (a.id !== b.id) return a.id - b.id;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Sorts and shuffles one split exactly as the README's conversion did; returns the CSV and ids text. */
function splitFiles(rows: Review[]): { csv: string; ids: string } {
  const ordered = [...rows].sort(byLabelThenId);
  new PythonRandom(SHUFFLE_SEED).shuffle(ordered);
  let csv = 'label,text\n';
  let ids = '';
  for (const row of ordered) {
    csv += `${row.folder.endsWith('/pos') ? 1 : 0},${csvField(row.text)}\n`;
    ids += `${row.path}\n`;
  }
  return { csv, ids };
}

function unsupCsv(rows: Review[]): string {
  const ordered = [...rows].sort((a, b) => a.id - b.id || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let csv = 'text\n';
  // csv.writer quotes a lone empty field ("") so the row is not read back as a blank line.
  for (const row of ordered) csv += `${row.text === '' ? '""' : csvField(row.text)}\n`;
  return csv;
}

/**
 * Converts `tarball` into `outDir`. Each file is gzipped (level 9) to a temporary name and renamed
 * into place only when all five are written, `train.csv.gz` last, so an interrupted run never
 * leaves a file that looks complete.
 */
export async function convertAclImdb(
  tarball: string,
  outDir: string,
  options: ConvertOptions = {},
): Promise<ConvertSummary> {
  let size: number;
  try {
    size = (await stat(tarball)).size;
  } catch (cause) {
    throw new ReelSenseError('TARBALL_UNREADABLE', `Cannot read ${tarball}: ${(cause as Error).message}.`, { cause });
  }
  const readBar = progress('Reading aclImdb', size, 'B', options);
  const { reviews, entries } = await readReviews(tarball, readBar);
  readBar.finish(`${entries.toLocaleString('en-US')} entries, ${reviews.length.toLocaleString('en-US')} reviews`);

  const byFolder = new Map<Folder, Review[]>(FOLDERS.map((folder) => [folder, []]));
  for (const review of reviews) byFolder.get(review.folder)?.push(review);
  const empty = FOLDERS.filter((folder) => byFolder.get(folder)?.length === 0);
  if (empty.length > 0) {
    throw new ReelSenseError(
      'TARBALL_INCOMPLETE',
      `${tarball} has no reviews in ${empty.map((f) => `aclImdb/${f}/`).join(', ')}. Expected the official aclImdb_v1.tar.gz layout: ${LAYOUT}.`,
    );
  }
  const folder = (f: Folder): Review[] => byFolder.get(f) ?? [];
  const train = splitFiles([...folder('train/pos'), ...folder('train/neg')]);
  const test = splitFiles([...folder('test/pos'), ...folder('test/neg')]);
  // Rename order: train.csv.gz last, because its presence is what marks a finished conversion.
  const outputs: [string, string][] = [
    ['train_ids.txt.gz', train.ids],
    ['test_ids.txt.gz', test.ids],
    ['unsup.csv.gz', unsupCsv(folder('train/unsup'))],
    ['test.csv.gz', test.csv],
    ['train.csv.gz', train.csv],
  ];

  await mkdir(outDir, { recursive: true });
  const writeBar = progress('Writing dataset', outputs.length, 'files', options);
  const temps = outputs.map(([name]) => join(outDir, `.${name}.${process.pid}.tmp`));
  let written = 0;
  try {
    // zlib runs in the thread pool, so the five files compress in parallel.
    await Promise.all(
      outputs.map(async ([, text], i) => {
        await writeFile(temps[i] ?? '', await gzipAsync(Buffer.from(text, 'utf8'), { level: 9 }));
        writeBar.update(++written);
      }),
    );
    for (const [i, [name]] of outputs.entries()) await rename(temps[i] ?? '', join(outDir, name));
  } catch (cause) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw new ReelSenseError(
      'DATA_WRITE_FAILED',
      `Cannot write the dataset to ${outDir}: ${(cause as Error).message}.`,
      { cause },
    );
  }
  writeBar.finish(`written to ${outDir}`);
  return {
    train: folder('train/pos').length + folder('train/neg').length,
    test: folder('test/pos').length + folder('test/neg').length,
    unsup: folder('train/unsup').length,
    files: outputs.map(([name]) => join(outDir, name)),
  };
}
