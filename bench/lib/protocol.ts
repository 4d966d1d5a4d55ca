/** What the parent asks of a child process that measures one system, and what the child answers. */
import type { Latency } from '../../common/stats.ts';

export interface ChildJob {
  /** A system id from bench/systems.ts, or 'baseline': read the reviews, load nothing. */
  readonly system: string;
  /** A JSON file holding the reviews' texts (string[]), in order. */
  readonly input: string;
  /** Where the child writes its ChildResult (JSON). */
  readonly output: string;
  /** The model folder, for ReelSense's systems. */
  readonly artifactDir?: string;
  /** Batch systems: how many reviews are also timed one at a time (the first ones). */
  readonly latencySample: number;
  /** Reviews scored before the measured pass, untimed (the JIT and ONNX Runtime warm up). */
  readonly warmUp: number;
}

export interface ChildResult {
  readonly system: string;
  /** Per review, in input order: the continuous score and the label (true: positive). */
  readonly scores: number[];
  readonly positive: boolean[];
  /** Wall time of the measured pass over every review, and reviews per second over it. */
  readonly seconds: number;
  readonly reviewsPerSecond: number;
  /** CPU time of the process (all threads) per review in that pass, ms. */
  readonly cpuMsPerReview: number;
  /** One review at a time, ms: every review (single systems) or the first `latencySample` (batch). */
  readonly latency: Latency;
  /** [percentile, ms] of those latencies. */
  readonly latencyCurve: [number, number][];
  /** Batch systems: the time of one request of 32 reviews, ms. */
  readonly batchLatency?: Latency;
  /** Time to load the package or the model (import, hashes checked, ONNX session), ms. */
  readonly loadMs: number;
  /**
   * VmRSS just before the system is loaded (Node and the reviews in memory, garbage collected),
   * and VmHWM at the end, kB. The peak was reset to that baseline first where the kernel allows
   * (`peakReset`), so reading the reviews' file does not count.
   */
  readonly baselineRssKb: number | undefined;
  readonly peakRssKb: number | undefined;
  readonly peakReset: boolean;
}
