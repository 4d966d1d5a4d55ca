/**
 * Prepares the dataset for training: text -> tokens (the one text pipeline) -> vocabulary
 * (training split only) -> ids, written as .npy arrays with a manifest. Node-only.
 * Re-running with unchanged inputs and options reuses the folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { progress } from '../../common/cli/progress.ts';
import { parseLabelledCsv, parseTextCsv, readGzipText, type LabelledReview } from '../data/csv.ts';
import { locateDataset, type DatasetLocation } from '../data/locate.ts';
import { ReelSenseError } from '../../common/errors.ts';
import {
  TEXT_PIPELINE_VERSION,
  buildVocabulary,
  checkVocabularyOptions,
  encodeTokens,
  tokenize,
  type Vocabulary,
  type VocabularyOptions,
} from '../text/index.ts';
import {
  PREPARED_FORMAT,
  PREPARED_FORMAT_VERSION,
  type FileRecord,
  type PreparedManifest,
  type SplitName,
  type SplitRecord,
} from './manifest.ts';
import { writeNpy, type NpyArray } from './npy.ts';

export const DEFAULT_VOCABULARY: VocabularyOptions = { maxSize: 20_000, minCount: 2, maxLength: 512 };

export interface PrepareOptions {
  readonly outDir: string;
  readonly dataDir?: string | undefined;
  readonly vocabulary?: VocabularyOptions;
  /** Also encode the 50,000 unlabelled reviews (for pretraining). */
  readonly withUnsup?: boolean;
  /** Rebuild even when the folder could be reused. */
  readonly force?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** No progress bars or log lines. */
  readonly quiet?: boolean;
}

export interface PrepareResult {
  readonly manifest: PreparedManifest;
  readonly reused: boolean;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

async function fileRecord(path: string, file: string): Promise<FileRecord> {
  const bytes = await readFile(path);
  return { file, bytes: bytes.length, sha256: sha256(bytes) };
}

async function reusable(outDir: string, key: string): Promise<PreparedManifest | undefined> {
  let manifest: PreparedManifest;
  try {
    manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as PreparedManifest;
  } catch {
    return undefined;
  }
  if (manifest.key !== key) return undefined;
  const files = [
    manifest.vocabulary,
    ...Object.values(manifest.splits).flatMap((s) => [s.ids, s.offsets, s.labels, s.ratings]),
  ];
  for (const record of files) {
    if (record === undefined) continue;
    const size = await stat(join(outDir, record.file)).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== record.bytes) return undefined;
  }
  return manifest;
}

function tokenizeAll(label: string, texts: readonly string[], quiet: boolean): string[][] {
  const bar = progress(`tokenise ${label}`, texts.length, 'reviews', { quiet });
  const out = texts.map((text, i) => {
    if (i % 500 === 0) bar.update(i);
    return tokenize(text);
  });
  bar.update(texts.length);
  bar.finish();
  return out;
}

function encodeAll(
  tokenLists: readonly string[][],
  vocabulary: Vocabulary,
): { ids: Int32Array; offsets: BigInt64Array; truncated: number } {
  const encoded = tokenLists.map((tokens) => encodeTokens(tokens, vocabulary));
  const offsets = new BigInt64Array(encoded.length + 1);
  let total = 0;
  encoded.forEach((ids, i) => {
    total += ids.length;
    offsets[i + 1] = BigInt(total);
  });
  const ids = new Int32Array(total);
  encoded.forEach((row, i) => {
    ids.set(row, Number(offsets[i]));
  });
  const truncated = tokenLists.filter((tokens) => tokens.length > vocabulary.maxLength).length;
  return { ids, offsets, truncated };
}

async function writeSplit(
  outDir: string,
  split: SplitName,
  tokenLists: readonly string[][],
  vocabulary: Vocabulary,
  labels?: readonly LabelledReview[],
  ratings?: Uint8Array,
): Promise<SplitRecord> {
  const { ids, offsets, truncated } = encodeAll(tokenLists, vocabulary);
  const write = async (name: string, array: NpyArray): Promise<FileRecord> => {
    const file = `${split}.${name}.npy`;
    const bytes = await writeNpy(join(outDir, file), array);
    return { file, bytes: bytes.length, sha256: sha256(bytes) };
  };
  const record: SplitRecord = {
    reviews: tokenLists.length,
    tokens: ids.length,
    truncated,
    ids: await write('ids', ids),
    offsets: await write('offsets', offsets),
  };
  if (labels === undefined) return record;
  const labelArray = Uint8Array.from(labels, (r) => r.label);
  const positive = labelArray.reduce((n, l) => n + l, 0);
  return {
    ...record,
    positive,
    negative: labels.length - positive,
    labels: await write('labels', labelArray),
    ...(ratings !== undefined && { ratings: await write('ratings', ratings) }),
  };
}

