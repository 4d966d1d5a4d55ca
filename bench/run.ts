/**
 * ReelSense beside its peers: one entry point for the benchmarks.
 *
 *   npm run bench -- [NAME ...] [--quick] [--reviews N] [--concurrency 16] [--ramp-seconds S]
 *       [--latency-sample N] [--artifact DIR] [--data-dir DIR] [--publish] [--from FILE]
 *
 * NAME (any of; none: peers length load):
 * - peers: every system on the same IMDB test reviews, each in a child process of its own:
 *   ReelSense's shipped model through the TypeScript path (requests of 32, and one review a call), the
 *   seed preset's LSTM the same way, ReelSense through the local stack over HTTP (gateway,
 *   --concurrency in flight), and the npm peers sentiment, vader-sentiment, wink-sentiment and
 *   natural. Accuracy, ROC AUC, reviews/s, latency p50/p99, peak RSS, size on disk.
 * - length: each system's accuracy by review length (the same pass as peers).
 * - load: autocannon through the gateway at 1, 8, 32, 64 connections, --ramp-seconds each, and
 *   where latency turns up.
 * - report: no measuring: BENCHMARKS.md and the charts again from --from FILE (default: the
 *   newest complete full run in bench/results/).
 *
 * Full run: all 25,000 test reviews, 10 s per load step. --quick: 2,000 reviews evenly spaced over
 * the split, 1 s per step; under a minute on 2 cores.
 *
 * Writes bench/results/<date>-<machine>[-quick][-names].json, and beside it the two charts (SVG).
 * A full run of the whole suite (peers, length and load on every review) also writes the charts
 * to bench/charts/ (the README shows them) and its section of BENCHMARKS.md, between
 * `<!-- bench:peers:start -->` and `<!-- bench:peers:end -->`; other runs leave both alone unless
 * --publish is given, so a quick run never replaces full-run figures. Prints the tables on
 * stdout, progress on stderr. Linux only (/proc).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as prettier from 'prettier';
import { parseFlags, positiveIntegerFlag, runCli } from '../common/cli/run.ts';
import { readLabelledCsv } from '../model/data/csv.ts';
import { locateDataset } from '../model/data/locate.ts';
import { ReelSenseError } from '../common/errors.ts';
import { SHIPPED_ARTIFACT_DIR, SHIPPED_MODEL_VERSION, loadArtifactFromDirectory } from '../model/inference/node.ts';
import { accuracyThroughputChart, latencyChart } from './lib/charts.ts';
import { LENGTH_BUCKETS, bucketIndex, wordCount } from './lib/length.ts';
import { replaceMarkedSection } from './lib/markers.ts';
import { renderReport, type ReportLinks } from './lib/report.ts';
import {
  RESULTS_FORMAT,
  resultsJson,
  type BenchResults,
  type Comparison,
  type LoadFigures,
  type SystemFigures,
} from './lib/results.ts';
import { spread } from './lib/io.ts';
import { licenseOf, readPackageJson, resolvePackageDir, sizeOnDisk } from '../scripts/disk.ts';
import { ROOT, startStack, type Stack } from '../scripts/local-stack.ts';
import { loadAverage, thisMachine } from '../scripts/measure.ts';
import { loadRamp } from './load-ramp.ts';
import { buildChild, figuresOf, runInChild, runOverHttp, type Reviews } from './side-by-side.ts';

import { BATCH_SIZE, SYSTEMS, type SystemSpec } from './systems.ts';

const BENCH_NAMES = ['peers', 'length', 'load', 'report'] as const;
type BenchName = (typeof BENCH_NAMES)[number];
const DEFAULT_SUITE: readonly BenchName[] = ['peers', 'length', 'load'];
const VALUE_FLAGS = ['reviews', 'data-dir', 'artifact', 'concurrency', 'ramp-seconds', 'latency-sample', 'from'];
const BOOLEAN_FLAGS = ['quick', 'publish'];

/** The benchmarks named (none: the default suite) and the flags, in any order; a value flag's next argument is its value. */
function splitArgs(argv: readonly string[]): { names: readonly BenchName[]; flagArgs: string[] } {
  const isValue = (i: number): boolean => i > 0 && VALUE_FLAGS.includes((argv[i - 1] ?? '').replace(/^--?/, ''));
  const words = argv.filter((arg, i) => !arg.startsWith('-') && !isValue(i));
  const unknown = words.find((word) => !(BENCH_NAMES as readonly string[]).includes(word));
  if (unknown !== undefined) {
    throw new ReelSenseError('BAD_OPTION', `Unknown benchmark "${unknown}". Benchmarks: ${BENCH_NAMES.join(', ')}.`);
  }
  const names = [...new Set(words)] as BenchName[];
  return {
    names: names.length === 0 ? DEFAULT_SUITE : names,
    flagArgs: argv.filter((arg, i) => arg.startsWith('-') || isValue(i)),
  };
}

