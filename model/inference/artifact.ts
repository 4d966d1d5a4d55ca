/**
 * Loads a model artifact (card.json, vocab.json, model.onnx) from any file source and refuses
 * a missing, corrupt or mismatched one. Browser-safe: hashes with WebCrypto, reads through the
 * caller's `read` (node:fs in Node, fetch of packaged files in the extension).
 */
import { ReelSenseError } from '../../common/errors.ts';
import { TEXT_PIPELINE_VERSION, Vocabulary } from '../text/index.ts';
import { parseCard, type ModelCard } from './card.ts';

export interface Artifact {
  readonly card: ModelCard;
  readonly vocabulary: Vocabulary;
  readonly model: Uint8Array;
}

/** Reads one file of the artifact by name; rejects when it cannot. */
export type ArtifactReader = (name: string) => Promise<Uint8Array>;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function loadArtifact(read: ArtifactReader, where: string): Promise<Artifact> {
  const readFile = async (name: string): Promise<Uint8Array> => {
    try {
      return await read(name);
    } catch (cause) {
      throw new ReelSenseError('ARTIFACT_MISSING', `The model artifact in ${where} has no readable ${name}.`, {
        cause,
      });
    }
  };
  const parse = (name: string, bytes: Uint8Array): unknown => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (cause) {
      throw new ReelSenseError('ARTIFACT_INVALID', `${name} in ${where} is not valid JSON.`, { cause });
    }
  };

  const card = parseCard(parse('card.json', await readFile('card.json')));
  if (card.textPipeline !== TEXT_PIPELINE_VERSION) {
    throw new ReelSenseError(
      'ARTIFACT_PIPELINE_MISMATCH',
      `The model in ${where} was trained with text pipeline "${card.textPipeline}" but this code is "${TEXT_PIPELINE_VERSION}": use a model trained with this version.`,
    );
  }
  const [vocabBytes, model] = await Promise.all([readFile('vocab.json'), readFile('model.onnx')]);
  for (const [name, bytes] of [
    ['vocab.json', vocabBytes],
    ['model.onnx', model],
  ] as const) {
    const actual = await sha256Hex(bytes);
    if (actual !== card.files[name]) {
      throw new ReelSenseError(
        'ARTIFACT_CORRUPT',
        `${name} in ${where} does not match its model card (sha256 ${actual.slice(0, 12)}…, card says ${card.files[name]?.slice(0, 12) ?? 'nothing'}…): the file is damaged or from another model. Restore the artifact (git checkout model/artifacts) or retrain.`,
      );
    }
  }
  const vocabulary = Vocabulary.fromJSON(parse('vocab.json', vocabBytes));
  checkVocabularyFitsModel(card, vocabulary, where);
  return { card, vocabulary, model };
}

/**
 * The model has one embedding row per vocabulary entry. A vocab.json of another size (one from
 * another artifact, its hash fixed up in the card) would load, then fail on every review whose
 * ids have no row, or quietly score the wrong words: refuse it at load time instead. The sizes
 * the training wrote into the card are the reference.
 */
function checkVocabularyFitsModel(card: ModelCard, vocabulary: Vocabulary, where: string): void {
  const sizeOf = (section: unknown, field: string): unknown =>
    typeof section === 'object' && section !== null ? (section as Record<string, unknown>)[field] : undefined;
  for (const [name, size] of [
    ['model.vocab_size', sizeOf(card.model, 'vocab_size')],
    ['vocabulary.size', sizeOf(card.vocabulary, 'size')],
  ] as const) {
    if (typeof size === 'number' && size !== vocabulary.size) {
      throw new ReelSenseError(
        'ARTIFACT_VOCAB_MISMATCH',
        `vocab.json in ${where} has ${vocabulary.size} tokens, but the model was trained with ${size} (card.json ${name}): the vocabulary belongs to another model. Restore the artifact (git checkout model/artifacts) or retrain.`,
      );
    }
  }
}
