/**
 * How much of a text the model can read: the share of its words (tokens with a letter or a digit)
 * that are in the model's vocabulary. Below the card's `readable.unreadable_below` the label is
 * "unreadable" (classifier.ts).
 *
 * Tokens without a letter or digit are left out, both ways: punctuation (the vocabulary knows "."
 * and "," in any language: they lifted "Il mio film preferito di sempre, atmosfera mozzafiato."
 * from 0.38 to 0.50), emoji (unknown to this vocabulary: "Great movie! 👍👍👍" would read 0.40)
 * and emoticons. Numbers and ratings ("7/10") are words. A text with no words reads 0.
 * Counting only the vocabulary's most frequent entries as known (its rare entries include the
 * Italian and Spanish words of IMDB's titles) separated no better: see
 * model/inference/readable-threshold.ts and BENCHMARKS.md ("Readable"). Browser-safe.
 */
import { UNK_ID, type Vocabulary } from '../text/index.ts';

const WORD = /[\p{L}\p{N}]/u;

/** A token that counts: one with a letter or a digit. */
export function isWord(token: string): boolean {
  // Most tokens start with a lower-case ASCII letter or a digit (text is lower-cased before): no regex for those.
  const first = token.charCodeAt(0);
  return (first >= 97 && first <= 122) || (first >= 48 && first <= 57) || WORD.test(token);
}

/** The share (0 to 1) of the words among `tokens` (a text's tokens, tokenize()) in `vocabulary`. */
export function readableShare(tokens: readonly string[], vocabulary: Vocabulary): number {
  let words = 0;
  let known = 0;
  for (const token of tokens) {
    if (!isWord(token)) continue;
    words++;
    if (vocabulary.idOf(token) !== UNK_ID) known++;
  }
  return words === 0 ? 0 : known / words;
}
