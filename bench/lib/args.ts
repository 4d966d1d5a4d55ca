/**
 * `npm run bench -- [NAME ...] [--flag value ...]`: the sub-benchmarks to run, by name, and the
 * flags, in any order. No name: the side-by-side suite (peers, length, load).
 */
import { ReelSenseError } from '../../common/errors.ts';

export const BENCH_NAMES = ['peers', 'length', 'load', 'serving', 'report'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];
export const DEFAULT_SUITE: readonly BenchName[] = ['peers', 'length', 'load'];

export const VALUE_FLAGS = [
  'reviews',
  'data-dir',
  'artifact',
  'concurrency',
  'ramp-seconds',
  'latency-sample',
  'from',
] as const;
export const BOOLEAN_FLAGS = ['quick', 'publish'] as const;

export interface BenchArgs {
  readonly names: readonly BenchName[];
  /** The flags, for parseFlags (common/cli/run.ts). */
  readonly flagArgs: readonly string[];
}

const isName = (arg: string): arg is BenchName => (BENCH_NAMES as readonly string[]).includes(arg);

/** Splits names from flags; a value flag's next argument is its value, not a name. */
export function splitArgs(argv: readonly string[]): BenchArgs {
  const names: BenchName[] = [];
  const flagArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('-')) {
      flagArgs.push(arg);
      const name = arg.replace(/^--?/, '');
      if ((VALUE_FLAGS as readonly string[]).includes(name) && i + 1 < argv.length) flagArgs.push(argv[++i] ?? '');
    } else if (isName(arg)) {
      if (!names.includes(arg)) names.push(arg);
    } else {
      throw new ReelSenseError('BAD_OPTION', `Unknown benchmark "${arg}". Benchmarks: ${BENCH_NAMES.join(', ')}.`);
    }
  }
  return { names: names.length === 0 ? DEFAULT_SUITE : names, flagArgs };
}
