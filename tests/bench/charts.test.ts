/** The charts are drawn from the results alone: one labelled point per system, one curve per load step. */
import { describe, expect, it } from 'vitest';
import { accuracyThroughputChart, latencyChart, nines, reliabilityChart } from '../../bench/lib/charts.ts';
import { fixtureResults } from './results-fixture.ts';

const count = (svg: string, pattern: RegExp): number => svg.match(pattern)?.length ?? 0;

describe('accuracyThroughputChart', () => {
  const results = fixtureResults();
  const svg = accuracyThroughputChart(results);

  it('draws one point per system plus the three legend dots', () => {
    expect(count(svg, /<circle /g)).toBe((results.systems?.length ?? 0) + 3);
  });

  it('labels each point with its name and accuracy, escaped', () => {
    expect(svg).toContain('>rnn-v2-batch 91.3%</text>');
    expect(svg).toContain('>wink-sentiment 71.1%</text>');
    expect(svg).toContain('<title>rnn-v2-batch &lt;full name&gt;: 91.28%, 1000 reviews/s</title>');
  });

  it('places a faster system further right and a more accurate one higher', () => {
    const at = (label: string): { x: number; y: number } => {
      const match = new RegExp(
        `<title>${label} &lt;full name&gt;[^<]*</title><circle cx="([\\d.]+)" cy="([\\d.]+)"`,
      ).exec(svg);
      return { x: Number(match?.[1]), y: Number(match?.[2]) };
    };
    expect(at('sentiment').x).toBeGreaterThan(at('wink-sentiment').x);
    expect(at('rnn-v2-batch').y).toBeLessThan(at('seed-lstm').y);
  });

  it('marks the bar, 15 points above the best peer', () => {
    expect(svg).toContain('bar: best peer + 15 points');
  });

  it('refuses results without systems', () => {
    expect(() => accuracyThroughputChart({ ...results, systems: null })).toThrow(/No systems/);
  });
});

describe('latencyChart', () => {
  const svg = latencyChart(fixtureResults());

  it('draws one curve per load step and one for the accuracy pass, with a legend entry each', () => {
    expect(count(svg, /<path /g)).toBe(5);
    expect(svg).toContain('>64 connections: 725 req/s</text>');
    expect(svg).toContain('>16 in flight (accuracy pass): 400 req/s</text>');
  });

  it('names where latency turns up', () => {
    expect(svg).toContain('latency turns up: at 32 connections');
  });

  it('puts p0, p90, p99 and p99.9 one step apart on the nines axis', () => {
    expect(nines(0)).toBe(0);
    expect(nines(90)).toBeCloseTo(1);
    expect(nines(99)).toBeCloseTo(2);
    expect(nines(99.9)).toBeCloseTo(3);
    expect(nines(100)).toBeCloseTo(3);
  });
});

describe('reliability diagram', () => {
  const bin = (low: number, confidence: number, accuracy: number, count: number) => ({
    low,
    high: low + 1 / 15,
    count,
    confidence,
    accuracy,
  });
  it('draws one line per data set with a dot per bin, the diagonal and each ECE in the legend', () => {
    const svg = reliabilityChart('Reliability', 'sub', [
      { name: 'test', ece: 0.0123, bins: [bin(0.6, 0.63, 0.61, 10), bin(0.93, 0.97, 0.95, 90)] },
      { name: 'short <text>', ece: 0.05, bins: [bin(0.53, 0.55, 0.5, 5)] },
    ]);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('test: ECE 0.012');
    expect(svg).toContain('short &lt;text&gt;: ECE 0.050');
    expect(svg).toContain('<title>test: 90 predictions at 93%-100%, confidence 97.0%, accuracy 95.0%</title>');
    expect(svg).toContain('stroke-dasharray="5 4"');
  });
});
