/**
 * The request limits from the environment (REELSENSE_MAX_BODY_BYTES, REELSENSE_MAX_REVIEW_CHARS,
 * REELSENSE_MAX_REVIEWS, REELSENSE_MAX_EXPLAINED_REVIEWS), each falling back to the contract's default.
 */
import { DEFAULT_LIMITS, type Limits } from '../public-api/contract.ts';

const VARIABLES: Record<keyof Limits, string> = {
  maxBodyBytes: 'REELSENSE_MAX_BODY_BYTES',
  maxReviewChars: 'REELSENSE_MAX_REVIEW_CHARS',
  maxReviews: 'REELSENSE_MAX_REVIEWS',
  maxExplainedReviews: 'REELSENSE_MAX_EXPLAINED_REVIEWS',
};

export function limitsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Limits {
  const read = (key: keyof Limits): number => {
    const name = VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw === '') return DEFAULT_LIMITS[key];
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}.`);
    }
    return value;
  };
  return {
    maxBodyBytes: read('maxBodyBytes'),
    maxReviewChars: read('maxReviewChars'),
    maxReviews: read('maxReviews'),
    maxExplainedReviews: read('maxExplainedReviews'),
  };
}
