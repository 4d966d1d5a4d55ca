/**
 * The load ramp of the local stack: autocannon through the gateway at 1, 8, 32 and 64
 * connections, each step for a fixed time, one review per request (round-robin over the reviews),
 * and the step where latency turns up.
 */
import { latencyOf, percentileCurve } from '../common/stats.ts';
import type { Stack } from '../scripts/local-stack.ts';
import { cannon, type Target } from './lib/http.ts';
import { findKnee } from './lib/knee.ts';
import { KNEE_RULE_TEXT } from './lib/report.ts';
import type { LoadFigures, RampStep } from './lib/results.ts';

export const RAMP_CONNECTIONS: readonly number[] = [1, 8, 32, 64];

async function step(target: Target, connections: number, seconds: number): Promise<RampStep> {
  const {
    result,
    latencies,
    seconds: elapsed,
    requestsPerSecond,
  } = await cannon(target, connections, seconds, 'load ramp');
  return {
    connections,
    seconds: elapsed,
    requestsPerSecond,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: latencyOf(latencies),
    latencyCurve: percentileCurve(latencies),
  };
}

/**
 * The ramp. The servers should be warm: `warmUpSeconds` > 0 runs 8 connections that long first,
 * untimed (0 when the accuracy pass over HTTP has just run).
 */
export async function loadRamp(
  stack: Stack,
  texts: readonly string[],
  seconds: number,
  warmUpSeconds: number,
  connections: readonly number[] = RAMP_CONNECTIONS,
): Promise<LoadFigures> {
  const target: Target = {
    label: 'through the gateway',
    url: new URL('/sentiment', stack.gatewayUrl),
    contentType: 'application/json',
    bodies: texts.map((text) => JSON.stringify({ text })),
  };
  if (warmUpSeconds > 0) {
    await cannon(target, 8, warmUpSeconds, 'warm-up');
  }
  const steps: RampStep[] = [];
  for (const c of connections) steps.push(await step(target, c, seconds));
  return {
    model: stack.model,
    secondsPerStep: seconds,
    steps,
    knee: findKnee(
      steps.map((s) => ({ connections: s.connections, requestsPerSecond: s.requestsPerSecond, p50: s.latency.p50 })),
    ),
    rule: KNEE_RULE_TEXT,
  };
}
