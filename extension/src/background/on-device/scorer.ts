/**
 * The packed model, loaded once per background lifetime (Chrome stops an idle service worker
 * after about 30 s; the next message loads it again: the "cold" start). Model calls are run one
 * at a time: a single-threaded WebAssembly session gains nothing from overlapping runs.
 */
import type { SentimentClassifier } from '../../../../model/inference/classifier.ts';
import { explain } from '../../../../model/inference/explain.ts';
import type { SentimentResult } from '../../../../public-api/contract.ts';
import type { OnDeviceAnswer } from '../via-api/scorer.ts';
import { readPackagedFile } from './packaged.ts';
import { createWebClassifier } from './web-classifier.ts';
import { loadSettings } from '../../common/settings/storage.ts';

let loading: Promise<SentimentClassifier> | undefined;
let loaded: SentimentClassifier | undefined;
let queue: Promise<unknown> = Promise.resolve();

export function onDeviceClassifier(): Promise<SentimentClassifier> {
  loading ??= createWebClassifier(readPackagedFile, 'the extension package').then(
    (classifier) => (loaded = classifier),
    (error: unknown) => {
      loading = undefined; // a later call tries again
      throw error;
    },
  );
  return loading;
}

/** The model's version once loaded; undefined before. */
export function loadedModelVersion(): string | undefined {
  return loaded?.version;
}

/**
 * Loads the model if on-device mode will need it, and runs it once: the first run of a fresh
 * WebAssembly session is several times slower than the next, so a page's first batch should
 * not pay for it. Resolves to whether the model is loaded.
 */
export async function warmUp(): Promise<boolean> {
  if ((await loadSettings()).mode !== 'on-device') return loaded !== undefined;
  if (loaded === undefined) await classifyOnDevice(['A warm-up.']);
  return true;
}

/** Runs `work` after every model call queued before it. */
function enqueue<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

export async function classifyOnDevice(texts: readonly string[]): Promise<OnDeviceAnswer> {
  const classifier = await onDeviceClassifier();
  return { results: await enqueue(() => classifier.classifyBatch(texts)), model: classifier.version };
}

/**
 * The text's verdict and what decided it (model/inference/explain.ts: its sentences for a review,
 * its words for a short text), through the same queue: its model calls never overlap a page's.
 */
export async function explainOnDevice(text: string): Promise<{ result: SentimentResult; model: string }> {
  const classifier = await onDeviceClassifier();
  const { prediction, explanation } = await enqueue(() => explain(classifier, text));
  return { result: { ...prediction, explanation }, model: classifier.version };
}
