/**
 * Dynamic batching: reviews from concurrent requests are gathered and run as one model call,
 * because one call of 32 reviews costs far less than 32 calls of one. A batch is sent when
 * `maxBatch` reviews are waiting or `maxWaitMs` has passed since its oldest request arrived.
 * Only one model call runs at a time (a second would only compete for the same cores); what arrives
 * meanwhile forms the next batch.
 *
 * Requests are never split: a batch takes whole requests while they fit in `maxBatch`, and a
 * request larger than `maxBatch` runs alone as its own call (the classifier cuts it into model
 * batches of similar length anyway). A failed call rejects exactly the requests in it.
 */
import type { SentimentResult } from '../../public-api/contract.ts';

/** The model call being batched: one prediction per review, in order (classifier.classifyBatch). */
export type BatchRunner = (reviews: string[]) => Promise<readonly SentimentResult[]>;

/** What one model call carried; for metrics and tests. */
export interface BatchInfo {
  readonly reviews: number;
  readonly requests: number;
}

export interface BatcherOptions {
  /** Reviews that make a batch full, so it is sent at once; default 64. */
  readonly maxBatch?: number;
  /** Longest wait for more requests after the first one arrives, in ms; default 0 (see DEFAULT_MAX_WAIT_MS). */
  readonly maxWaitMs?: number;
  /** Called as each model call starts. */
  readonly onBatch?: (batch: BatchInfo) => void;
}

export const DEFAULT_MAX_BATCH = 64;
// No deliberate wait: a request that finds the model idle runs at once, and under load the
// requests that arrive during a model call form the next batch anyway. A 2 ms wait cost lone
// requests about 3 ms of p50 and bought no throughput (npm run bench:serving).
export const DEFAULT_MAX_WAIT_MS = 0;

interface Pending {
  readonly reviews: readonly string[];
  readonly queuedAt: number;
  readonly resolve: (results: SentimentResult[]) => void;
  readonly reject: (error: unknown) => void;
}

export class BatcherClosedError extends Error {
  override readonly name: string = 'BatcherClosedError';
  constructor() {
    super('The batcher is closed: no new work is accepted.');
  }
}

export class DynamicBatcher {
  readonly #run: BatchRunner;
  readonly #maxBatch: number;
  readonly #maxWaitMs: number;
  readonly #onBatch: ((batch: BatchInfo) => void) | undefined;
  #queue: Pending[] = [];
  #queuedReviews = 0;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  #idleWaiters: (() => void)[] = [];

  constructor(run: BatchRunner, options: BatcherOptions = {}) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
      throw new RangeError(`maxBatch must be >= 1, not ${maxBatch}.`);
    if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new RangeError(`maxWaitMs must be >= 0, not ${maxWaitMs}.`);
    this.#run = run;
    this.#maxBatch = maxBatch;
    this.#maxWaitMs = maxWaitMs;
    this.#onBatch = options.onBatch;
  }

  /** Predictions for `reviews`, in their order, once the batch they join has run. */
  submit(reviews: readonly string[]): Promise<SentimentResult[]> {
    if (this.#closing) return Promise.reject(new BatcherClosedError());
    if (reviews.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ reviews, queuedAt: performance.now(), resolve, reject });
      this.#queuedReviews += reviews.length;
      this.#pump(false);
    });
  }

  /** Refuses new work, sends what is queued without waiting further, and resolves when all has run. */
  close(): Promise<void> {
    this.#closing = true;
    this.#pump(true);
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Starts a model call if one is due and none is running; otherwise makes sure one will start. */
  #pump(timeUp: boolean): void {
    if (this.#running) return; // the running call pumps again when it ends
    const oldest = this.#queue[0];
    if (oldest === undefined) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      return;
    }
    const waited = performance.now() - oldest.queuedAt;
    if (timeUp || this.#closing || this.#queuedReviews >= this.#maxBatch || waited >= this.#maxWaitMs) {
      this.#clearTimer();
      void this.#runBatch(this.#take());
    } else {
      // Timers may fire a little early by performance.now(): the callback says time is up.
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#pump(true);
      }, this.#maxWaitMs - waited);
    }
  }

  /** Whole requests from the front of the queue while they fit in maxBatch; always at least one. */
  #take(): Pending[] {
    let count = 0;
    let reviews = 0;
    for (const pending of this.#queue) {
      if (count > 0 && reviews + pending.reviews.length > this.#maxBatch) break;
      count++;
      reviews += pending.reviews.length;
    }
    this.#queuedReviews -= reviews;
    return this.#queue.splice(0, count);
  }

  async #runBatch(batch: Pending[]): Promise<void> {
    this.#running = true;
    try {
      const reviews = batch.flatMap((pending) => pending.reviews);
      this.#onBatch?.({ reviews: reviews.length, requests: batch.length });
      const results = await this.#run(reviews);
      if (results.length !== reviews.length) {
        throw new Error(`The model gave ${results.length} predictions for ${reviews.length} reviews.`);
      }
      let start = 0;
      for (const pending of batch) {
        pending.resolve(results.slice(start, start + pending.reviews.length));
        start += pending.reviews.length;
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#running = false;
      this.#pump(false);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
