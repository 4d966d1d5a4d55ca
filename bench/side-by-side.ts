/**
 * Runs each system on the same reviews and turns what it answered into figures: in-process
 * systems in a child process each (bench/system-child.ts), ReelSense over HTTP through the local
 * stack from this process. Accuracy, ROC AUC and accuracy by length are computed here, from the
 * scores and labels each system returned, the same way for all.
 */
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReelSenseError } from '../common/errors.ts';
import { accuracy, latencyOf, percentileCurve, rocAuc } from '../common/stats.ts';
import { ROOT, type Stack } from '../scripts/local-stack.ts';
import { cpuMs, peakRssKb, post, statusTicker } from '../scripts/measure.ts';
import { accuracyByLength } from './lib/length.ts';
import type { ChildJob, ChildResult } from './lib/protocol.ts';
import type { SizeOnDisk } from '../scripts/disk.ts';
import type { SystemFigures } from './lib/results.ts';
import type { SystemSpec } from './systems.ts';
import { isSentimentResponseFor } from '../public-api/client.ts';

/** The reviews every system gets, in the same order. */
export interface Reviews {
  readonly texts: readonly string[];
  /** true: positive. */
  readonly labels: readonly boolean[];
  readonly words: readonly number[];
  /** A JSON file holding `texts`, for the child processes. */
  readonly file: string;
}

/** What a system answered and how fast: a child's result, or the HTTP pass's. */
export type Run = Omit<ChildResult, 'system'>;

const CHILD_DIR = join(ROOT, 'node_modules', '.cache', 'reelsense-bench');

/**
 * bench/system-child.ts as plain JavaScript (esbuild, packages left external), so each child is a
 * bare `node` process: tsx's loader would add about 40 MB to every peak RSS measured. Code
 * splitting keeps the model's code (and onnxruntime-node) in a chunk that only ReelSense's
 * children load. Written under node_modules/.cache/ so that the packages resolve from there.
 */
