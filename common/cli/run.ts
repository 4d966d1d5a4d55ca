/**
 * Runs a CLI's main function: a ReelSenseError is printed as one clear line (no stack trace)
 * and exits 1; anything else is a bug and keeps its stack.
 */
import { ReelSenseError } from '../errors.ts';

/** Thrown by parseFlags for --help or -h: runCli prints the options and exits 0. */
export class HelpRequested extends Error {
  override readonly name: string = 'HelpRequested';
}

export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
    } else if (error instanceof ReelSenseError) {
      process.stderr.write(`\nerror [${error.code}]: ${error.message}\n`);
    } else {
      process.stderr.write(
        `\nunexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = 1;
  });
}

/** Parses `--name value` and `--name=value` flags against a list of known names. */
export function parseFlags(
  argv: readonly string[],
  known: readonly string[],
  booleans: readonly string[] = [],
): Map<string, string> {
  const flags = new Map<string, string>();
  const options = [...known, ...booleans].map((k) => `--${k}`).join(', ');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') throw new HelpRequested(`Options: ${options || '(none)'}.`);
    if (!arg.startsWith('--'))
      throw new ReelSenseError('BAD_OPTION', `Unexpected argument "${arg}". Options: ${options}.`);
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (booleans.includes(name)) {
      flags.set(name, inline ?? 'true');
      continue;
    }
    if (!known.includes(name)) throw new ReelSenseError('BAD_OPTION', `Unknown option --${name}. Options: ${options}.`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ReelSenseError('BAD_OPTION', `Option --${name} needs a value.`);
    flags.set(name, value);
  }
  return flags;
}

/** A `--name N` flag that must be a positive integer; `fallback` when absent. */
export function positiveIntegerFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ReelSenseError('BAD_OPTION', `--${name} must be a positive integer, not "${raw}".`);
  }
  return value;
}