const RESULTS_DIR = join(ROOT, 'bench', 'results');
const CHARTS_DIR = join(ROOT, 'bench', 'charts');
const BENCHMARKS_MD = join(ROOT, 'BENCHMARKS.md');
const SECTION = 'peers';
const STABLE_CHARTS = {
  accuracy: join(CHARTS_DIR, 'accuracy-vs-throughput.svg'),
  latency: join(CHARTS_DIR, 'local-stack-latency.svg'),
} as const;
/** The seed preset's model (model/train/train.py --preset=seed): the baseline ReelSense started from. */
const SEED_ARTIFACT_DIR = join(ROOT, 'model', 'artifacts', 'seed-lstm');
const BAR_POINTS = 15;
const WARM_UP = 50;

interface Settings {
  readonly quick: boolean;
  readonly reviews: number | undefined;
  readonly concurrency: number;
  readonly rampSeconds: number;
  readonly latencySample: number;
  readonly artifactDir: string;
  readonly dataDir: string | undefined;
  readonly publish: boolean;
}

const rel = (path: string): string => relative(ROOT, path).split('\\').join('/');

async function loadReviews(settings: Settings): Promise<Reviews & { of: number; selection: string }> {
  const { test } = await locateDataset(settings.dataDir === undefined ? {} : { dataDir: settings.dataDir });
  const all = await readLabelledCsv(test);
  const count = Math.min(settings.reviews ?? (settings.quick ? 2000 : all.length), all.length);
  const picked = spread(all, count);
  const texts = picked.map((r) => r.text);
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  const file = join(dir, 'reviews.json');
  writeFileSync(file, JSON.stringify(texts));
  return {
    texts,
    labels: picked.map((r) => r.label === 1),
    words: texts.map(wordCount),
    file,
    of: all.length,
    selection:
      count === all.length
        ? `all ${all.length.toLocaleString('en-US')} of the test split`
        : `${count.toLocaleString('en-US')} of the ${all.length.toLocaleString('en-US')}, evenly spaced over the file`,
  };
}

function packageInfo(name: string): { version: string | null; license: string | null } {
  const dir = resolvePackageDir(name, ROOT, ROOT);
  if (dir === undefined) throw new ReelSenseError('PEER_MISSING', `${name} is not installed: run npm install.`);
  const pkg = readPackageJson(dir);
  return { version: pkg.version ?? null, license: licenseOf(pkg) };
}

function artifactOf(spec: SystemSpec, settings: Settings): string | undefined {
  if (spec.model === 'shipped') return settings.artifactDir;
  if (spec.model === 'seed') return SEED_ARTIFACT_DIR;
  return undefined;
}