/** Star ratings from an ids file (`train/pos/0_9.txt` is rated 9), one per review, in row order. */
export function parseRatings(text: string, reviews: number, path: string): Uint8Array {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== reviews) {
    throw new ReelSenseError('DATA_CORRUPT', `${path} has ${lines.length} lines for ${reviews} reviews.`);
  }
  return Uint8Array.from(lines, (line, i) => {
    const rating = Number(/_(\d+)\.txt$/.exec(line.trim())?.[1]);
    if (!Number.isInteger(rating) || rating < 1 || rating > 10) {
      throw new ReelSenseError('DATA_CORRUPT', `${path} line ${i + 1} ("${line}") does not end in a 1-10 rating.`);
    }
    return rating;
  });
}

export async function prepareData(options: PrepareOptions): Promise<PrepareResult> {
  const started = performance.now();
  const quiet = options.quiet === true;
  const log = (line: string): void => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  const vocabularyOptions = checkVocabularyOptions(options.vocabulary ?? DEFAULT_VOCABULARY);
  const location: DatasetLocation = await locateDataset({
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.env !== undefined && { env: options.env }),
  });
  log(`dataset: ${location.dir} (${location.source})`);
  const withUnsup = options.withUnsup === true;
  if (withUnsup && location.unsup === undefined) {
    throw new ReelSenseError('DATA_MISSING', `--with-unsup needs unsup.csv.gz in ${location.dir}, and there is none.`);
  }

  const sources: Partial<Record<SplitName, FileRecord>> = {
    train: await fileRecord(location.train, 'train.csv.gz'),
    test: await fileRecord(location.test, 'test.csv.gz'),
    ...(withUnsup && location.unsup !== undefined && { unsup: await fileRecord(location.unsup, 'unsup.csv.gz') }),
  };
  const trainIds =
    location.trainIds === undefined ? undefined : await fileRecord(location.trainIds, 'train_ids.txt.gz');
  const key = sha256(
    JSON.stringify({
      format: PREPARED_FORMAT_VERSION,
      textPipeline: TEXT_PIPELINE_VERSION,
      vocabulary: vocabularyOptions,
      sources: Object.values(sources).map((s) => s.sha256),
      ratings: trainIds?.sha256 ?? null,
    }),
  );
  if (options.force !== true) {
    const cached = await reusable(options.outDir, key);
    if (cached !== undefined) return { manifest: cached, reused: true };
  }

  await mkdir(options.outDir, { recursive: true });
  // The manifest marks a complete folder: remove it first so a crash never leaves a stale one.
  await rm(join(options.outDir, 'manifest.json'), { force: true });

  // Reads a source once, noting the hash of its text: the dataset's identity whatever the
  // gzip bytes (a converted download and the shared copy compress differently).
  const textSha256: Partial<Record<SplitName, string>> = {};
  const readSource = async (split: SplitName, path: string): Promise<string> => {
    const text = await readGzipText(path);
    textSha256[split] = sha256(text);
    return text;
  };

  const train = parseLabelledCsv(await readSource('train', location.train), location.train);
  const trainTokens = tokenizeAll(
    'train',
    train.map((r) => r.text),
    quiet,
  );
  const vocabulary = buildVocabulary(trainTokens, vocabularyOptions);
  const vocabBytes = `${JSON.stringify(vocabulary.toJSON())}\n`;
  await writeFile(join(options.outDir, 'vocab.json'), vocabBytes);
  log(
    `vocabulary: ${vocabulary.size.toLocaleString('en-US')} tokens (max ${vocabularyOptions.maxSize}, min count ${vocabularyOptions.minCount})`,
  );

  const splits: Partial<Record<SplitName, SplitRecord>> = {};
  const ratings =
    location.trainIds === undefined
      ? undefined
      : parseRatings(await readGzipText(location.trainIds), train.length, location.trainIds);
  splits.train = await writeSplit(options.outDir, 'train', trainTokens, vocabulary, train, ratings);
  const test = parseLabelledCsv(await readSource('test', location.test), location.test);
  splits.test = await writeSplit(
    options.outDir,
    'test',
    tokenizeAll(
      'test',
      test.map((r) => r.text),
      quiet,
    ),
    vocabulary,
    test,
  );
  if (withUnsup && location.unsup !== undefined) {
    splits.unsup = await writeSplit(
      options.outDir,
      'unsup',
      tokenizeAll('unsup', parseTextCsv(await readSource('unsup', location.unsup), location.unsup), quiet),
      vocabulary,
    );
  }

  const manifest: PreparedManifest = {
    format: PREPARED_FORMAT,
    version: PREPARED_FORMAT_VERSION,
    key,
    textPipeline: TEXT_PIPELINE_VERSION,
    createdAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    source: {
      dir: location.dir,
      from: location.source,
      files: Object.fromEntries(
        Object.entries(sources).map(([split, record]) => [
          split,
          { ...record, textSha256: textSha256[split as SplitName] ?? '' },
        ]),
      ),
    },
    vocabulary: {
      file: 'vocab.json',
      bytes: Buffer.byteLength(vocabBytes),
      sha256: sha256(vocabBytes),
      size: vocabulary.size,
      ...vocabularyOptions,
    },
    splits,
  };
  const manifestPath = join(options.outDir, 'manifest.json');
  await writeFile(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${manifestPath}.tmp`, manifestPath);
  return { manifest, reused: false };
}
