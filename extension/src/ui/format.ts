/** How a result reads in words, shared by the badge, the popover, the popup and the page summary. */
import type { SentimentResult } from '../../../public-api/contract.ts';

/** P(positive) for a positive label, P(negative) for a negative one. */
export function confidenceOf(result: SentimentResult): number {
  return result.label === 'positive' ? result.score : 1 - result.score;
}

export function percent(result: SentimentResult): string {
  return `${Math.round(confidenceOf(result) * 100)}%`;
}

export function labelName(result: SentimentResult): string {
  return result.label === 'positive' ? 'Positive' : 'Negative';
}

/** "Positive, 92% confident" */
export function describe(result: SentimentResult): string {
  return `${labelName(result)}, ${percent(result)} confident`;
}

/** "18 of 25 positive" */
export function summaryLine(positive: number, scored: number): string {
  return `${positive} of ${scored} positive`;
}
