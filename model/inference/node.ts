/**
 * Node's way to a classifier: the artifact read from disk, onnxruntime-node as the runtime.
 * The shipped artifact is used unless another folder is given.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadArtifact, type Artifact } from './artifact.ts';
import { labelRulesOf } from './card.ts';
import { SentimentClassifier, type ClassifierOptions } from './classifier.ts';
import { createSentimentSession } from './session.ts';

import { SHIPPED_ARTIFACT_DIR } from './shipped.ts';

export { SHIPPED_ARTIFACT_DIR, SHIPPED_MODEL_VERSION } from './shipped.ts';

export async function loadArtifactFromDirectory(dir: string = SHIPPED_ARTIFACT_DIR): Promise<Artifact> {
  const folder = resolve(dir);
  return loadArtifact(async (name) => new Uint8Array(await readFile(join(folder, name))), folder);
}

/**
 * One intra-op thread: this model's batches are too small to gain from two (2 cores: 1,220
 * reviews/s with one thread, 1,197 with two, at half the CPU time per review), and the other
 * core stays free for text processing and the servers around the model.
 */
export const DEFAULT_THREADS = 1;

export interface NodeClassifierOptions extends ClassifierOptions {
  /** Intra-op threads for ONNX Runtime; default 1 (see DEFAULT_THREADS). */
  readonly threads?: number;
}

export async function createNodeClassifier(
  dir: string = SHIPPED_ARTIFACT_DIR,
  options: NodeClassifierOptions = {},
): Promise<SentimentClassifier> {
  return classifierFromArtifact(await loadArtifactFromDirectory(dir), options);
}

/** For callers that also read the card: the artifact is loaded (and hashed) once. */
export async function classifierFromArtifact(
  artifact: Artifact,
  options: NodeClassifierOptions = {},
): Promise<SentimentClassifier> {
  const session = await createSentimentSession(ort, artifact.model, {
    intraOpNumThreads: options.threads ?? DEFAULT_THREADS,
    // Idle threads that spin burn a core the gateway or the text processing could use.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  return new SentimentClassifier(artifact.vocabulary, session, artifact.card.version, {
    ...labelRulesOf(artifact.card),
    ...options,
  });
}
