/**
 * ReelSense's one text pipeline: training data, the endpoint server and the extension all
 * turn review text into ids here. HTML removal -> normalisation -> tokens -> ids.
 * Browser-safe (Node, pages, service workers, content scripts): no Node APIs anywhere below.
 */
import { encodeTokens } from './encode.ts';
import { htmlToText } from './html.ts';
import { normalizeText } from './normalize.ts';
import { tokenizeNormalized } from './tokenize.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Review text (HTML allowed) to tokens. */
export function tokenize(text: string): string[] {
  return tokenizeNormalized(normalizeText(htmlToText(text)));
}

/** Review text to model ids under `vocabulary`'s length rule. */
export function encode(text: string, vocabulary: Vocabulary): Int32Array {
  return encodeTokens(tokenize(text), vocabulary);
}

export { encodeTokens, truncationWindow } from './encode.ts';
export { decodeEntities, htmlToText } from './html.ts';
export { normalizeText } from './normalize.ts';
export { TEXT_PIPELINE_VERSION } from './version.ts';
export {
  PAD_ID,
  PAD_TOKEN,
  UNK_ID,
  UNK_TOKEN,
  Vocabulary,
  buildVocabulary,
  checkVocabularyOptions,
  type VocabularyFile,
  type VocabularyOptions,
} from './vocabulary.ts';
