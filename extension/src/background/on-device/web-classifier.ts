/**
 * The extension's way to a classifier: the same SentimentClassifier and session code as the
 * endpoint server (model/inference), with onnxruntime-web instead of onnxruntime-node. Only how
 * the bytes are read and which runtime runs them differ, so scores agree with the server's.
 */
import { loadArtifact, type ArtifactReader } from '../../../../model/inference/artifact.ts';
import { labelRulesOf } from '../../../../model/inference/card.ts';
import { SentimentClassifier } from '../../../../model/inference/classifier.ts';
import { createSentimentSession, type SentimentSession } from '../../../../model/inference/session.ts';
import { ort } from './ort.ts';

export async function createWebClassifier(read: ArtifactReader, where: string): Promise<SentimentClassifier> {
  // Starting the WebAssembly runtime and the session is most of a cold start, so it begins on the
  // model's bytes while loadArtifact checks their sha256 and reads the vocabulary. Nothing is
  // scored before that check passes; a corrupt file fails with the check's error, not the runtime's.
  const modelBytes = read('model.onnx');
  const session: Promise<SentimentSession> = modelBytes.then((bytes) =>
    createSentimentSession(ort, bytes, { executionProviders: ['wasm'] }),
  );
  session.catch(() => undefined); // awaited below once the artifact is known good
  const artifact = await loadArtifact((name) => (name === 'model.onnx' ? modelBytes : read(name)), where);
  // The card's label rules (mixed band, unreadable threshold), exactly as the endpoint server reads them.
  return new SentimentClassifier(
    artifact.vocabulary,
    await session,
    artifact.card.version,
    labelRulesOf(artifact.card),
  );
}
