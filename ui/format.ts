/** How a result reads in words and numbers, the same on the website, the badge, the popover and the popup. */
import type { SentimentResult } from '../public-api/contract.ts';
import { LABELS } from './labels.ts';

/** Below this confidence the full verdict says the model is unsure. */
const UNSURE_BELOW = 0.6;

const numberFormat = new Intl.NumberFormat('en-US');

/** P(positive) for a positive label, P(negative) for a negative one; none for a mixed or unreadable one. */
export function confidenceOf(result: SentimentResult): number | undefined {
  return LABELS[result.label].confidence?.(result.score);
}

/** The confidence in whole percent: 92; none for a mixed or unreadable verdict. */
export function percentOf(result: SentimentResult): number | undefined {
  const confidence = confidenceOf(result);
  return confidence === undefined ? undefined : Math.round(confidence * 100);
}

/** "92%", or '' where no confidence is shown. */
export function percent(result: SentimentResult): string {
  const value = percentOf(result);
  return value === undefined ? '' : `${value}%`;
}

/** "Positive" */
export function labelName(result: SentimentResult): string {
  return LABELS[result.label].name;
}

/** "Positive, 92% confident", "Mixed, leaning neither way", "Not in English: ReelSense reads English reviews" */
export function describe(result: SentimentResult): string {
  const value = percent(result);
  return value === '' ? (LABELS[result.label].line ?? labelName(result)) : `${labelName(result)}, ${value} confident`;
}

/** The full verdict's sentence: "The model reads this review as positive, with 92% confidence." */
export function sentence(result: SentimentResult): string {
  const value = percentOf(result);
  return value === undefined
    ? (LABELS[result.label].sentence ?? `${labelName(result)}.`)
    : `The model reads this review as ${result.label}, with ${value}% confidence.`;
}

/** A side given with little confidence (a mixed or unreadable verdict says so itself). */
export function isUnsure(result: SentimentResult): boolean {
  const confidence = confidenceOf(result);
  return confidence !== undefined && confidence < UNSURE_BELOW;
}

/** "20,000": counts and times, grouped the same way everywhere. */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}
