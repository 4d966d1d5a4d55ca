/**
 * The charts, drawn from a results JSON with the SVG writer: accuracy against throughput (one
 * labelled point per system), and the local stack's latency distribution (a percentile curve per
 * load step). Pure: results in, SVG text out.
 */
import type { BenchResults, SystemFigures } from './results.ts';
import {
  el,
  linearScale,
  linearTicks,
  logDomain,
  logScale,
  logTicks,
  svgDocument,
  text,
  tickLabel,
  type Scale,
} from './svg.ts';

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}
/** The scatter: a legend row under the title, above the plot. */
const SCATTER: Layout = { width: 760, height: 500, top: 84, right: 40, bottom: 64, left: 72 };
/** The latency curves: the legend in a column right of the plot. */
const CURVES: Layout = { width: 940, height: 480, top: 84, right: 290, bottom: 64, left: 72 };
const INK = '#212529';
const GRID = '#e9ecef';
const MUTED = '#868e96';
const KIND_COLOURS: Readonly<Record<SystemFigures['kind'], string>> = {
  reelsense: '#e8590c',
  seed: '#7048e8',
  peer: '#1c7ed6',
};
const LINE_COLOURS = ['#1c7ed6', '#2f9e44', '#f08c00', '#e03131', '#7048e8', '#0c8599'];
const CHAR_WIDTH = 6.6; // an estimate at 12 px, for placing labels

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

function subtitle(results: BenchResults): string {
  const m = results.machine;
  return `${results.dataset.reviews.toLocaleString('en-US')} IMDB test reviews${results.quick ? ' (quick run)' : ''}; ${m.cpu}, ${m.cores} cores, Node ${m.node}; ${results.date.slice(0, 10)}`;
}

function frame(l: Layout, title: string, lines: readonly string[], plot: string[]): string[] {
  return [
    el('text', { x: l.left, y: 26, 'font-size': 16, 'font-weight': 600, fill: INK }, text(title)),
    ...lines.map((line, i) => el('text', { x: l.left, y: 44 + 16 * i, fill: MUTED }, text(line))),
    ...plot,
  ];
}

function xAxis(l: Layout, ticks: readonly number[], x: Scale, label: (t: number) => string, title: string): string[] {
  const y = l.height - l.bottom;
  return [
    ...ticks.map((t) =>
      el(
        'g',
        {},
        el('line', { x1: x(t), x2: x(t), y1: l.top, y2: y, stroke: GRID }),
        el('text', { x: x(t), y: y + 18, 'text-anchor': 'middle', fill: INK }, text(label(t))),
      ),
    ),
    el('line', { x1: l.left, x2: l.width - l.right, y1: y, y2: y, stroke: INK }),
    el(
      'text',
      { x: (l.left + l.width - l.right) / 2, y: l.height - 18, 'text-anchor': 'middle', fill: INK },
      text(title),
    ),
  ];
}

function yAxis(l: Layout, ticks: readonly number[], y: Scale, label: (t: number) => string, title: string): string[] {
  const midY = (l.top + l.height - l.bottom) / 2;
  return [
    ...ticks.map((t) =>
      el(
        'g',
        {},
        el('line', { x1: l.left, x2: l.width - l.right, y1: y(t), y2: y(t), stroke: GRID }),
        el('text', { x: l.left - 8, y: y(t) + 4, 'text-anchor': 'end', fill: INK }, text(label(t))),
      ),
    ),
    el('line', { x1: l.left, x2: l.left, y1: l.top, y2: l.height - l.bottom, stroke: INK }),
    el(
      'text',
      { x: 18, y: midY, 'text-anchor': 'middle', transform: `rotate(-90 18 ${midY})`, fill: INK },
      text(title),
    ),
  ];
}

