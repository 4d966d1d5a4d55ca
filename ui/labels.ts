/**
 * How each label of the contract reads: its name and what "confidence" means for it. This is the
 * one table a new label (the planned "mixed") is added to; the Record type makes the compiler
 * point here, and at the icon for it in icons.ts, when contract.ts grows a label.
 */
import type { SentimentLabel } from '../public-api/contract.ts';

export interface LabelLook {
  /** The label in words, capitalised: "Positive". */
  readonly name: string;
  /** How sure the model is of this label, 0-1, from P(positive). */
  readonly confidence: (score: number) => number;
}

export const LABELS: Readonly<Record<SentimentLabel, LabelLook>> = {
  positive: { name: 'Positive', confidence: (score) => score },
  negative: { name: 'Negative', confidence: (score) => 1 - score },
};
