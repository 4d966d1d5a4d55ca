/**
 * `npm run data:fetch [-- --data-dir DIR] [--force-download]`: finds the IMDB dataset, downloading
 * and converting the official tarball when there is no copy, and prints where it is.
 * The search order and the environment variables are documented in locate.ts.
 */
import { relative } from 'node:path';
import { ReelSenseError } from '../../common/errors.ts';
import { parseFlags, runCli } from '../../common/cli/run.ts';
import { type DatasetLocation, locateDataset } from './locate.ts';

const USAGE = `Usage: npm run data:fetch [-- --data-dir DIR] [--force-download]
  --data-dir DIR     use the dataset in DIR (must hold train.csv.gz and test.csv.gz)
  --force-download   download and convert the official tarball into the cache, even if a copy exists
Environment: REELSENSE_DATA_DIR, REELSENSE_CACHE_DIR, REELSENSE_DATASET_URL, REELSENSE_DATASET_SHA256, REELSENSE_KEEP_DOWNLOAD=1`;

const SOURCES: Record<DatasetLocation['source'], string> = {
  option: 'the --data-dir folder',
  env: 'REELSENSE_DATA_DIR',
  shared: 'the shared copy beside the repository',
  cache: 'the cache (converted earlier)',
  download: 'downloaded and converted just now',
};

async function fetchCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(argv, ['data-dir'], ['force-download']);
  const force = flags.get('force-download');
  if (force !== undefined && force !== 'true' && force !== 'false') {
    throw new ReelSenseError('BAD_OPTION', `--force-download takes no value (got "${force}").`);
  }
  const dataDir = flags.get('data-dir');
  if (dataDir !== undefined && force === 'true') {
    throw new ReelSenseError(
      'BAD_OPTION',
      '--data-dir and --force-download cannot be combined: the download goes to the cache.',
    );
  }
  const found = await locateDataset({ ...(dataDir !== undefined && { dataDir }), forceDownload: force === 'true' });
  const show = (path: string): string => relative(process.cwd(), path) || '.';
  const lines = [
    `Dataset: ${found.dir}`,
    `  source: ${found.source} (${SOURCES[found.source]})`,
    `  train:  ${show(found.train)}`,
    `  test:   ${show(found.test)}`,
    `  unsup:  ${found.unsup === undefined ? '(none)' : show(found.unsup)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (
    command === undefined ||
    command === '--help' ||
    command === '-h' ||
    rest.includes('--help') ||
    rest.includes('-h')
  ) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== 'fetch') throw new ReelSenseError('BAD_COMMAND', `Unknown command "${command}". ${USAGE}`);
  await fetchCommand(rest);
}

runCli(main);
