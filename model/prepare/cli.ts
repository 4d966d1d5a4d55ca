/**
 * npm run data:prepare -- [--data-dir DIR] [--out DIR] [--vocab-size N] [--min-count N]
 *                         [--max-length N] [--with-unsup] [--force]
 * Encodes the IMDB splits into model/prepared/ (see manifest.ts for the format).
 */
import { fileURLToPath } from 'node:url';
import { parseFlags, runCli } from '../cli/run.ts';
import { ReelSenseError } from '../errors.ts';
import { DEFAULT_VOCABULARY, prepareData } from './prepare.ts';

const DEFAULT_OUT = fileURLToPath(new URL('../prepared/', import.meta.url));

function integer(flags: Map<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ReelSenseError('BAD_OPTION', `--${name} must be a positive integer, not "${raw}".`);
  return value;
}

runCli(async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    ['data-dir', 'out', 'vocab-size', 'min-count', 'max-length'],
    ['with-unsup', 'force'],
  );
  const outDir = flags.get('out') ?? DEFAULT_OUT;
  const { manifest, reused } = await prepareData({
    outDir,
    dataDir: flags.get('data-dir'),
    vocabulary: {
      maxSize: integer(flags, 'vocab-size', DEFAULT_VOCABULARY.maxSize),
      minCount: integer(flags, 'min-count', DEFAULT_VOCABULARY.minCount),
      maxLength: integer(flags, 'max-length', DEFAULT_VOCABULARY.maxLength),
    },
    withUnsup: flags.get('with-unsup') === 'true',
    force: flags.get('force') === 'true',
  });
  const splits = Object.entries(manifest.splits)
    .map(
      ([name, s]) =>
        `${name} ${s.reviews.toLocaleString('en-US')} reviews / ${s.tokens.toLocaleString('en-US')} tokens`,
    )
    .join('; ');
  process.stdout.write(
    reused
      ? `prepared data is up to date in ${outDir} (${splits}); nothing to do. Use --force to rebuild.\n`
      : `prepared ${splits} into ${outDir} in ${manifest.seconds} s (vocabulary ${manifest.vocabulary.size}).\n`,
  );
});
