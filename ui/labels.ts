/**
 * How each label of the contract reads: its name and what "confidence" means for it. This is the
 * one table a new label is added to; the Record type makes the compiler point here, and at the
 * icon for it in icons.ts, when contract.ts grows a label. A "mixed" verdict has no confidence to
 * show: the model leans neither way, and a percentage would claim a certainty it does not have.
 */
import type { SentimentLabel } from '../public-api/contract.ts';

export interface LabelLook {
  /** The label in words, capitalised: "Positive". */
  readonly name: string;
  /** How sure the model is of this label, 0-1, from P(positive); none for "mixed". */
  readonly confidence: ((score: number) => number) | undefined;
}

export const LABELS: Readonly<Record<SentimentLabel, LabelLook>> = {
  positive: { name: 'Positive', confidence: (score) => score },
  negative: { name: 'Negative', confidence: (score) => 1 - score },
  mixed: { name: 'Mixed', confidence: undefined },
};
