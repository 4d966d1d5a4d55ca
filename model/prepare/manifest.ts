/**
 * The prepared-data manifest (`manifest.json`), the contract between the TypeScript prepare
 * step and the Python training code (model/train/prepared.py reads the same fields).
 *
 * Layout of a prepared folder:
 *   manifest.json          this file, written last: its presence marks a complete folder
 *   vocab.json             the vocabulary and length rule (model/text/vocabulary.ts)
 *   <split>.ids.npy        int32 [total tokens]: every review's ids, one after another
 *   <split>.offsets.npy    int64 [reviews + 1]: review i is ids[offsets[i]:offsets[i+1]]
 *   <split>.labels.npy     uint8 [reviews]: 1 positive, 0 negative (labelled splits only)
 * Splits: train, test, and unsup (unlabelled, only with --with-unsup).
 */
import type { VocabularyOptions } from '../text/index.ts';

export const PREPARED_FORMAT = 'reelsense-prepared';
export const PREPARED_FORMAT_VERSION = 1;

export type SplitName = 'train' | 'test' | 'unsup';

export interface FileRecord {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SplitRecord {
  readonly reviews: number;
  readonly tokens: number;
  /** Reviews longer than the vocabulary's maxLength, cut by the length rule. */
  readonly truncated: number;
  readonly positive?: number;
  readonly negative?: number;
  readonly ids: FileRecord;
  readonly offsets: FileRecord;
  readonly labels?: FileRecord;
  /** uint8 [reviews]: each review's star rating (1-10), where the dataset gives the ids file. */
  readonly ratings?: FileRecord;
}

export interface PreparedManifest {
  readonly format: typeof PREPARED_FORMAT;
  readonly version: typeof PREPARED_FORMAT_VERSION;
  /** Hash of everything that determines the output; equal keys mean the folder can be reused. */
  readonly key: string;
  readonly textPipeline: string;
  readonly createdAt: string;
  readonly seconds: number;
  readonly source: {
    readonly dir: string;
    readonly from: string;
    /** The gzipped source files; `textSha256` hashes their uncompressed text, the dataset's identity. */
    readonly files: Readonly<Partial<Record<SplitName, FileRecord & { readonly textSha256: string }>>>;
  };
  readonly vocabulary: FileRecord & VocabularyOptions & { readonly size: number };
  readonly splits: Readonly<Partial<Record<SplitName, SplitRecord>>>;
}
