/**
 * npm run data:prepare -- [--data-dir DIR] [--out DIR] [--vocab-size N] [--min-count N]
 *                         [--max-length N] [--with-unsup] [--force]
 * Encodes the IMDB splits into model/prepared/ (see manifest.ts for the format).
 */
import { fileURLToPath } from 'node:url';
import { parseFlags, positiveIntegerFlag, runCli } from '../../common/cli/run.ts';
import { DEFAULT_VOCABULARY, prepareData } from './prepare.ts';

const DEFAULT_OUT = fileURLToPath(new URL('../prepared/', import.meta.url));

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
      maxSize: positiveIntegerFlag(flags, 'vocab-size', DEFAULT_VOCABULARY.maxSize),
      minCount: positiveIntegerFlag(flags, 'min-count', DEFAULT_VOCABULARY.minCount),
      maxLength: positiveIntegerFlag(flags, 'max-length', DEFAULT_VOCABULARY.maxLength),
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
