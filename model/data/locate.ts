/**
 * Finds the IMDB dataset (`train.csv.gz`, `test.csv.gz`, optional `unsup.csv.gz`), first match wins:
 *
 * 1. `dataDir` option (a CLI's `--data-dir`);
 * 2. env `REELSENSE_DATA_DIR`;
 * 3. `<repo root>/../shared/data/imdb` (the copy beside this repository on the dev machines);
 * 4. the cache, `<cache>/imdb`;
 * 5. unless `download: false`, the official tarball downloaded into `<cache>/downloads/`, checked
 *    against its sha256, converted into `<cache>/imdb` (see aclimdb.ts), then deleted. A tarball
 *    already there with the right sha256 (kept, or left by a failed conversion) is reused.
 *
 * `forceDownload` skips 1-4, downloads the tarball again whatever is there, and converts it into the cache.
 *
 * A folder named by 1 or 2 must hold the files: it is an error, not a fall-through, when it does not.
 *
 * Environment:
 * - `REELSENSE_DATA_DIR`: a folder holding the dataset files.
 * - `REELSENSE_CACHE_DIR`: the cache (default `$XDG_CACHE_HOME/reelsense`, else `~/.cache/reelsense`).
 * - `REELSENSE_DATASET_URL`, `REELSENSE_DATASET_SHA256`: another source for the tarball (a mirror;
 *   tests serve a small one), and its sha256.
 * - `REELSENSE_KEEP_DOWNLOAD=1`: keep the 80 MB tarball after converting it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReelSenseError } from '../../common/errors.ts';
import { convertAclImdb } from './aclimdb.ts';
import { downloadFile } from './download.ts';

export const OFFICIAL_DATASET_URL = 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz';
export const OFFICIAL_DATASET_SHA256 = 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe';

/** `<repo root>/../shared/data/imdb`, from this file's place in the repository (model/data/). */
export const SHARED_DATA_DIR = fileURLToPath(new URL('../../../shared/data/imdb', import.meta.url));

export type DatasetSource = 'option' | 'env' | 'shared' | 'cache' | 'download';

export interface DatasetLocation {
  readonly dir: string;
  readonly source: DatasetSource;
  readonly train: string;
  readonly test: string;
  readonly unsup?: string;
  /** `<split>_ids.txt.gz`: line i names row i's original file, whose name ends in its star rating. */
  readonly trainIds?: string;
}

export interface LocateOptions {
  readonly dataDir?: string;
  /** false: never download; fail if no copy is found. Default true. */
  readonly download?: boolean;
  /** Skip every copy and download and convert again into the cache. */
  readonly forceDownload?: boolean;
  /** Defaults to process.env; tests pass their own. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the shared copy is looked for; tests point it elsewhere. */
  readonly sharedDir?: string;
  /** No progress bars (tests). */
  readonly quiet?: boolean;
}

const REQUIRED = ['train.csv.gz', 'test.csv.gz'] as const;

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The cache root: REELSENSE_CACHE_DIR, else $XDG_CACHE_HOME/reelsense, else ~/.cache/reelsense. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = setting(env, 'REELSENSE_CACHE_DIR');
  if (own !== undefined) return resolve(own);
  const xdg = setting(env, 'XDG_CACHE_HOME');
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'reelsense');
  return join(setting(env, 'HOME') ?? homedir(), '.cache', 'reelsense');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function missingFiles(dir: string): Promise<string[]> {
  const present = await Promise.all(REQUIRED.map((name) => exists(join(dir, name))));
  return REQUIRED.filter((_, i) => present[i] !== true);
}

async function location(dir: string, source: DatasetSource): Promise<DatasetLocation> {
  const unsup = join(dir, 'unsup.csv.gz');
  const trainIds = join(dir, 'train_ids.txt.gz');
  return {
    dir,
    source,
    train: join(dir, 'train.csv.gz'),
    test: join(dir, 'test.csv.gz'),
    ...((await exists(unsup)) && { unsup }),
    ...((await exists(trainIds)) && { trainIds }),
  };
}

