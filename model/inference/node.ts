/**
 * Node's way to a classifier: the artifact read from disk, onnxruntime-node as the runtime.
 * The shipped artifact is used unless another folder is given.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { loadArtifact, type Artifact } from './artifact.ts';
import { SentimentClassifier, type ClassifierOptions } from './classifier.ts';
import { createSentimentSession } from './session.ts';

/** The version of the model shipped in model/artifacts/, used by default everywhere. */
export const SHIPPED_MODEL_VERSION = 'rnn-v2';
export const SHIPPED_ARTIFACT_DIR = fileURLToPath(new URL(`../artifacts/${SHIPPED_MODEL_VERSION}/`, import.meta.url));

export async function loadArtifactFromDirectory(dir: string = SHIPPED_ARTIFACT_DIR): Promise<Artifact> {
  const folder = resolve(dir);
  return loadArtifact(async (name) => new Uint8Array(await readFile(join(folder, name))), folder);
}

export interface NodeClassifierOptions extends ClassifierOptions {
  /** Intra-op threads for ONNX Runtime; default: ONNX Runtime's choice (all cores). */
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
    ...(options.threads !== undefined && { intraOpNumThreads: options.threads }),
  });
  return new SentimentClassifier(artifact.vocabulary, session, artifact.card.version, options);
}
