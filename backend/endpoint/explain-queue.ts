/**
 * The explanation lane of the endpoint server: reviews sent with `"explain": true` run here, one
 * review at a time, beside the DynamicBatcher rather than in it.
 *
 * Why a lane of its own: an explanation is already a batch of its own (a short text and its
 * variants in one model call, or a review's sentences in one: model/inference/explain.ts), so it
 * gains nothing from sharing a model call; and it costs 2 to 21 classifications, so in the
 * batcher's queue it would stretch the call of every lone review that joined it.
 *
 * Why one at a time: onnxruntime-node runs a model call on the main thread, so explanations run
 * side by side would only interleave, and a burst of them would hold up every plain batch. Between
 * this lane and the batcher, ./model-turns.ts shares the model's time, so that neither starves the
 * other. Among explained requests, reviews take turns (round robin by request), so a request of
 * one sentence is not held up behind all sixteen reviews of a request that came first.
 *
 * A review that fails rejects its request, whose other reviews are dropped; the others go on.
 * A request whose signal aborts (its client went away, say after the handler's timeout) is
 * dropped too: its review running now finishes, the rest never run. Otherwise, under overload,
 * the lane would go on explaining for clients that stopped waiting (and for their retries).
 */
import { BatcherClosedError } from './batcher.ts';

/** One review's explained prediction (explain() at the server). */
export type ExplainRunner<T> = (review: string) => Promise<T>;

interface Job<T> {
  readonly reviews: readonly string[];
  readonly results: T[];
  /** The next review of this request to run. */
  next: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (results: T[]) => void;
  readonly reject: (error: unknown) => void;
}

export class ExplainQueue<T> {
  readonly #run: ExplainRunner<T>;
  /** Requests with reviews left; the head runs one review, then goes to the back. */
  #jobs: Job<T>[] = [];
  #running = false;
  #closing = false;
  #idleWaiters: (() => void)[] = [];

  constructor(run: ExplainRunner<T>) {
    this.#run = run;
  }

  /** The results for `reviews`, in their order, once each has had its turn; `signal` withdraws them. */
  submit(reviews: readonly string[], signal?: AbortSignal): Promise<T[]> {
    if (this.#closing) return Promise.reject(new BatcherClosedError());
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (reviews.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const job: Job<T> = { reviews, results: [], next: 0, signal, resolve, reject };
      this.#jobs.push(job);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.#jobs.indexOf(job);
          if (at < 0) return; // running now: dropped when its review ends
          this.#jobs.splice(at, 1);
          job.reject(signal.reason);
          this.#pump(); // wakes close() if that was the last
        },
        { once: true },
      );
      this.#pump();
    });
  }

  /** Refuses new work and resolves when what is queued has run. */
  close(): Promise<void> {
    this.#closing = true;
    if (!this.#running && this.#jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    if (this.#running) return;
    const job = this.#jobs.shift();
    if (job === undefined) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      return;
    }
    this.#running = true;
    const index = job.next++;
    Promise.resolve(job.reviews[index] ?? '')
      .then((review) => this.#run(review))
      .then(
        (result) => {
          job.results[index] = result;
          if (job.signal?.aborted === true) job.reject(job.signal.reason);
          else if (job.next < job.reviews.length) this.#jobs.push(job);
          else job.resolve(job.results);
        },
        (error: unknown) => {
          job.reject(error);
        },
      )
      .finally(() => {
        this.#running = false;
        this.#pump();
      });
  }
}
