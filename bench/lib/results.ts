/**
 * The shape of bench/results/<date>-<machine>.json, which everything printed, charted and written
 * into BENCHMARKS.md is made from. Figures that cannot be computed are null (JSON has no NaN).
 */
import type { Knee } from './knee.ts';
import type { BucketAccuracy, LengthBucket } from './length.ts';
import type { Latency } from '../../common/stats.ts';
import type { SizeOnDisk } from '../../scripts/disk.ts';
import type { Machine } from '../../scripts/measure.ts';

export const RESULTS_FORMAT = 'reelsense-bench/1';

export interface SystemFigures {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly kind: 'reelsense' | 'seed' | 'peer';
  readonly mode: 'batch' | 'single' | 'http';
  readonly score: string;
  readonly rule: string;
  /** The package's version (peers) or the model's (ReelSense). */
  readonly version: string | null;
  /** The package's license as its package.json states it (peers). */
  readonly license: string | null;
  readonly reviews: number;
  readonly accuracy: number;
  readonly auc: number | null;
  /** Peers: the share of reviews scored exactly 0 (no scored word, or a tie), labelled positive. */
  readonly tiesAtZero: number | null;
  readonly reviewsPerSecond: number;
  readonly seconds: number;
  /** CPU time per review over the pass (ms; the servers' for the HTTP row). */
  readonly cpuMsPerReview: number | null;
  readonly latency: Latency;
  /** How the latency was taken, in words. */
  readonly latencyMode: string;
  readonly latencyCurve: readonly (readonly [number, number])[];
  readonly batchLatency: Latency | null;
  readonly loadMs: number | null;
  /** VmHWM of the system's own process (both servers' added for the HTTP row), kB. */
  readonly peakRssKb: number | null;
  /**
   * VmRSS of the same process just before the system was loaded (Node and the reviews in
   * memory), kB; peakRssKb - baselineRssKb is what the system itself took at most. null: HTTP.
   */
  readonly baselineRssKb: number | null;
  readonly size: SizeOnDisk;
  readonly byLength: readonly BucketAccuracy[];
}

export interface Comparison {
  readonly reelsense: { readonly id: string; readonly accuracy: number; readonly reviewsPerSecond: number };
  readonly bestPeer: { readonly id: string; readonly accuracy: number };
  readonly marginPoints: number;
  readonly barPoints: number;
  readonly barMet: boolean;
  readonly fastestPeer: { readonly id: string; readonly reviewsPerSecond: number };
  /** ReelSense's batched reviews/s over the fastest peer's. */
  readonly throughputRatio: number;
  /** Remarks printed under the table (licenses, what the ratio means). */
  readonly notes: readonly string[];
}

export interface RampStep {
  readonly connections: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latency: Latency;
  readonly latencyCurve: readonly (readonly [number, number])[];
}

export interface LoadFigures {
  readonly model: string;
  readonly secondsPerStep: number;
  readonly steps: readonly RampStep[];
  readonly knee: Knee;
  readonly rule: string;
}

export interface BenchResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly date: string;
  readonly quick: boolean;
  readonly command: string;
  readonly benchmarks: readonly string[];
  readonly machine: Machine;
  readonly loadAverage: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly totalSeconds: number;
  readonly dataset: {
    readonly split: 'test';
    readonly reviews: number;
    readonly of: number;
    readonly selection: string;
    readonly positives: number;
    readonly meanWords: number;
  };
  readonly settings: {
    readonly batchSize: number;
    readonly latencySample: number;
    readonly warmUp: number;
    readonly httpConcurrency: number;
  };
  readonly lengthBuckets: readonly (LengthBucket & { readonly reviews: number })[];
  readonly systems: readonly SystemFigures[] | null;
  readonly comparison: Comparison | null;
  readonly load: LoadFigures | null;
}

/** JSON with NaN and infinities as null. */
export function resultsJson(results: BenchResults): string {
  return JSON.stringify(results, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? null : value,
  );
}
