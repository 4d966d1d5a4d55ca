/**
 * Measures one system in a process of its own, so that its peak memory (VmHWM) is its own and
 * its figures do not depend on what ran before it. Started by bench/side-by-side.ts as
 * `node --expose-gc <bundle of this file> '<ChildJob as JSON>'`; writes a ChildResult to the
 * job's output file. Progress goes to stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { BATCH_SIZE, loadScorer, systemById, type Scored } from './systems.ts';
import type { ChildJob, ChildResult } from './lib/protocol.ts';
import { progress } from '../common/cli/progress.ts';
import { latencyOf, percentileCurve } from '../common/stats.ts';
import { peakRssKb, resetPeakRss, rssKb } from '../scripts/measure.ts';

const cpuNowMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as ChildJob;
  const texts = JSON.parse(readFileSync(job.input, 'utf8')) as string[];
  // The peak from here on is the system's: what reading the file took is collected and forgotten.
  (globalThis as { gc?: () => void }).gc?.();
  const peakReset = resetPeakRss();
  const baselineRssKb = rssKb('self');
  const spec = systemById(job.system);
  const loadStarted = performance.now();
  const scorer = await loadScorer(spec, job.artifactDir);
  const loadMs = performance.now() - loadStarted;

  const warmUp = texts.slice(0, job.warmUp);
  if (scorer.sync) for (const text of warmUp) scorer.one(text);
  else await scorer.batch(warmUp);

  const scores = new Array<number>(texts.length);
  const positive = new Array<boolean>(texts.length);
  const record = (i: number, s: Scored): void => {
    scores[i] = s.score;
    positive[i] = s.positive;
  };
  const bar = progress(`  ${spec.name}`, texts.length, 'reviews');
  const latencies: number[] = [];
  const batchLatencies: number[] = [];
  const cpuStarted = cpuNowMs();
  const started = performance.now();
  if (spec.mode === 'batch' && !scorer.sync) {
    for (let i = 0; i < texts.length; i += BATCH_SIZE) {
      const t0 = performance.now();
      const results = await scorer.batch(texts.slice(i, i + BATCH_SIZE));
      batchLatencies.push(performance.now() - t0);
      results.forEach((s, k) => {
        record(i + k, s);
      });
      bar.update(i + results.length);
    }
  } else {
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] ?? '';
      const t0 = performance.now();
      const s = scorer.sync ? scorer.one(text) : await scorer.one(text);
      latencies.push(performance.now() - t0);
      record(i, s);
      if (i % 256 === 0) bar.update(i);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  bar.finish();
  const cpuMsPerReview = (cpuNowMs() - cpuStarted) / texts.length;
  if (spec.mode === 'batch' && !scorer.sync) {
    // One review at a time too, on the first reviews: what a caller with one review waits.
    for (const text of texts.slice(0, job.latencySample)) {
      const t0 = performance.now();
      await scorer.one(text);
      latencies.push(performance.now() - t0);
    }
  }
  const result: ChildResult = {
    system: spec.id,
    scores,
    positive,
    seconds,
    reviewsPerSecond: texts.length / seconds,
    cpuMsPerReview,
    latency: latencyOf(latencies),
    latencyCurve: percentileCurve(latencies),
    ...(batchLatencies.length > 0 ? { batchLatency: latencyOf(batchLatencies) } : {}),
    loadMs,
    baselineRssKb,
    peakRssKb: peakRssKb('self'),
    peakReset,
  };
  writeFileSync(job.output, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
