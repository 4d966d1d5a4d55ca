/**
 * The search order, with temp folders for every place and an `env` object per call: the real
 * process.env and ~/.cache are never read or written.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabelledCsv } from '../../../model/data/csv.ts';
import { cacheDir, locateDataset, SHARED_DATA_DIR } from '../../../model/data/locate.ts';
import {
  buildTarball,
  failure,
  FIXTURE_REVIEWS,
  serveFile,
  sha256File,
  tempDir,
  type TestServer,
} from './aclimdb-fixture.ts';

/** A dataset folder with the named files (tiny but valid). */
async function dataDir(path: string, names: readonly string[] = ['train.csv.gz', 'test.csv.gz']): Promise<string> {
  await mkdir(path, { recursive: true });
  for (const name of names) {
    await writeFile(
      join(path, name),
      gzipSync(name.startsWith('unsup') ? 'text\nhello\n' : 'label,text\n1,good\n0,bad\n'),
    );
  }
  return path;
}

describe('locateDataset', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let server: TestServer & { fileUrl: string };
  let sha256: string;
  let tarball: string;
  let option: string;
  let fromEnv: string;
  let shared: string;
  let noShared: string;
  let cache: string;
  let emptyCache: string;

  beforeAll(async () => {
    work = await tempDir();
    tarball = await buildTarball(join(work.path, 'fixture'));
    sha256 = await sha256File(tarball);
    server = await serveFile(tarball);
    option = await dataDir(join(work.path, 'option'));
    fromEnv = await dataDir(join(work.path, 'env'), ['train.csv.gz', 'test.csv.gz', 'unsup.csv.gz']);
    shared = await dataDir(join(work.path, 'shared'));
    noShared = await dataDir(join(work.path, 'no-shared'), ['train.csv.gz']); // incomplete: skipped quietly
    cache = join(work.path, 'cache');
    await dataDir(join(cache, 'imdb'));
    emptyCache = join(work.path, 'empty-cache');
  });
  afterAll(async () => {
    await server.close();
    await work.remove();
  });

  /** The download settings every call gets, so a fall-through to downloading stays local. */
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    REELSENSE_DATASET_URL: server.fileUrl,
    REELSENSE_DATASET_SHA256: sha256,
    ...extra,
  });

  it.each([
    [
      'option',
      () => ({
        dataDir: option,
        sharedDir: shared,
        env: env({ REELSENSE_DATA_DIR: fromEnv, REELSENSE_CACHE_DIR: cache }),
      }),
      () => option,
    ],
    [
      'env',
      () => ({ sharedDir: shared, env: env({ REELSENSE_DATA_DIR: fromEnv, REELSENSE_CACHE_DIR: cache }) }),
      () => fromEnv,
    ],
    ['shared', () => ({ sharedDir: shared, env: env({ REELSENSE_CACHE_DIR: cache }) }), () => shared],
    ['cache', () => ({ sharedDir: noShared, env: env({ REELSENSE_CACHE_DIR: cache }) }), () => join(cache, 'imdb')],
  ] as const)('picks %s when it and everything after it is present', async (source, options, dir) => {
    const found = await locateDataset({ ...options(), quiet: true });
    expect(found).toMatchObject({
      source,
      dir: dir(),
      train: join(dir(), 'train.csv.gz'),
      test: join(dir(), 'test.csv.gz'),
    });
    expect('unsup' in found).toBe(source === 'env');
  });

  it('gives the unlabelled file only when there is one', async () => {
    const found = await locateDataset({ env: env({ REELSENSE_DATA_DIR: fromEnv }), quiet: true });
    expect(found.unsup).toBe(join(fromEnv, 'unsup.csv.gz'));
  });

  it('downloads, converts into the cache and deletes the tarball when there is no copy; then uses the cache', async () => {
    const root = join(emptyCache, 'a');
    const found = await locateDataset({ sharedDir: noShared, env: env({ REELSENSE_CACHE_DIR: root }), quiet: true });
    const dir = join(root, 'imdb');
    expect(found).toEqual({
      source: 'download',
      dir,
      train: join(dir, 'train.csv.gz'),
      test: join(dir, 'test.csv.gz'),
      unsup: join(dir, 'unsup.csv.gz'),
      // The conversion writes each row's original file name: the star ratings prepare reads.
      trainIds: join(dir, 'train_ids.txt.gz'),
    });
    const train = await readLabelledCsv(found.train);
    expect(train).toHaveLength(FIXTURE_REVIEWS.filter((r) => /^train\/(pos|neg)\//.test(r.path)).length);
    expect(await readdir(join(root, 'downloads'))).toEqual([]);

    // Second run: found in the cache, even with the download source gone.
    const again = await locateDataset({
      sharedDir: noShared,
      env: { REELSENSE_CACHE_DIR: root, REELSENSE_DATASET_URL: 'http://127.0.0.1:9/gone' },
      quiet: true,
    });
    expect(again).toMatchObject({ source: 'cache', dir });
  });

  it('keeps the tarball with REELSENSE_KEEP_DOWNLOAD=1, and forceDownload converts again over a cached copy', async () => {
    const root = join(emptyCache, 'b');
    await dataDir(join(root, 'imdb'));
    const found = await locateDataset({
      forceDownload: true,
      sharedDir: shared,
      env: env({ REELSENSE_CACHE_DIR: root, REELSENSE_KEEP_DOWNLOAD: '1' }),
      quiet: true,
    });
    expect(found.source).toBe('download');
    expect(await readLabelledCsv(found.test)).toHaveLength(
      FIXTURE_REVIEWS.filter((r) => r.path.startsWith('test/')).length,
    );
    expect(await readdir(join(root, 'downloads'))).toEqual(['aclImdb_v1.tar.gz']);
  });

  it('reuses a verified tarball already in downloads/ instead of fetching it again', async () => {
    const root = join(emptyCache, 'reuse');
    await mkdir(join(root, 'downloads'), { recursive: true });
    await copyFile(tarball, join(root, 'downloads', 'aclImdb_v1.tar.gz'));
    const offline = { REELSENSE_CACHE_DIR: root, REELSENSE_DATASET_URL: 'http://127.0.0.1:9/aclImdb_v1.tar.gz' };
    const found = await locateDataset({
      sharedDir: noShared,
      env: { ...offline, REELSENSE_DATASET_SHA256: sha256 },
      quiet: true,
    });
    expect(found.source).toBe('download');
    expect(await readdir(join(root, 'downloads'))).toEqual([]);
  });

  it('fails with the checksum error and writes nothing when the download is not the expected file', async () => {
    const root = join(emptyCache, 'c');
    const wrong = 'ab'.repeat(32);
    const options = { sharedDir: noShared, env: env({ REELSENSE_CACHE_DIR: root, REELSENSE_DATASET_SHA256: wrong }) };
    const error = await failure(locateDataset({ ...options, quiet: true }));
    expect(error.code).toBe('DOWNLOAD_CHECKSUM');
    expect(error.message).toContain(`expected ${wrong}`);
    expect(await readdir(join(root, 'downloads'))).toEqual([]);
    expect(existsSync(join(root, 'imdb'))).toBe(false);
  });

  it('does not download when told not to', async () => {
    const options = { sharedDir: noShared, env: env({ REELSENSE_CACHE_DIR: join(emptyCache, 'd') }) };
    const error = await failure(locateDataset({ ...options, download: false }));
    expect(error.code).toBe('DATA_NOT_FOUND');
    expect(error.message).toContain('Run npm run data:fetch to download it, or set REELSENSE_DATA_DIR');
    expect(existsSync(join(emptyCache, 'd'))).toBe(false);
  });

  it.each([
    [
      'an option folder without test.csv.gz',
      () => ({ dataDir: join(work.path, 'no-test') }),
      'DATA_DIR_INCOMPLETE',
      /The data folder .*no-test has no test\.csv\.gz\. It must contain train\.csv\.gz and test\.csv\.gz/,
    ],
    [
      'an env folder without either file',
      () => ({ env: env({ REELSENSE_DATA_DIR: join(work.path, 'bare') }) }),
      'DATA_DIR_INCOMPLETE',
      /REELSENSE_DATA_DIR \(.*bare\) has no train\.csv\.gz and no test\.csv\.gz/,
    ],
    [
      'an option folder that does not exist',
      () => ({ dataDir: join(work.path, 'nowhere') }),
      'DATA_DIR_MISSING',
      /nowhere does not exist/,
    ],
  ] as const)('refuses %s, without falling through to the next place', async (_name, options, code, message) => {
    await dataDir(join(work.path, 'no-test'), ['train.csv.gz']);
    await dataDir(join(work.path, 'bare'), []);
    const all = {
      sharedDir: shared,
      env: env({ REELSENSE_DATA_DIR: fromEnv, REELSENSE_CACHE_DIR: cache }),
      ...options(),
    };
    const error = await failure(locateDataset(all));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses a malformed REELSENSE_DATASET_SHA256', async () => {
    const options = { sharedDir: noShared, env: env({ REELSENSE_CACHE_DIR: join(emptyCache, 'e') }) };
    const error = await failure(
      locateDataset({ ...options, env: { ...options.env, REELSENSE_DATASET_SHA256: 'abc' } }),
    );
    expect(error.code).toBe('BAD_ENV');
    expect(error.message).toContain('REELSENSE_DATASET_SHA256 must be 64 hex digits');
  });

  const repoShared = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/data/imdb');
  it('looks for the shared copy at <repo root>/../shared/data/imdb', () => {
    expect(SHARED_DATA_DIR).toBe(repoShared);
  });
  it.skipIf(!existsSync(join(repoShared, 'train.csv.gz')))(
    'finds the shared copy by default on a machine that has it',
    async () => {
      const found = await locateDataset({ download: false, env: { REELSENSE_CACHE_DIR: join(emptyCache, 'f') } });
      expect(found).toMatchObject({ source: 'shared', dir: repoShared });
    },
  );
});

describe('cacheDir', () => {
  it.each([
    [{ REELSENSE_CACHE_DIR: '/c/own', XDG_CACHE_HOME: '/x', HOME: '/h' }, '/c/own'],
    [{ REELSENSE_CACHE_DIR: '', XDG_CACHE_HOME: '/x', HOME: '/h' }, '/x/reelsense'],
    [{ XDG_CACHE_HOME: 'relative', HOME: '/h' }, '/h/.cache/reelsense'],
    [{ HOME: '/h' }, '/h/.cache/reelsense'],
  ])('%o -> %s', (env, expected) => {
    expect(cacheDir(env)).toBe(expected);
  });
});