function comparisonOf(systems: readonly SystemFigures[]): Comparison | null {
  const reelsense = systems.find((s) => s.id === `${SHIPPED_MODEL_VERSION}-batch`);
  const peers = systems.filter((s) => s.kind === 'peer');
  const bestPeer = [...peers].sort((a, b) => b.accuracy - a.accuracy)[0];
  const fastestPeer = [...peers].sort((a, b) => b.reviewsPerSecond - a.reviewsPerSecond)[0];
  if (reelsense === undefined || bestPeer === undefined || fastestPeer === undefined) return null;
  const margin = 100 * (reelsense.accuracy - bestPeer.accuracy);
  const licenses = peers.map((p) => `${p.label} ${p.version ?? '?'}: ${p.license ?? 'none stated'}`).join('; ');
  const copyleft = peers.filter((p) => /GPL/i.test(p.license ?? ''));
  return {
    reelsense: { id: reelsense.id, accuracy: reelsense.accuracy, reviewsPerSecond: reelsense.reviewsPerSecond },
    bestPeer: { id: bestPeer.id, accuracy: bestPeer.accuracy },
    marginPoints: margin,
    barPoints: BAR_POINTS,
    barMet: margin >= BAR_POINTS,
    fastestPeer: { id: fastestPeer.id, reviewsPerSecond: fastestPeer.reviewsPerSecond },
    throughputRatio: reelsense.reviewsPerSecond / fastestPeer.reviewsPerSecond,
    notes: [
      `**Licenses**, as each installed package.json states them: ${licenses}. The peers are devDependencies for this benchmark only: none of them ships with ReelSense.${copyleft.length === 0 ? '' : ` ${copyleft.map((p) => p.label).join(', ')} ${copyleft.length === 1 ? 'is' : 'are'} under a GPL-family license: benchmark-only, never bundled or shipped.`}`,
    ],
  };
}

