/** How a result reads in words and numbers, the same on the website, the badge, the popover and the popup. */
import type { SentimentResult } from '../public-api/contract.ts';
import { LABELS } from './labels.ts';

/** Below this confidence the full verdict says the model is unsure. */
const UNSURE_BELOW = 0.6;

const numberFormat = new Intl.NumberFormat('en-US');

/** P(positive) for a positive label, P(negative) for a negative one. */
export function confidenceOf(result: SentimentResult): number {
  return LABELS[result.label].confidence(result.score);
}

/** The confidence in whole percent: 92. */
export function percentOf(result: SentimentResult): number {
  return Math.round(confidenceOf(result) * 100);
}

/** "92%" */
export function percent(result: SentimentResult): string {
  return `${percentOf(result)}%`;
}

/** "Positive" */
export function labelName(result: SentimentResult): string {
  return LABELS[result.label].name;
}

/** "Positive, 92% confident" */
export function describe(result: SentimentResult): string {
  return `${labelName(result)}, ${percent(result)} confident`;
}

export function isUnsure(result: SentimentResult): boolean {
  return confidenceOf(result) < UNSURE_BELOW;
}

/** "20,000": counts and times, grouped the same way everywhere. */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}
