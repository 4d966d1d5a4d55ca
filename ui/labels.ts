/**
 * How each label of the contract reads: its name, what "confidence" means for it, and, for a label
 * without one, the words that say why. This is the one table a new label is added to; the Record
 * type makes the compiler point here, and at the icon for it in icons.ts, when contract.ts grows a
 * label. "mixed" and "unreadable" have no confidence to show: the model leans neither way, or cannot
 * read the text, and a percentage would claim a certainty it does not have.
 */
import type { SentimentLabel } from '../public-api/contract.ts';

export interface LabelLook {
  /** The label in words, capitalised: "Positive". */
  readonly name: string;
  /** How sure the model is of this label, 0-1, from P(positive); none for "mixed" and "unreadable". */
  readonly confidence: ((score: number) => number) | undefined;
  /** Without a confidence: the label in a short line, why included ("Mixed, leaning neither way"). */
  readonly line?: string;
  /** Without a confidence: the full verdict's sentence. */
  readonly sentence?: string;
}

export const LABELS: Readonly<Record<SentimentLabel, LabelLook>> = {
  positive: { name: 'Positive', confidence: (score) => score },
  negative: { name: 'Negative', confidence: (score) => 1 - score },
  mixed: {
    name: 'Mixed',
    confidence: undefined,
    line: 'Mixed, leaning neither way',
    sentence: 'The model reads this review as mixed: it leans neither way, so no side and no confidence are given.',
  },
  unreadable: {
    name: 'Not in English',
    confidence: undefined,
    line: 'Not in English: ReelSense reads English reviews',
    sentence:
      'The model cannot read this text: too few of its words are English words it knows (is it in another language?). ReelSense reads English reviews, so no verdict and no confidence are given.',
  },
};
