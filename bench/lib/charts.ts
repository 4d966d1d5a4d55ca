/**
 * The charts, as Vega-Lite specifications drawn to SVG by Vega in Node (no browser): accuracy
 * against throughput (one labelled point per system), the local stack's latency distribution (a
 * percentile curve per load step), and a model's reliability diagram. Results in, SVG text out.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchResults } from './results.ts';

const KIND_NAMES = { reelsense: 'ReelSense', seed: 'seed baseline', peer: 'npm lexicon peer' } as const;
const KIND_COLOURS = ['#e8590c', '#7048e8', '#1c7ed6'];

/** `spec` with the title, a sans-serif font and a width, drawn to SVG. */
async function svg(title: string, subtitle: string | string[], width: number, spec: object): Promise<string> {
  const full = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start' },
    width,
    height: 380,
    config: { font: 'sans-serif' },
    ...spec,
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  const drawn = await view.toSVG();
  view.finalize();
  return `${drawn}\n`;
}

function subtitle(results: BenchResults): string {
  const m = results.machine;
  return `${results.dataset.reviews.toLocaleString('en-US')} IMDB test reviews${results.quick ? ' (quick run)' : ''}; ${m.cpu}, ${m.cores} cores, Node ${m.node}; ${results.date.slice(0, 10)}`;
}

/** Accuracy (y, %) against reviews per second (x, log scale), one labelled point per system. */
export function accuracyThroughputChart(results: BenchResults): Promise<string> {
  const systems = results.systems ?? [];
  if (systems.length === 0) throw new Error('No systems in the results: nothing to chart.');
  const points = systems.map((s) => ({
    system: s.name,
    label: `${s.label} ${(100 * s.accuracy).toFixed(1)}%`,
    kind: KIND_NAMES[s.kind],
    rate: s.reviewsPerSecond,
    accuracy: 100 * s.accuracy,
  }));
  // A label goes right of its point, a line lower for each label it would run into (about 150 px
  // of text: a factor 5 in reviews/s; one line: 2 points of accuracy).
  const rows = points.map(
    (p) => points.filter((q) => q.rate < p.rate && q.rate * 5 > p.rate && Math.abs(q.accuracy - p.accuracy) < 2).length,
  );
  const c = results.comparison;
  const bar =
    c === null
      ? []
      : [{ bar: 100 * c.bestPeer.accuracy + c.barPoints, text: `bar: best peer + ${c.barPoints} points` }];
  const x = {
    field: 'rate',
    type: 'quantitative' as const,
    scale: { type: 'log' as const },
    title: 'reviews per second, each system in one process (log scale)',
  };
  const y = { field: 'accuracy', type: 'quantitative' as const, scale: { zero: false }, title: 'accuracy, %' };
  return svg('Accuracy against throughput', subtitle(results), 640, {
    layer: [
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x,
          y,
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: Object.values(KIND_NAMES), range: KIND_COLOURS },
            legend: { orient: 'bottom', title: null },
          },
        },
      },
      ...[...new Set(rows)].map((row) => ({
        data: { values: points.filter((_, i) => rows[i] === row) },
        mark: { type: 'text' as const, align: 'left' as const, dx: 8, dy: -6 + 14 * row, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      })),
      {
        data: { values: bar },
        mark: { type: 'rule', strokeDash: [5, 4], color: '#868e96' },
        encoding: { y: { field: 'bar', type: 'quantitative' } },
      },
      {
        data: { values: bar },
        mark: { type: 'text', align: 'right', dy: -7, color: '#868e96', x: 'width' },
        encoding: { y: { field: 'bar', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  });
}

/** Percentile p (0-100) on a "nines" axis: 0 at p0, 1 at p90, 2 at p99, 3 at p99.9. */
const nines = (p: number): number => Math.log10(100 / (100 - Math.min(p, 99.9)));

/**
 * The local stack's latency: one percentile curve per load step (connections), plus the accuracy
 * pass's requests; x on a "nines" scale so the tail has room, y in ms on a log scale.
 */
export function latencyChart(results: BenchResults): Promise<string> {
  const http = results.systems?.find((s) => s.mode === 'http');
  const series = [
    ...(results.load?.steps ?? []).map((step) => ({
      name: `${step.connections} connection${step.connections === 1 ? '' : 's'}: ${Math.round(step.requestsPerSecond)} req/s`,
      curve: step.latencyCurve,
    })),
    ...(http === undefined
      ? []
      : [
          {
            name: `${results.settings.httpConcurrency} in flight (accuracy pass): ${Math.round(http.reviewsPerSecond)} req/s`,
            curve: http.latencyCurve,
          },
        ]),
  ].filter((s) => s.curve.length > 0);
  if (series.length === 0) throw new Error('No latencies of the local stack in the results: nothing to chart.');
  const values = series.flatMap((s, order) =>
    s.curve
      .filter(([p]) => p < 100)
      .map(([p, ms]) => ({ series: s.name, order, percentile: p, x: nines(p), ms: Math.max(ms, 0.01) })),
  );
  const knee = results.load?.knee;
  const ticks: [number, string][] = [
    [0, 'p0'],
    [50, 'p50'],
    [90, 'p90'],
    [99, 'p99'],
    [99.9, 'p99.9'],
  ];
  const tickLabels = ticks.map(([p, name]) => `abs(datum.value - ${nines(p)}) < 1e-9 ? '${name}'`).join(' : ');
  const kneeLine =
    knee === undefined
      ? []
      : [
          `latency turns up: ${knee.connections === null ? 'not within the ramp' : `at ${knee.connections} connections`}`,
        ];
  return svg(
    'Local stack: latency of one review per request, through the gateway',
    [subtitle(results), ...kneeLine],
    600,
    {
      data: { values },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: {
          field: 'x',
          type: 'quantitative',
          scale: { domain: [0, 3] },
          axis: { values: ticks.map(([p]) => nines(p)), labelExpr: `${tickLabels} : ''` },
          title: 'percentile of requests (each tick one more nine)',
        },
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency, ms (log scale)' },
        color: {
          field: 'series',
          type: 'nominal',
          sort: { field: 'order' },
          legend: { title: null, orient: 'right', labelLimit: 0 },
        },
        order: { field: 'percentile' },
      },
    },
  );
}

