/** The machine's short name in result file names. */
import { describe, expect, it } from 'vitest';
import { machineSlug } from '../../scripts/measure.ts';

describe('machineSlug', () => {
  it.each([
    ['AMD EPYC', 2, 'amd-epyc-2c'],
    ['AMD EPYC 7B13', 2, 'amd-epyc-7b13-2c'],
    ['Intel(R) Xeon(R) CPU @ 2.20GHz', 4, 'intel-xeon-4c'],
    ['Intel(R) Core(TM) i7-10750H CPU @ 2.60GHz', 12, 'intel-core-i7-10750h-12c'],
    ['AMD Ryzen 7 5800X 8-Core Processor', 16, 'amd-ryzen-7-5800x-16c'],
    ['Apple M2', 8, 'apple-m2-8c'],
    ['', 1, 'cpu-1c'],
  ])('%j with %i cores is %s', (model, cores, slug) => {
    expect(machineSlug(model, cores)).toBe(slug);
  });
});