async function measureSystems(
  settings: Settings,
  reviews: Reviews,
  theStack: () => Promise<Stack>,
): Promise<SystemFigures[]> {
  const systems: SystemFigures[] = [];
  const shippedVersion = (await loadArtifactFromDirectory(settings.artifactDir)).card.version;
  const seedVersion = (await loadArtifactFromDirectory(SEED_ARTIFACT_DIR)).card.version;
  const child = await buildChild();
  for (const spec of SYSTEMS.filter((s) => s.mode !== 'http')) {
    process.stderr.write(`${spec.name}...\n`);
    const t0 = performance.now();
    const artifactDir = artifactOf(spec, settings);
    const run = await runInChild(child, {
      system: spec.id,
      input: reviews.file,
      latencySample: settings.latencySample,
      warmUp: WARM_UP,
      ...(artifactDir === undefined ? {} : { artifactDir }),
    });
    process.stderr.write(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const info =
      spec.packageName !== undefined
        ? packageInfo(spec.packageName)
        : { version: spec.model === 'seed' ? seedVersion : shippedVersion, license: null };
    systems.push(
      figuresOf(spec, run, reviews, {
        ...info,
        size: sizeOnDisk(spec, artifactDir),
        latencyMode:
          spec.mode === 'batch'
            ? `one review a call, first ${Math.min(settings.latencySample, reviews.texts.length).toLocaleString('en-US')}`
            : 'one review a call, every review',
      }),
    );
  }
  const httpSpec = SYSTEMS.find((s) => s.mode === 'http');
  if (httpSpec !== undefined) {
    const stack = await theStack();
    const run = await runOverHttp(stack, reviews, settings.concurrency, WARM_UP);
    if (run.failed > 0) process.stderr.write(`warning: ${run.failed} requests over HTTP failed (counted as wrong)\n`);
    systems.push(
      figuresOf(httpSpec, run, reviews, {
        version: stack.model,
        license: null,
        size: sizeOnDisk(httpSpec, settings.artifactDir),
        latencyMode: `each request, ${settings.concurrency} in flight${run.failed > 0 ? ` (${run.failed} failed)` : ''}`,
      }),
    );
  }
  // The table's order: ReelSense's rows, the seed, then the peers, as SYSTEMS lists them.
  const order = SYSTEMS.map((s) => s.id);
  systems.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return systems;
}

async function formatted(text: string, parser: 'markdown' | 'json', path: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(text, { ...options, parser, filepath: path });
}

interface Written {
  readonly json: string;
  readonly accuracyChart: string | undefined;
  readonly latencyChart: string | undefined;
}

/** The charts of `results` at `base`-*.svg; undefined for a chart the results have no figures for. */
async function writeCharts(results: BenchResults, base: string): Promise<Omit<Written, 'json'>> {
  let accuracyChart: string | undefined;
  let latencyChartPath: string | undefined;
  if (results.systems !== null && results.systems.length > 0) {
    accuracyChart = `${base}-accuracy-vs-throughput.svg`;
    await writeFile(accuracyChart, await accuracyThroughputChart(results));
  }
  if (results.load !== null || results.systems?.some((s) => s.mode === 'http') === true) {
    latencyChartPath = `${base}-local-stack-latency.svg`;
    await writeFile(latencyChartPath, await latencyChart(results));
  }
  return { accuracyChart, latencyChart: latencyChartPath };
}

/** The stable charts the README shows, and the section of BENCHMARKS.md, from `results` saved at `jsonPath`. */
async function publish(results: BenchResults, jsonPath: string): Promise<void> {
  await mkdir(CHARTS_DIR, { recursive: true });
  await writeFile(STABLE_CHARTS.accuracy, await accuracyThroughputChart(results));
  await writeFile(STABLE_CHARTS.latency, await latencyChart(results));
  const section = await formatted(
    renderReport(results, {
      accuracyChart: rel(STABLE_CHARTS.accuracy),
      latencyChart: rel(STABLE_CHARTS.latency),
      json: rel(jsonPath),
    }),
    'markdown',
    BENCHMARKS_MD,
  );
  const doc = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  writeFileSync(BENCHMARKS_MD, replaceMarkedSection(doc, SECTION, section));
}

/** The newest complete full run in bench/results/. */
function newestFullRun(): string {
  const candidates = existsSync(RESULTS_DIR)
    ? readdirSync(RESULTS_DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(RESULTS_DIR, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  for (const file of candidates) {
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchResults>;
      if (r.format === RESULTS_FORMAT && r.quick === false && r.systems != null && r.load != null) return file;
    } catch {
      // not a results file
    }
  }
  throw new ReelSenseError('NO_RESULTS', `No complete full run in ${rel(RESULTS_DIR)}/: run \`npm run bench\` first.`);
}

async function report(from: string | undefined): Promise<void> {
  const path = resolve(from ?? newestFullRun());
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<BenchResults>;
  if (parsed.format !== RESULTS_FORMAT) {
    throw new ReelSenseError('BAD_RESULTS', `${path} is not a results file of ${RESULTS_FORMAT}.`);
  }
  const results = parsed as BenchResults;
  await writeCharts(results, path.replace(/\.json$/, ''));
  await publish(results, path);
  process.stdout.write(await formatted(renderReport(results, { json: rel(path) }), 'markdown', BENCHMARKS_MD));
  process.stdout.write(`\nBENCHMARKS.md and ${rel(CHARTS_DIR)}/ written from ${rel(path)}.\n`);
}

async function measure(names: readonly BenchName[], settings: Settings, command: string): Promise<void> {
  const started = performance.now();
  const loadBefore = loadAverage();
  const machine = thisMachine();
  const withSystems = names.includes('peers') || names.includes('length');
  const withLoad = names.includes('load');
  process.stderr.write(`reading the IMDB test split...\n`);
  const reviews = await loadReviews(settings);
  let systems: SystemFigures[] | null = null;
  let load: LoadFigures | null = null;
  // The local stack as `npm start` runs it, started when first needed, throttling off (one client).
  let stack: Promise<Stack> | undefined;
  const theStack = (): Promise<Stack> =>
    (stack ??= startStack({ artifactDir: settings.artifactDir, throttling: false, exitOnSignal: 130 }));
  try {
    if (withSystems) systems = await measureSystems(settings, reviews, theStack);
    if (withLoad) load = await loadRamp(await theStack(), reviews.texts, settings.rampSeconds, withSystems ? 0 : 2);
  } finally {
    await stack?.then(
      (s) => s.close(),
      () => undefined,
    );
    rmSync(join(reviews.file, '..'), { recursive: true, force: true });
  }
  const positives = reviews.labels.filter(Boolean).length;
  const results: BenchResults = {
    format: RESULTS_FORMAT,
    date: new Date().toISOString(),
    quick: settings.quick,
    command,
    benchmarks: names,
    machine,
    loadAverage: { before: loadBefore, after: loadAverage() },
    totalSeconds: (performance.now() - started) / 1000,
    dataset: {
      split: 'test',
      reviews: reviews.texts.length,
      of: reviews.of,
      selection: reviews.selection,
      positives,
      meanWords: reviews.words.reduce((a, b) => a + b, 0) / reviews.words.length,
    },
    settings: {
      batchSize: BATCH_SIZE,
      latencySample: settings.latencySample,
      warmUp: WARM_UP,
      httpConcurrency: settings.concurrency,
    },
    lengthBuckets: LENGTH_BUCKETS.map((b, i) => ({
      ...b,
      reviews: reviews.words.filter((w) => bucketIndex(w) === i).length,
    })),
    systems,
    comparison: systems === null ? null : comparisonOf(systems),
    load,
  };

  const complete = DEFAULT_SUITE.every((n) => names.includes(n));
  const everyReview = reviews.texts.length === reviews.of;
  const suffix = `${settings.quick ? '-quick' : everyReview ? '' : `-${reviews.texts.length}`}${complete ? '' : `-${names.join('-')}`}`;
  const base = join(RESULTS_DIR, `${results.date.slice(0, 10)}-${machine.slug}${suffix}`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${base}.json`;
  await writeFile(json, await formatted(resultsJson(results), 'json', json));
  const charts = await writeCharts(results, base);
  const published = complete && (everyReview || settings.publish);
  if (published) await publish(results, json);

  const links: ReportLinks = {
    json: rel(json),
    ...(charts.accuracyChart === undefined ? {} : { accuracyChart: rel(charts.accuracyChart) }),
    ...(charts.latencyChart === undefined ? {} : { latencyChart: rel(charts.latencyChart) }),
  };
  process.stdout.write(await formatted(renderReport(results, links), 'markdown', BENCHMARKS_MD));
  const wrote = [rel(json), ...[charts.accuracyChart, charts.latencyChart].filter((c) => c !== undefined).map(rel)];
  process.stdout.write(
    `\nWritten: ${wrote.join(', ')}.\n${
      published
        ? `Published: BENCHMARKS.md (section "${SECTION}") and ${rel(CHARTS_DIR)}/.`
        : `BENCHMARKS.md and ${rel(CHARTS_DIR)}/ left as they are (${complete ? 'not every review' : 'not the whole suite'}; --publish writes them anyway${complete ? '' : ' for a whole-suite run'}).`
    }\nTotal time: ${results.totalSeconds.toFixed(1)} s; load average ${loadBefore[0].toFixed(2)} before, ${results.loadAverage.after[0]?.toFixed(2) ?? '?'} after, on ${machine.cores} cores.\n`,
  );
}

const USAGE = `npm run bench -- [${BENCH_NAMES.join('] [')}] [--quick] [--reviews N] [--concurrency 16] [--ramp-seconds S]
    [--latency-sample N] [--artifact DIR] [--data-dir DIR] [--publish] [--from FILE]
No name: ${DEFAULT_SUITE.join(', ')}. See the top of bench/run.ts for what each measures.`;

runCli(async () => {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { names, flagArgs } = splitArgs(argv);
  const flags = parseFlags(flagArgs, VALUE_FLAGS, BOOLEAN_FLAGS);
  const quick = flags.get('quick') === 'true';
  const reviews = flags.has('reviews') ? positiveIntegerFlag(flags, 'reviews', 2000) : undefined;
  const settings: Settings = {
    quick,
    reviews,
    concurrency: positiveIntegerFlag(flags, 'concurrency', 16),
    rampSeconds: positiveIntegerFlag(flags, 'ramp-seconds', quick ? 1 : 10),
    latencySample: positiveIntegerFlag(flags, 'latency-sample', quick ? 100 : 1000),
    artifactDir: resolve(flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR),
    dataDir: flags.get('data-dir'),
    publish: flags.get('publish') === 'true',
  };
  if (names.includes('report')) {
    if (names.length > 1) throw new ReelSenseError('BAD_OPTION', '"report" measures nothing: run it alone.');
    await report(flags.get('from'));
    return;
  }
  await measure(names, settings, `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`);
});
