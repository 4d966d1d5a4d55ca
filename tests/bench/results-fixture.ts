/** A small results object, as bench/run.ts writes it, for the chart and report tests. */
import { findKnee } from '../../bench/lib/knee.ts';
import { LENGTH_BUCKETS } from '../../bench/lib/length.ts';
import { RESULTS_FORMAT, type BenchResults, type SystemFigures } from '../../bench/lib/results.ts';
import { latencyOf } from '../../bench/lib/stats.ts';

const latency = latencyOf([1, 2, 3, 4, 10]);
const curve: [number, number][] = [
  [0, 1],
  [50, 3],
  [90, 4],
  [99, 10],
  [100, 12],
];

function system(
  id: string,
  kind: SystemFigures['kind'],
  accuracy: number,
  reviewsPerSecond: number,
  mode: SystemFigures['mode'] = 'single',
): SystemFigures {
  return {
    id,
    name: `${id} <full name>`,
    label: id,
    kind,
    mode,
    score: 'score',
    rule: 'positive when >= 0',
    version: '1.0.0',
    license: kind === 'peer' ? 'MIT' : null,
    reviews: 100,
    accuracy,
    auc: kind === 'peer' ? 0.8 : 0.97,
    tiesAtZero: kind === 'peer' ? 0.03 : null,
    reviewsPerSecond,
    seconds: 100 / reviewsPerSecond,
    cpuMsPerReview: 1,
    latency,
    latencyMode: 'one review a call',
    latencyCurve: curve,
    batchLatency: null,
    loadMs: 10,
    peakRssKb: 100 * 1024,
    baselineRssKb: kind === 'reelsense' ? null : 50 * 1024,
    size: { bytes: 1e6, counts: `${kind} counts`, parts: [{ what: 'all', bytes: 1e6 }], installedBytes: null },
    byLength: LENGTH_BUCKETS.map((b) => ({ bucket: b.label, reviews: 25, correct: 20, accuracy: 0.8 })),
  };
}

const steps = [
  { connections: 1, requestsPerSecond: 200, p50: 5 },
  { connections: 8, requestsPerSecond: 700, p50: 11 },
  { connections: 32, requestsPerSecond: 720, p50: 45 },
  { connections: 64, requestsPerSecond: 725, p50: 90 },
];

export function fixtureResults(): BenchResults {
  const systems = [
    system('rnn-v2-batch', 'reelsense', 0.9128, 1000, 'batch'),
    system('rnn-v2-http', 'reelsense', 0.9128, 400, 'http'),
    system('seed-lstm', 'seed', 0.84, 300, 'batch'),
    system('sentiment', 'peer', 0.707, 15_000),
    system('wink-sentiment', 'peer', 0.711, 2000),
  ];
  return {
    format: RESULTS_FORMAT,
    date: '2026-11-25T12:00:00.000Z',
    quick: false,
    command: 'npm run bench',
    benchmarks: ['peers', 'length', 'load'],
    machine: {
      slug: 'amd-epyc-2c',
      cpu: 'AMD EPYC',
      cores: 2,
      memoryGiB: 23.5,
      node: '20.20.2',
      platform: 'linux',
      arch: 'x64',
    },
    loadAverage: { before: [0.5, 0.4, 0.3], after: [1.9, 1, 0.5] },
    totalSeconds: 552,
    dataset: { split: 'test', reviews: 100, of: 25_000, selection: 'all', positives: 50, meanWords: 230 },
    settings: { batchSize: 32, latencySample: 1000, warmUp: 50, httpConcurrency: 16 },
    lengthBuckets: LENGTH_BUCKETS.map((b) => ({ ...b, reviews: 25 })),
    systems,
    comparison: {
      reelsense: { id: 'rnn-v2-batch', accuracy: 0.9128, reviewsPerSecond: 1000 },
      bestPeer: { id: 'wink-sentiment', accuracy: 0.711 },
      marginPoints: 20.18,
      barPoints: 15,
      barMet: true,
      fastestPeer: { id: 'sentiment', reviewsPerSecond: 15_000 },
      throughputRatio: 1000 / 15_000,
      notes: ['**Licenses**: all MIT.'],
    },
    load: {
      model: 'rnn-v2',
      secondsPerStep: 10,
      steps: steps.map((s) => ({
        connections: s.connections,
        seconds: 10,
        requestsPerSecond: s.requestsPerSecond,
        ok: s.requestsPerSecond * 10,
        non2xx: 0,
        errors: 0,
        timeouts: 0,
        latency: { ...latency, p50: s.p50 },
        latencyCurve: curve.map(([p, v]): [number, number] => [p, v * s.p50]),
      })),
      knee: findKnee(steps),
      rule: 'the rule',
    },
  };
}