/** A folder the user named must hold the dataset; say exactly what is missing. */
async function explicitDir(dir: string, source: 'option' | 'env'): Promise<DatasetLocation> {
  const named = source === 'option' ? `The data folder ${dir}` : `REELSENSE_DATA_DIR (${dir})`;
  const must =
    'It must contain train.csv.gz and test.csv.gz (gzipped CSV, header label,text; unsup.csv.gz optional), as npm run data:fetch writes them';
  if (!(await exists(dir))) throw new ReelSenseError('DATA_DIR_MISSING', `${named} does not exist. ${must}.`);
  const missing = await missingFiles(dir);
  if (missing.length > 0)
    throw new ReelSenseError('DATA_DIR_INCOMPLETE', `${named} has no ${missing.join(' and no ')}. ${must}.`);
  return location(dir, source);
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function datasetSource(env: NodeJS.ProcessEnv): { url: string; sha256: string } {
  const url = setting(env, 'REELSENSE_DATASET_URL') ?? OFFICIAL_DATASET_URL;
  if (!URL.canParse(url)) throw new ReelSenseError('BAD_ENV', `REELSENSE_DATASET_URL is not a URL: "${url}".`);
  const sha256 = (setting(env, 'REELSENSE_DATASET_SHA256') ?? OFFICIAL_DATASET_SHA256).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new ReelSenseError('BAD_ENV', `REELSENSE_DATASET_SHA256 must be 64 hex digits, got "${sha256}".`);
  }
  return { url, sha256 };
}

/** Downloads (or reuses a verified earlier download), converts into `<cache>/imdb`, removes the tarball. */
async function downloadInto(
  cache: string,
  env: NodeJS.ProcessEnv,
  options: { quiet: boolean; force: boolean },
): Promise<DatasetLocation> {
  const { quiet } = options;
  const { url, sha256 } = datasetSource(env);
  const tarball = join(cache, 'downloads', basename(new URL(url).pathname) || 'aclImdb_v1.tar.gz');
  const reuse = !options.force && (await exists(tarball)) && (await sha256Of(tarball)) === sha256;
  if (!reuse) await downloadFile(url, tarball, { sha256, quiet });
  const dir = join(cache, 'imdb');
  await convertAclImdb(tarball, dir, { quiet });
  if (setting(env, 'REELSENSE_KEEP_DOWNLOAD') !== '1') await rm(tarball, { force: true });
  return location(dir, 'download');
}

export async function locateDataset(options: LocateOptions = {}): Promise<DatasetLocation> {
  const env = options.env ?? process.env;
  const quiet = options.quiet === true;
  const cache = cacheDir(env);
  if (options.forceDownload === true) {
    if (options.download === false)
      throw new ReelSenseError('BAD_OPTION', 'forceDownload and download: false contradict each other.');
    if (options.dataDir !== undefined)
      throw new ReelSenseError('BAD_OPTION', 'A data folder and a forced download cannot be combined: pick one.');
    return downloadInto(cache, env, { quiet, force: true });
  }

  if (options.dataDir !== undefined) return explicitDir(resolve(options.dataDir), 'option');
  const fromEnv = setting(env, 'REELSENSE_DATA_DIR');
  if (fromEnv !== undefined) return explicitDir(resolve(fromEnv), 'env');

  const shared = options.sharedDir ?? SHARED_DATA_DIR;
  if ((await missingFiles(shared)).length === 0) return location(shared, 'shared');
  const cached = join(cache, 'imdb');
  if ((await missingFiles(cached)).length === 0) return location(cached, 'cache');

  if (options.download === false) {
    throw new ReelSenseError(
      'DATA_NOT_FOUND',
      `The IMDB dataset is not in ${shared} nor in ${cached}. Run npm run data:fetch to download it, or set REELSENSE_DATA_DIR to a folder holding train.csv.gz and test.csv.gz.`,
    );
  }
  return downloadInto(cache, env, { quiet, force: false });
}
