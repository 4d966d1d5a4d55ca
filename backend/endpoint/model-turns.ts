/**
 * The endpoint server's two kinds of model work, plain batches (./batcher.ts) and explanations
 * (./explain-queue.ts), take turns at the model, one task at a time, each lane getting an equal
 * share of the model's time while both have work, and all of it while the other has none.
 *
 * Why: onnxruntime-node runs a model call on the main thread, so two tasks at once only
 * interleave. Taking turns by call alone starves explanations under load: a batch of 64
 * IMDB-length reviews holds the model for about a second on the 2-core machine, and an
 * explanation of a review needs two or three calls, so it would get one call per second while
 * explained requests keep arriving. Taking turns by time, an explanation never waits behind more
 * than one batch, a batch never behind more than one explanation, and neither lane can use more
 * than half the model's time while the other is waiting.
 *
 * Each lane's time used is counted; when both wait, the one that has used less goes next (ties:
 * the one that did not go last). A lane that comes back after being idle starts level with the
 * other: idle time earns no credit. The next turn is chosen a macrotask after a task ends, so a
 * lane that queues its next task as soon as the last one ends (each lane runs one at a time) is
 * seen as waiting, not as idle: otherwise the other lane would get every second turn.
 */

export const LANES = ['batch', 'explain'] as const;
export type Lane = (typeof LANES)[number];

export class ModelTurns {
  readonly #now: () => number;
  readonly #used: Record<Lane, number> = { batch: 0, explain: 0 };
  readonly #waiting: Record<Lane, (() => void)[]> = { batch: [], explain: [] };
  #running: Lane | undefined;
  #last: Lane | undefined;
  /** A task has ended and the next turn is not chosen yet. */
  #choosing = false;

  /** `now`: milliseconds (performance.now; tests pass a clock of their own). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Runs `task` when it is this lane's turn; resolves or rejects as the task does. */
  async run<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    const other: Lane = lane === 'batch' ? 'explain' : 'batch';
    const continuing = this.#choosing && this.#last === lane;
    if (this.#running !== lane && this.#waiting[lane].length === 0 && !continuing) {
      this.#used[lane] = Math.max(this.#used[lane], this.#used[other]);
    }
    if (this.#running === undefined && !this.#choosing) this.#running = lane;
    else await new Promise<void>((go) => this.#waiting[lane].push(go));
    const started = this.#now();
    try {
      return await task();
    } finally {
      this.#used[lane] += this.#now() - started;
      this.#last = lane;
      this.#running = undefined;
      this.#choosing = true;
      setImmediate(() => {
        this.#choosing = false;
        this.#next();
      });
    }
  }

  /** Time each lane has used, in ms (tests, metrics). */
  get used(): Readonly<Record<Lane, number>> {
    return { ...this.#used };
  }

  #next(): void {
    const ready = LANES.filter((lane) => this.#waiting[lane].length > 0);
    const [first, second] = ready;
    if (first === undefined) return;
    let lane = first;
    if (second !== undefined) {
      const [a, b] = [this.#used[first], this.#used[second]];
      lane = a === b ? (this.#last === first ? second : first) : a < b ? first : second;
    }
    this.#running = lane;
    this.#waiting[lane].shift()?.();
  }
}
