/**
 * Tokens to ids, with the length rule. Browser-safe.
 *
 * Length rule: a text with more than `maxLength` tokens keeps its first quarter
 * (floor(maxLength / 4) tokens) and its last three quarters: reviewers open with the setting
 * and close with the verdict, and head+tail truncation is what works best on IMDB
 * (Sun et al., "How to Fine-Tune BERT for Text Classification?", 2019). Encoding never pads:
 * batching pads with PAD_ID on the right. An empty text gives no ids; callers decide what
 * that means (the API refuses it).
 */
import type { Vocabulary } from './vocabulary.ts';

export function truncationWindow(length: number, maxLength: number): { head: number; tail: number } {
  if (length <= maxLength) return { head: length, tail: 0 };
  const head = Math.floor(maxLength / 4);
  return { head, tail: maxLength - head };
}

export function encodeTokens(tokens: readonly string[], vocabulary: Vocabulary): Int32Array {
  const { head, tail } = truncationWindow(tokens.length, vocabulary.maxLength);
  const ids = new Int32Array(head + tail);
  for (let i = 0; i < head; i++) ids[i] = vocabulary.idOf(tokens[i] as string);
  const tailStart = tokens.length - tail;
  for (let i = 0; i < tail; i++) ids[head + i] = vocabulary.idOf(tokens[tailStart + i] as string);
  return ids;
}