/** Accuracy (y, %) against reviews per second (x, log scale), one labelled point per system. */
export function accuracyThroughputChart(results: BenchResults): string {
  const l = SCATTER;
  const systems = results.systems ?? [];
  if (systems.length === 0) throw new Error('No systems in the results: nothing to chart.');
  const rates = systems.map((s) => s.reviewsPerSecond);
  const accuracies = systems.map((s) => 100 * s.accuracy);
  const [x0, x1] = logDomain(Math.min(...rates) / 1.5, Math.max(...rates) * 1.5);
  const comparison = results.comparison;
  const bar = comparison === null ? null : 100 * comparison.bestPeer.accuracy + comparison.barPoints;
  const yMin = Math.floor((Math.min(...accuracies) - 3) / 5) * 5;
  const yMax = Math.min(100, Math.ceil((Math.max(...accuracies, bar ?? 0) + 3) / 5) * 5);
  const x = logScale([x0, x1], [l.left, l.width - l.right]);
  const y = linearScale([yMin, yMax], [l.height - l.bottom, l.top]);

  const plot: string[] = [
    ...xAxis(l, logTicks(x0, x1), x, tickLabel, 'reviews per second, each system in one process (log scale)'),
    ...yAxis(l, linearTicks(yMin, yMax, 6), y, (t) => `${t}%`, 'accuracy'),
  ];
  if (bar !== null && comparison !== null) {
    plot.push(
      el('line', {
        x1: l.left,
        x2: l.width - l.right,
        y1: y(bar),
        y2: y(bar),
        stroke: MUTED,
        'stroke-dasharray': '5 4',
      }),
      el(
        'text',
        { x: l.width - l.right - 4, y: y(bar) - 6, 'text-anchor': 'end', fill: MUTED },
        text(`bar: best peer + ${comparison.barPoints} points`),
      ),
    );
  }
  // Labels go right of their point, else left, above or below: wherever they hit no other label or point.
  const placed: Box[] = systems.map((s) => {
    const px = x(s.reviewsPerSecond);
    const py = y(100 * s.accuracy);
    return { x0: px - 6, y0: py - 6, x1: px + 6, y1: py + 6 };
  });
  if (bar !== null)
    placed.push({ x0: l.width - l.right - 200, y0: y(bar) - 18, x1: l.width - l.right, y1: y(bar) + 2 });
  for (const s of systems) {
    const px = x(s.reviewsPerSecond);
    const py = y(100 * s.accuracy);
    const label = `${s.label} ${(100 * s.accuracy).toFixed(1)}%`;
    const w = label.length * CHAR_WIDTH;
    const candidates: [number, number, 'start' | 'end' | 'middle'][] = [
      [px + 9, py + 4, 'start'],
      [px - 9, py + 4, 'end'],
      [px, py - 11, 'middle'],
      [px, py + 19, 'middle'],
      [px + 9, py - 10, 'start'],
      [px + 9, py + 18, 'start'],
      [px - 9, py - 10, 'end'],
      [px - 9, py + 18, 'end'],
    ];
    const boxOf = ([lx, ly, anchor]: [number, number, string]): Box => {
      const left = anchor === 'start' ? lx : anchor === 'end' ? lx - w : lx - w / 2;
      return { x0: left, y0: ly - 11, x1: left + w, y1: ly + 3 };
    };
    const inside = (b: Box): boolean =>
      b.x0 >= 2 && b.x1 <= l.width - 2 && b.y0 >= l.top - 4 && b.y1 <= l.height - l.bottom;
    const choice =
      candidates.find((c) => inside(boxOf(c)) && !placed.some((p) => overlaps(p, boxOf(c)))) ?? candidates[0];
    if (choice === undefined) continue;
    placed.push(boxOf(choice));
    plot.push(
      el(
        'g',
        {},
        el(
          'title',
          {},
          text(`${s.name}: ${(100 * s.accuracy).toFixed(2)}%, ${Math.round(s.reviewsPerSecond)} reviews/s`),
        ),
        el('circle', { cx: px, cy: py, r: 5.5, fill: KIND_COLOURS[s.kind], stroke: '#ffffff', 'stroke-width': 1.5 }),
        el('text', { x: choice[0], y: choice[1], 'text-anchor': choice[2], fill: INK }, text(label)),
      ),
    );
  }
  const legend = (['reelsense', 'seed', 'peer'] as const).map((kind, i) => {
    const lx = l.left + 6 + i * 140;
    const ly = 70;
    const name = kind === 'reelsense' ? 'ReelSense' : kind === 'seed' ? 'seed baseline' : 'npm lexicon peer';
    return el(
      'g',
      {},
      el('circle', { cx: lx, cy: ly - 4, r: 5, fill: KIND_COLOURS[kind] }),
      el('text', { x: lx + 9, y: ly, fill: INK }, text(name)),
    );
  });
  return svgDocument(
    l.width,
    l.height,
    'Accuracy against throughput: ReelSense and its npm peers',
    ...frame(l, 'Accuracy against throughput', [subtitle(results)], [...plot, ...legend]),
  );
}

/** Percentile p (0-100) on a "nines" axis: 0 at p0, 1 at p90, 2 at p99, 3 at p99.9. */
export const nines = (p: number): number => Math.log10(100 / (100 - Math.min(p, 99.9)));

/**
 * The local stack's latency: one percentile curve per load step (connections), plus the
 * accuracy pass's requests; x on a "nines" scale so the tail has room, y in ms on a log scale.
 */
