/** The machine a run measured on, and its short name in result file names. */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  /** e.g. amd-epyc-7b13-2c: the CPU model and the cores, for file names. */
  readonly slug: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
}

/** The CPU model's distinctive words in lower case with dashes, then the number of cores: `amd-epyc-7b13-2c`. */
export function machineSlug(cpuModel: string, cores: number): string {
  const words = cpuModel
    .toLowerCase()
    .replace(/\((r|tm|c)\)/g, ' ')
    .replace(/@.*$/, ' ') // the clock: "@ 2.40GHz"
    .replace(/\b(\d+-core|processor|cpu|with|radeon graphics|graphics)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const name = words.length === 0 ? 'cpu' : words.join('-');
  return `${name}-${cores}c`;
}

export function thisMachine(): Machine {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const cores = availableParallelism();
  return {
    slug: machineSlug(cpu, cores),
    cpu,
    cores,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The 1, 5 and 15 minute load averages, two decimals. */
export const loadAverage = (): [number, number, number] => {
  const [one = 0, five = 0, fifteen = 0] = loadavg().map((x) => Math.round(x * 100) / 100);
  return [one, five, fifteen];
};
