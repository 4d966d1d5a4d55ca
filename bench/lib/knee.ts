/**
 * Where latency turns up in a load ramp: the first step whose median latency more than doubles
 * the previous step's while throughput gains less than 10% over it. Past that point more
 * connections only queue.
 */

export const KNEE_RULE = {
  /** p50 more than this many times the previous step's ... */
  latencyFactor: 2,
  /** ... while requests/s grow by less than this fraction. */
  throughputGain: 0.1,
} as const;

export interface Knee {
  /** The connections of the first step past the knee; null when latency never turns up in the ramp. */
  readonly connections: number | null;
  readonly index: number | null;
  /** Why, in words, for the table. */
  readonly reason: string;
}

/** `steps`: each step's connections, requests/s and p50 latency (ms), in ramp order. */
export function findKnee(
  steps: readonly { readonly connections: number; readonly requestsPerSecond: number; readonly p50: number }[],
  rule: typeof KNEE_RULE = KNEE_RULE,
): Knee {
  for (let i = 1; i < steps.length; i++) {
    const before = steps[i - 1];
    const step = steps[i];
    if (before === undefined || step === undefined) continue;
    const latency = step.p50 / before.p50;
    const gain = step.requestsPerSecond / before.requestsPerSecond - 1;
    if (latency > rule.latencyFactor && gain < rule.throughputGain) {
      return {
        connections: step.connections,
        index: i,
        reason: `from ${before.connections} to ${step.connections} connections p50 grows ${latency.toFixed(1)}x (${before.p50.toFixed(1)} -> ${step.p50.toFixed(1)} ms) while requests/s change ${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(0)}%`,
      };
    }
  }
  return {
    connections: null,
    index: null,
    reason: `no step more than doubles p50 while gaining < ${100 * rule.throughputGain}% requests/s`,
  };
}