export function latencyChart(results: BenchResults): string {
  const l = CURVES;
  const http = results.systems?.find((s) => s.mode === 'http');
  const series: { name: string; curve: readonly (readonly [number, number])[] }[] = [
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
  const values = series.flatMap((s) => s.curve.filter(([p]) => p < 100).map(([, v]) => Math.max(v, 0.01)));
  const [y0, y1] = logDomain(Math.min(...values), Math.max(...values));
  const x = linearScale([0, 3], [l.left, l.width - l.right]);
  const y = logScale([y0, y1], [l.height - l.bottom, l.top]);
  const xTicks: [number, string][] = [
    [0, 'p0'],
    [nines(50), 'p50'],
    [nines(90), 'p90'],
    [nines(99), 'p99'],
    [nines(99.9), 'p99.9'],
  ];
  const plot: string[] = [
    ...xAxis(
      l,
      xTicks.map(([t]) => t),
      x,
      (t) => xTicks.find(([v]) => v === t)?.[1] ?? '',
      'percentile of requests (each tick one more nine)',
    ),
    ...yAxis(l, logTicks(y0, y1), y, tickLabel, 'latency, ms (log scale)'),
  ];
  const legendX = l.width - l.right + 20;
  series.forEach((s, i) => {
    const colour = LINE_COLOURS[i % LINE_COLOURS.length] ?? INK;
    const path = s.curve
      .filter(([p]) => p < 100)
      .map(([p, v], k) => `${k === 0 ? 'M' : 'L'}${x(nines(p)).toFixed(1)} ${y(Math.max(v, 0.01)).toFixed(1)}`)
      .join(' ');
    const ly = l.top + 10 + i * 20;
    plot.push(
      el('path', { d: path, fill: 'none', stroke: colour, 'stroke-width': 2 }),
      el('line', { x1: legendX, x2: legendX + 20, y1: ly - 4, y2: ly - 4, stroke: colour, 'stroke-width': 2 }),
      el('text', { x: legendX + 26, y: ly, fill: INK }, text(s.name)),
    );
  });
  const knee = results.load?.knee;
  const kneeLine =
    knee === undefined
      ? []
      : [
          `latency turns up: ${knee.connections === null ? 'not within the ramp' : `at ${knee.connections} connections`}`,
        ];
  return svgDocument(
    l.width,
    l.height,
    'Local stack latency through the gateway, by load',
    ...frame(
      l,
      'Local stack: latency of one review per request, through the gateway',
      [subtitle(results), ...kneeLine],
      plot,
    ),
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

const RELIABILITY: Layout = { width: 640, height: 520, top: 84, right: 230, bottom: 64, left: 72 };

/**
 * A reliability diagram: each bin's accuracy (y) against its mean confidence (x) of the
 * predicted label, one line per data set, the diagonal being perfect calibration. Dots are
 * sized by how many predictions fall in the bin.
 */
export function reliabilityChart(title: string, subtitleLine: string, series: readonly ReliabilitySeries[]): string {
  const l = RELIABILITY;
  const x = linearScale([0.5, 1], [l.left, l.width - l.right]);
  const y = linearScale([0.3, 1], [l.height - l.bottom, l.top]);
  const pct = (t: number): string => `${Math.round(t * 100)}%`;
  const plot: string[] = [
    ...xAxis(l, [0.5, 0.6, 0.7, 0.8, 0.9, 1], x, pct, 'confidence of the predicted label (mean of the bin)'),
    ...yAxis(l, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], y, pct, 'accuracy in the bin'),
    el('line', { x1: x(0.5), y1: y(0.5), x2: x(1), y2: y(1), stroke: MUTED, 'stroke-dasharray': '5 4' }),
  ];
  series.forEach((s, i) => {
    const colour = LINE_COLOURS[i % LINE_COLOURS.length] ?? INK;
    const total = s.bins.reduce((n, b) => n + b.count, 0);
    const points = s.bins.filter((b) => b.confidence >= 0.5);
    plot.push(
      el('polyline', {
        points: points.map((b) => `${x(b.confidence).toFixed(1)},${y(Math.max(0.3, b.accuracy)).toFixed(1)}`).join(' '),
        fill: 'none',
        stroke: colour,
        'stroke-width': 2,
      }),
      ...points.map((b) =>
        el(
          'circle',
          {
            cx: x(b.confidence),
            cy: y(Math.max(0.3, b.accuracy)),
            r: 2.5 + 6 * Math.sqrt(b.count / total),
            fill: colour,
          },
          el(
            'title',
            {},
            text(
              `${s.name}: ${b.count} predictions at ${pct(b.low)}-${pct(b.high)}, confidence ${(100 * b.confidence).toFixed(1)}%, accuracy ${(100 * b.accuracy).toFixed(1)}%`,
            ),
          ),
        ),
      ),
      el('circle', { cx: l.width - l.right + 24, cy: l.top + 10 + 22 * i, r: 5, fill: colour }),
      el(
        'text',
        { x: l.width - l.right + 34, y: l.top + 14 + 22 * i, fill: INK },
        text(`${s.name}: ECE ${s.ece.toFixed(3)}`),
      ),
    );
  });
  return svgDocument(l.width, l.height, title, ...frame(l, title, [subtitleLine], plot));
}
