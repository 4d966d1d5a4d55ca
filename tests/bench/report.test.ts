/** The Markdown printed and written into BENCHMARKS.md comes from the results and nothing else. */
import { describe, expect, it } from 'vitest';
import { duration, renderReport, table, verdictLines } from '../../bench/lib/report.ts';
import { fixtureResults } from './results-fixture.ts';

describe('renderReport', () => {
  const results = fixtureResults();
  const md = renderReport(results, { accuracyChart: 'bench/charts/a.svg', json: 'bench/results/x.json' });

  it('has one table row per system with its accuracy, ROC AUC and throughput', () => {
    expect(md).toContain('| **rnn-v2-batch <full name>** | **91.28%** | 0.9700 | 1,000 |');
    expect(md).toContain('| sentiment <full name> | 70.70% | 0.8000 | 15,000 |');
  });

  it('gives each in-process system its peak RSS and, in brackets, the part above Node and the reviews', () => {
    expect(md).toMatch(/\| sentiment <full name> \|[^\n]*\| 100 \(\+50\) \| 1\.0 \|/);
    expect(md).toMatch(/\| \*\*rnn-v2-http <full name>\*\* \|[^\n]*\| 100 \| 1\.0 \|/);
    expect(md).toContain('garbage collected (50 MB)');
  });

  it('states the bar and the throughput ratio to the fastest peer', () => {
    const [accuracy, throughput] = verdictLines(results);
    expect(accuracy).toMatch(/ahead by \*\*20\.2 points\*\* \(bar: at least 15; met\)/);
    expect(throughput).toMatch(/1,000 reviews\/s, 0\.067x the fastest peer's: sentiment <full name> is 15\.0x faster/);
  });

  it('says when the bar is missed', () => {
    const missed = fixtureResults();
    const comparison = missed.comparison;
    if (comparison === null) throw new Error('fixture has a comparison');
    expect(verdictLines({ ...missed, comparison: { ...comparison, marginPoints: 9, barMet: false } })[0]).toMatch(
      /\*\*not met\*\*/,
    );
  });

  it('marks the load step where latency turns up, and links the chart and the JSON', () => {
    expect(md).toContain('| **32** (latency turns up) | 720 |');
    expect(md).toContain('![Accuracy against reviews per second, one point per system](bench/charts/a.svg)');
    expect(md).toContain('[`bench/results/x.json`](bench/results/x.json)');
  });

  it('states the machine, its load and the run time', () => {
    expect(md).toMatch(/load average 0\.50 before the run and 1\.90 after \(other work was running/);
    expect(md).toContain('in one run of 9 min 12 s');
  });

  it('leaves out the parts the run did not measure', () => {
    const loadOnly = renderReport({ ...results, systems: null, comparison: null });
    expect(loadOnly).not.toContain('ROC AUC');
    expect(loadOnly).toContain('Load ramp');
  });
});

describe('table and duration', () => {
  it('escapes pipes in cells', () => {
    expect(table(['a'], [['x|y']])).toBe('| a |\n| --- |\n| x\\|y |');
  });

  it.each([
    [48.34, '48.3 s'],
    [60, '1 min 0 s'],
    [552, '9 min 12 s'],
  ])('%f s reads %s', (s, text) => {
    expect(duration(s)).toBe(text);
  });
});
