/**
 * Splits a page's reviews into as few API requests as the public API's limits allow: at most
 * `maxReviews` reviews and `maxBodyBytes` of JSON a request. A review over `maxReviewChars` can
 * never be sent (the API answers 413); it is listed apart for the caller to score on-device.
 */
import type { Limits } from '../../../../public-api/contract.ts';

export interface BatchPlan {
  /** Indices into the input, each list one request, in input order. */
  readonly batches: readonly (readonly number[])[];
  /** Indices of texts too long for the API. */
  readonly tooLong: readonly number[];
}

const encoder = new TextEncoder();
/** `{"texts":[]}` */
const ENVELOPE_BYTES = 12;

/** Bytes the text adds to a {"texts": [...]} body: its JSON string and a comma. */
export function jsonBytes(text: string): number {
  return encoder.encode(JSON.stringify(text)).length + 1;
}

export function planBatches(texts: readonly string[], limits: Limits): BatchPlan {
  const batches: number[][] = [];
  const tooLong: number[] = [];
  let current: number[] = [];
  let bytes = ENVELOPE_BYTES;
  texts.forEach((text, i) => {
    const size = jsonBytes(text);
    if (text.length > limits.maxReviewChars || ENVELOPE_BYTES + size > limits.maxBodyBytes) {
      tooLong.push(i);
      return;
    }
    if (current.length === limits.maxReviews || bytes + size > limits.maxBodyBytes) {
      batches.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return { batches, tooLong };
}