/** One bin of a reliability diagram, as the model card stores it (model/train/calibration.py). */
export interface ReliabilityBin {
  readonly low: number;
  readonly high: number;
  readonly count: number;
  readonly confidence: number;
  readonly accuracy: number;
}

export interface ReliabilitySeries {
  readonly name: string;
  readonly ece: number;
  readonly bins: readonly ReliabilityBin[];
}

/**
 * A reliability diagram: each bin's accuracy (y) against its mean confidence (x) of the predicted
 * label, one line per data set, the dashed diagonal being perfect calibration. Dots are sized by
 * the share of the set's predictions that fall in the bin.
 */
export function reliabilityChart(
  title: string,
  subtitleLine: string,
  series: readonly ReliabilitySeries[],
): Promise<string> {
  const values = series.flatMap((s) => {
    const total = s.bins.reduce((n, b) => n + b.count, 0);
    return s.bins
      .filter((b) => b.confidence >= 0.5)
      .map((b) => ({
        set: `${s.name}: ECE ${s.ece.toFixed(3)}`,
        confidence: b.confidence,
        accuracy: Math.max(0.3, b.accuracy),
        share: b.count / total,
        bin: `${Math.round(100 * b.low)}-${Math.round(100 * b.high)}%`,
        count: b.count,
      }));
  });
  const x = {
    field: 'confidence',
    type: 'quantitative' as const,
    scale: { domain: [0.5, 1] },
    axis: { format: '.0%' },
    title: 'confidence of the predicted label (mean of the bin)',
  };
  const y = {
    field: 'accuracy',
    type: 'quantitative' as const,
    scale: { domain: [0.3, 1] },
    axis: { format: '.0%' },
    title: 'accuracy in the bin',
  };
  const color = {
    field: 'set',
    type: 'nominal' as const,
    legend: { title: null, orient: 'right' as const, labelLimit: 0 },
  };
  return svg(title, subtitleLine, 340, {
    layer: [
      {
        data: {
          values: [
            { confidence: 0.5, accuracy: 0.5 },
            { confidence: 1, accuracy: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [5, 4], color: '#868e96' },
        encoding: { x, y },
      },
      { data: { values }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
      {
        data: { values },
        mark: { type: 'circle', opacity: 1 },
        encoding: {
          x,
          y,
          color,
          size: { field: 'share', type: 'quantitative', scale: { range: [10, 200] }, legend: null },
        },
      },
    ],
  });
}
