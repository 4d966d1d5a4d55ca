/**
 * API mode: a page's reviews go to the public API in as few requests as its limits allow, each
 * answer is cached by the review text's SHA-256, and when the API cannot be used (unreachable,
 * slow, a 5xx, throttled, or refusing the request) the reviews it did not answer are scored
 * on-device instead, with a note saying so. After a failure the API is left alone for
 * RETRY_AFTER_MS, so a page does not wait on a dead API once per batch.
 */
import {
  DEFAULT_LIMITS,
  type Limits,
  type SentimentResponse,
  type SentimentResult,
} from '../../../../public-api/contract.ts';
import { ApiFailure, type AnalyseOptions } from '../../../../public-api/client.ts';
import type { Classification } from '../../common/messages/types.ts';
import { planBatches } from './batches.ts';
import { AnswerCache, sha256Hex, type CachedAnswer } from './cache.ts';

export const RETRY_AFTER_MS = 30_000;
export const REQUEST_TIMEOUT_MS = 10_000;
/** Requests in flight at once for one page. */
export const PARALLEL_REQUESTS = 2;

export interface OnDeviceAnswer {
  readonly results: readonly SentimentResult[];
  readonly model: string;
}

export interface ApiScorerDeps {
  readonly post: (apiUrl: string, texts: readonly string[], options: AnalyseOptions) => Promise<SentimentResponse>;
  readonly onDevice: (texts: readonly string[]) => Promise<OnDeviceAnswer>;
  readonly cache: AnswerCache;
  readonly limits?: Limits;
  readonly now?: () => number;
}

export interface ApiTarget {
  readonly apiUrl: string;
  readonly apiKey: string;
}

export class ApiScorer {
  readonly #deps: ApiScorerDeps;
  readonly #limits: Limits;
  readonly #now: () => number;
  #down: { readonly apiUrl: string; readonly until: number; readonly reason: string } | undefined;

  constructor(deps: ApiScorerDeps) {
    this.#deps = deps;
    this.#limits = deps.limits ?? DEFAULT_LIMITS;
    this.#now = deps.now ?? Date.now;
  }

  /** Forget a failure, so the next call tries the API again (after "test connection", say). */
  reset(): void {
    this.#down = undefined;
  }

  async classify(texts: readonly string[], target: ApiTarget): Promise<Classification> {
    const { apiUrl } = target;
    const keys = await Promise.all(texts.map(async (text) => AnswerCache.keyFor(apiUrl, await sha256Hex(text))));
    const answers: (CachedAnswer | undefined)[] = texts.map(() => undefined);
    const cached = await this.#deps.cache.getMany(keys);
    keys.forEach((key, i) => (answers[i] = cached.get(key)));

    // Each text not cached, once, however often it appears on the page.
    const firstIndexOf = new Map<string, number>();
    keys.forEach((key, i) => {
      if (answers[i] === undefined && !firstIndexOf.has(key)) firstIndexOf.set(key, i);
    });
    const misses = [...firstIndexOf.values()];
    const plan = planBatches(
      misses.map((i) => texts[i] ?? ''),
      this.#limits,
    );

    let failure: string | undefined;
    const down = this.#down;
    if (down !== undefined && down.apiUrl === apiUrl && down.until > this.#now()) {
      failure = down.reason;
    } else if (plan.batches.length > 0) {
      failure = await this.#request(plan.batches, misses, texts, keys, answers, target);
    }

    // Whatever the API did not answer (a failure, or texts over its limits) is scored here.
    const left = texts.map((_, i) => i).filter((i) => answers[i] === undefined);
    let onDeviceModel: string | undefined;
    if (left.length > 0) {
      const local = await this.#deps.onDevice(left.map((i) => texts[i] ?? ''));
      onDeviceModel = local.model;
      left.forEach((i, j) => {
        const result = local.results[j];
        if (result !== undefined) answers[i] = { ...result, model: local.model };
      });
    }

    const results = answers.map((answer): SentimentResult => {
      if (answer === undefined) throw new Error('unreachable: every text has an answer');
      return { label: answer.label, score: answer.score, readable: answer.readable };
    });
    const apiModel = answers.find((a) => a !== undefined && a.model !== onDeviceModel)?.model;
    if (failure !== undefined) {
      return {
        results,
        model: onDeviceModel ?? apiModel ?? '',
        scorer: 'on-device',
        note: `The API could not be used, so ReelSense scored on-device: ${failure}`,
      };
    }
    const tooLong = plan.tooLong.length;
    return {
      results,
      model: apiModel ?? onDeviceModel ?? '',
      scorer: 'api',
      ...(tooLong > 0 && {
        note: `${tooLong === 1 ? 'One review was' : `${tooLong} reviews were`} over the API's ${this.#limits.maxReviewChars.toLocaleString('en-US')}-character limit and scored on-device.`,
      }),
    };
  }

  /** Sends the batches, fills `answers`, caches them; returns why the API failed, if it did. */
  async #request(
    batches: readonly (readonly number[])[],
    misses: readonly number[],
    texts: readonly string[],
    keys: readonly string[],
    answers: (CachedAnswer | undefined)[],
    target: ApiTarget,
  ): Promise<string | undefined> {
    let failure: string | undefined;
    const queue = [...batches];
    const fresh = new Map<string, CachedAnswer>();
    const worker = async (): Promise<void> => {
      for (let batch = queue.shift(); batch !== undefined && failure === undefined; batch = queue.shift()) {
        const indices = batch.map((j) => misses[j] ?? -1);
        try {
          const response = await this.#deps.post(
            target.apiUrl,
            indices.map((i) => texts[i] ?? ''),
            { timeoutMs: REQUEST_TIMEOUT_MS, ...(target.apiKey !== '' && { apiKey: target.apiKey }) },
          );
          indices.forEach((i, r) => {
            const result = response.results[r];
            const key = keys[i];
            if (result === undefined || key === undefined) return;
            const answer = {
              label: result.label,
              score: result.score,
              readable: result.readable,
              model: response.model,
            };
            fresh.set(key, answer);
          });
        } catch (error) {
          failure = error instanceof ApiFailure ? error.message : 'the request failed.';
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, batches.length) }, worker));
    // Fill every occurrence of each answered text (duplicates on the page included).
    keys.forEach((key, i) => {
      answers[i] ??= fresh.get(key);
    });
    await this.#deps.cache.setMany(fresh);
    if (failure !== undefined) {
      this.#down = { apiUrl: target.apiUrl, until: this.#now() + RETRY_AFTER_MS, reason: failure };
    } else {
      this.#down = undefined;
    }
    return failure;
  }
}
