/**
 * The Markdown that `npm run bench` prints and writes into BENCHMARKS.md, made from a results
 * JSON alone: no figure is typed by hand. Pure: results in, Markdown out.
 */
import { KNEE_RULE } from './knee.ts';
import type { BenchResults, SystemFigures } from './results.ts';

const isNumber = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
const fixed = (x: number | null | undefined, digits: number): string => (isNumber(x) ? x.toFixed(digits) : '-');
const percent = (x: number | null | undefined, digits = 2): string =>
  isNumber(x) ? `${(100 * x).toFixed(digits)}%` : '-';
const whole = (x: number | null | undefined): string => (isNumber(x) ? Math.round(x).toLocaleString('en-US') : '-');
const msCell = (x: number | null | undefined): string => (isNumber(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : '-');
const mbOfKb = (kb: number | null | undefined): string => (isNumber(kb) ? (kb / 1024).toFixed(0) : '-');
const mbOfBytes = (bytes: number | null | undefined): string => (isNumber(bytes) ? (bytes / 1e6).toFixed(1) : '-');

/** "53 MB" or "52-55 MB" of kB figures, without the unit. */
function mbRange(kbs: readonly number[]): string {
  const low = mbOfKb(Math.min(...kbs));
  const high = mbOfKb(Math.max(...kbs));
  return low === high ? low : `${low}-${high}`;
}

/** "9 min 12 s", "48.3 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** A Markdown table; cells may not hold `|` or line breaks (they are escaped). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (c: string): string => c.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

const strong = (s: SystemFigures, text: string): string => (s.kind === 'reelsense' ? `**${text}**` : text);

/** The process's peak, and in brackets the part above Node and the reviews: the system's own. */
function memoryCell(s: SystemFigures): string {
  if (!isNumber(s.peakRssKb)) return '-';
  if (!isNumber(s.baselineRssKb)) return mbOfKb(s.peakRssKb);
  return `${mbOfKb(s.peakRssKb)} (+${mbOfKb(Math.max(0, s.peakRssKb - s.baselineRssKb))})`;
}

function latencyCell(s: SystemFigures): string {
  return `${msCell(s.latency.p50)} / ${msCell(s.latency.p99)}`;
}

function machineLine(r: BenchResults): string {
  const m = r.machine;
  const [before = 0] = r.loadAverage.before;
  const [after = 0] = r.loadAverage.after;
  const busy = before > m.cores * 0.5 || after > m.cores * 0.5 ? ' (other work was running on the machine)' : '';
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform} ${m.arch}; load average ${before.toFixed(2)} before the run and ${after.toFixed(2)} after${busy}. ${r.quick ? '**Quick run**: ' : ''}${whole(r.dataset.reviews)} IMDB test reviews (${r.dataset.selection}; ${whole(r.dataset.positives)} positive; ${whole(r.dataset.meanWords)} words on average), the same reviews in the same order for every system, in one run of ${duration(r.totalSeconds)} (${r.date.slice(0, 10)}, \`${r.command}\`).`;
}

function systemsTable(r: BenchResults): string {
  const systems = r.systems ?? [];
  return table(
    'system|accuracy|ROC AUC|reviews/s|latency p50 / p99, ms|latency taken|peak RSS, MB|size on disk, MB'.split('|'),
    systems.map((s) => [
      strong(s, s.name),
      strong(s, percent(s.accuracy)),
      fixed(s.auc, 4),
      whole(s.reviewsPerSecond),
      latencyCell(s),
      s.latencyMode,
      memoryCell(s),
      mbOfBytes(s.size.bytes),
    ]),
  );
}

function lengthTable(r: BenchResults): string {
  const systems = r.systems ?? [];
  return table(
    ['system', ...r.lengthBuckets.map((b) => `${b.label} (${whole(b.reviews)} reviews)`)],
    systems.map((s) => [strong(s, s.name), ...s.byLength.map((b) => percent(b.accuracy, 1))]),
  );
}

function methodTable(r: BenchResults): string {
  return table(
    ['system', 'version', 'license', 'score (ROC AUC from it)', 'label', 'CPU ms per review', 'load time, ms'],
    (r.systems ?? []).map((s) => [
      s.name,
      s.version ?? '-',
      s.license ?? '-',
      s.score,
      s.rule + (isNumber(s.tiesAtZero) ? `; ${percent(s.tiesAtZero, 1)} of reviews score exactly 0` : ''),
      msCell(s.cpuMsPerReview),
      whole(s.loadMs),
    ]),
  );
}

function loadTable(r: BenchResults): string {
  const load = r.load;
  if (load === null) return '';
  return table(
    'connections|requests/s|p50, ms|p90, ms|p99, ms|answered 200|errors (non-2xx / connection / timeouts)'.split('|'),
    load.steps.map((s, i) => [
      load.knee.index === i ? `**${s.connections}** (latency turns up)` : String(s.connections),
      whole(s.requestsPerSecond),
      msCell(s.latency.p50),
      msCell(s.latency.p90),
      msCell(s.latency.p99),
      whole(s.ok),
      `${s.non2xx + s.errors} (${s.non2xx} / ${s.errors} / ${s.timeouts})`,
    ]),
  );
}

/** The sentences that state the bar and the throughput ratio, from the comparison. */
function verdictLines(r: BenchResults): string[] {
  const c = r.comparison;
  const systems = r.systems ?? [];
  if (c === null) return [];
  const name = (id: string): string => systems.find((s) => s.id === id)?.name ?? id;
  const ratio = c.throughputRatio;
  const speed =
    ratio >= 1
      ? `${ratio.toFixed(2)}x the fastest peer's`
      : `${ratio.toFixed(3)}x the fastest peer's: ${name(c.fastestPeer.id)} is ${(1 / ratio).toFixed(1)}x faster`;
  return [
    `**Accuracy:** ${name(c.reelsense.id)}: ${percent(c.reelsense.accuracy)}; the best lexicon peer, ${name(c.bestPeer.id)}: ${percent(c.bestPeer.accuracy)}. ReelSense is ahead by **${c.marginPoints.toFixed(1)} points** (bar: at least ${c.barPoints}; ${c.barMet ? 'met' : '**not met**'}).`,
    `**Throughput:** ReelSense's batched TypeScript path classifies ${whole(c.reelsense.reviewsPerSecond)} reviews/s, ${speed} (${whole(c.fastestPeer.reviewsPerSecond)} reviews/s). A lexicon adds up word scores from a table; ReelSense runs its model over every token, and that time buys the ${c.marginPoints.toFixed(1)} points.`,
  ];
}

/** Bytes as MB with one decimal, or kB below 0.1 MB. */
function sizeText(bytes: number | null | undefined): string {
  if (!isNumber(bytes)) return '-';
  return bytes < 1e5 ? `${Math.round(bytes / 1e3)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function sizeNotes(r: BenchResults): string[] {
  const systems = r.systems ?? [];
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const s of systems.filter((x) => x.kind !== 'peer')) {
    const parts = s.size.parts.map((p) => `${p.what} ${sizeText(p.bytes)}`).join(' + ');
    if (seen.has(parts)) continue;
    seen.add(parts);
    const installed = isNumber(s.size.installedBytes)
      ? ` (\`npm install\` puts ${sizeText(s.size.installedBytes)} on disk: onnxruntime-node carries every platform's binaries)`
      : '';
    lines.push(`- ${s.label}: ${s.size.counts}: ${parts} = **${sizeText(s.size.bytes)}**${installed}.`);
  }
  const peers = systems.filter((x) => x.kind === 'peer');
  const [first] = peers;
  if (first !== undefined) {
    lines.push(
      `- npm peers: ${first.size.counts}: ${peers.map((p) => p.size.parts.map((part) => `${part.what} **${sizeText(part.bytes)}**`).join(' + ')).join('; ')}.`,
    );
  }
  return lines;
}

export interface ReportLinks {
  /** Paths relative to the Markdown file, for images. */
  readonly accuracyChart?: string;
  readonly latencyChart?: string;
  readonly json?: string;
}

/** The whole report: the section between the markers in BENCHMARKS.md, and what the run prints. */
export function renderReport(r: BenchResults, links: ReportLinks = {}): string {
  const out: string[] = ['## Side by side with the npm peers (`npm run bench`)', ''];
  out.push(
    `Written by \`npm run bench\`${links.json === undefined ? '' : ` from [\`${links.json}\`](${links.json})`}; every figure here comes from that file, and the next full run rewrites this section.`,
    '',
    machineLine(r),
    '',
  );
  if (r.systems !== null) {
    if (links.accuracyChart !== undefined)
      out.push(`![Accuracy against reviews per second, one point per system](${links.accuracyChart})`, '');
    out.push(systemsTable(r), '', ...verdictLines(r).flatMap((l) => [l, '']));
    const http = r.systems.find((s) => s.mode === 'http');
    const baseline = r.systems.map((s) => s.baselineRssKb).filter(isNumber);
    out.push(
      "**How each was measured.** Each system runs in a child process of its own, one after the other, on every review: its peak RSS (VmHWM) is its own process's, and reviews/s is the whole pass over the reviews (after " +
        `${r.settings.warmUp} untimed warm-up reviews). Batch rows send requests of ${r.settings.batchSize} reviews and time one review a call on the first ${whole(r.settings.latencySample)}; one-at-a-time rows time every review. ` +
        (http === undefined
          ? ''
          : `The HTTP row is the local stack as \`npm start\` runs it (endpoint server and gateway, each its own process, on the same cores as the client): every review one \`POST /sentiment\`, ${r.settings.httpConcurrency} in flight; its memory is both servers' peaks added, its latency each request's under that load. `) +
        (baseline.length === 0
          ? ''
          : `Memory: a child's peak RSS is reset just before its system loads, with Node and the reviews already in memory and garbage collected (${mbRange(baseline)} MB); the peak counts from there, and the figure in brackets is the part above that baseline, the system's own.`),
      '',
      methodTable(r),
      '',
      '**Size on disk** counts what would ship: the bytes of the files (not blocks), each once.',
      '',
      ...sizeNotes(r),
      '',
    );
    if (r.comparison !== null) out.push(...r.comparison.notes.flatMap((n) => [n, '']));
    out.push(
      '### Accuracy by review length',
      '',
      'Words: runs of non-space characters once HTML tags are spaces.',
      '',
      lengthTable(r),
      '',
    );
  }
  if (r.load !== null) {
    out.push(
      '### Load ramp of the local stack (autocannon)',
      '',
      `One review per \`POST /sentiment\` through the gateway (model ${r.load.model}), ${r.load.secondsPerStep} s per step, the steps one after the other with the servers already warm; the client shares the machine's cores with both servers.`,
      '',
    );
    if (links.latencyChart !== undefined)
      out.push(`![Latency percentiles of the local stack at each load step](${links.latencyChart})`, '');
    out.push(
      loadTable(r),
      '',
      `**Where latency turns up:** ${r.load.knee.connections === null ? 'not within this ramp' : `at ${r.load.knee.connections} connections`}: ${r.load.knee.reason} (rule: ${r.load.rule}).`,
      '',
    );
  }
  return `${out.join('\n').trim()}\n`;
}

export const KNEE_RULE_TEXT = `the first step whose p50 is more than ${KNEE_RULE.latencyFactor}x the previous step's while requests/s grow by less than ${100 * KNEE_RULE.throughputGain}%`;