export async function buildChild(): Promise<string> {
  rmSync(CHILD_DIR, { recursive: true, force: true });
  await build({
    entryPoints: { 'system-child': join(ROOT, 'bench', 'system-child.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: CHILD_DIR,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return join(CHILD_DIR, 'system-child.mjs');
}

/** Runs `job` in `node --expose-gc <script>` (buildChild's); its stdout goes to our stderr. */
export async function runInChild(script: string, job: Omit<ChildJob, 'output'>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-child-'));
  const output = join(dir, 'result.json');
  try {
    const child = spawn(
      process.execPath,
      ['--expose-gc', script, JSON.stringify({ ...job, output })],
      // natural loads dotenv, which announces itself on stdout unless told to be quiet.
      { cwd: ROOT, stdio: ['ignore', 2, 'inherit'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } },
    );
    const code = await new Promise<number | string>((done, fail) => {
      child.once('error', fail);
      child.once('exit', (status, signal) => {
        done(status ?? signal ?? '?');
      });
    });
    if (code !== 0)
      throw new ReelSenseError(
        'BENCH_CHILD_FAILED',
        `Measuring ${job.system} failed (exit ${code}); its error is above.`,
      );
    return JSON.parse(readFileSync(output, 'utf8')) as ChildResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every review through the gateway, one `POST /sentiment` each, `concurrency` in flight (after
 * `warmUp` untimed requests). An answer that is not a 200 with one result counts as a wrong label
 * (score 0.5) and is counted in `failed`.
 */
export async function runOverHttp(
  stack: Stack,
  reviews: Reviews,
  concurrency: number,
  warmUp: number,
): Promise<Run & { readonly failed: number }> {
  const url = new URL('/sentiment', stack.gatewayUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { texts, labels } = reviews;
  const scores = new Array<number>(texts.length).fill(0.5);
  const positive = labels.map((label) => !label);
  const latencies: number[] = [];
  let failed = 0;
  const send = async (i: number, timed: boolean): Promise<void> => {
    const t0 = performance.now();
    try {
      const answer = await post(agent, url, 'application/json', JSON.stringify({ text: texts[i] ?? '' }));
      const elapsed = performance.now() - t0;
      const json: unknown = answer.status === 200 ? JSON.parse(answer.body) : undefined;
      const result = isSentimentResponseFor(json, [texts[i] ?? '']) ? json.results[0] : undefined;
      if (!timed) return;
      if (result !== undefined) {
        latencies.push(elapsed);
        scores[i] = result.score;
        positive[i] = result.score >= 0.5;
      } else {
        failed++;
      }
    } catch {
      if (timed) failed++;
    }
  };
  const pool = async (count: number, from: (k: number) => number, timed: boolean): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let k = next++; k < count; k = next++) await send(from(k), timed);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  };
  const pids = [stack.endpoint.pid, stack.gateway.pid];
  const cpuNow = (): number | undefined => {
    const each = pids.map(cpuMs);
    return each.every((x) => x !== undefined) ? each.reduce((a, b) => a + b, 0) : undefined;
  };
  const done = statusTicker(
    `ReelSense over HTTP, ${texts.length} reviews, ${concurrency} in flight`,
    () => `${latencies.length + failed} answered`,
  );
  try {
    await pool(Math.min(warmUp, texts.length), (k) => k, false);
    const cpuStarted = cpuNow();
    const started = performance.now();
    await pool(texts.length, (k) => k, true);
    const seconds = (performance.now() - started) / 1000;
    const cpuEnded = cpuNow();
    const peaks = pids.map(peakRssKb);
    return {
      scores,
      positive,
      failed,
      seconds,
      reviewsPerSecond: texts.length / seconds,
      cpuMsPerReview:
        cpuStarted === undefined || cpuEnded === undefined ? Number.NaN : (cpuEnded - cpuStarted) / texts.length,
      latency: latencyOf(latencies),
      latencyCurve: percentileCurve(latencies),
      loadMs: Number.NaN,
      baselineRssKb: undefined,
      peakRssKb: peaks.every((x) => x !== undefined) ? peaks.reduce((a, b) => a + b, 0) : undefined,
      peakReset: false,
    };
  } finally {
    done();
    agent.destroy();
  }
}

export interface FigureExtras {
  readonly version: string | null;
  readonly license: string | null;
  readonly size: SizeOnDisk;
  readonly latencyMode: string;
}

/** A system's figures from what it answered on `reviews`. */
export function figuresOf(spec: SystemSpec, run: Run, reviews: Reviews, extras: FigureExtras): SystemFigures {
  const auc = rocAuc(run.scores, reviews.labels);
  return {
    id: spec.id,
    name: spec.name,
    label: spec.label,
    kind: spec.kind,
    mode: spec.mode,
    score: spec.score,
    rule: spec.rule,
    version: extras.version,
    license: extras.license,
    reviews: reviews.texts.length,
    accuracy: accuracy(run.positive, reviews.labels),
    auc: Number.isFinite(auc) ? auc : null,
    tiesAtZero: spec.kind === 'peer' ? run.scores.filter((s) => s === 0).length / run.scores.length : null,
    reviewsPerSecond: run.reviewsPerSecond,
    seconds: run.seconds,
    cpuMsPerReview: Number.isFinite(run.cpuMsPerReview) ? run.cpuMsPerReview : null,
    latency: run.latency,
    latencyMode: extras.latencyMode,
    latencyCurve: run.latencyCurve,
    batchLatency: run.batchLatency ?? null,
    loadMs: Number.isFinite(run.loadMs) ? run.loadMs : null,
    peakRssKb: run.peakRssKb ?? null,
    baselineRssKb: run.baselineRssKb ?? null,
    size: extras.size,
    byLength: accuracyByLength(run.positive, reviews.labels, reviews.words),
  };
}
