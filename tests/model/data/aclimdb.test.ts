import { readdir, readFile, truncate, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertAclImdb } from '../../../model/data/aclimdb.ts';
import { readLabelledCsv, readTextCsv } from '../../../model/data/csv.ts';
import type { ReelSenseError } from '../../../common/errors.ts';
import { buildTarball, failure, FIXTURE_REVIEWS, hasPython, pythonConversion, tempDir } from './aclimdb-fixture.ts';

const gunzipText = async (path: string): Promise<string> => gunzipSync(await readFile(path)).toString('utf8');
const textOf = (path: string): string => {
  const content = FIXTURE_REVIEWS.find((r) => r.path === path)?.content;
  return typeof content === 'string' ? content : String(content);
};

describe('convertAclImdb', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let tarball: string;
  let out: string;

  beforeAll(async () => {
    work = await tempDir();
    tarball = await buildTarball(work.path);
    out = join(work.path, 'imdb');
    await convertAclImdb(tarball, out, { quiet: true });
  });
  afterAll(() => work.remove());

  it.skipIf(!hasPython)(
    `writes the same text as the README's procedure run in Python${hasPython ? '' : ' (skipped: python3 not found)'}`,
    async () => {
      const expected = pythonConversion(tarball);
      expect(await gunzipText(join(out, 'train.csv.gz'))).toBe(expected.train);
      expect(await gunzipText(join(out, 'test.csv.gz'))).toBe(expected.test);
      expect(await gunzipText(join(out, 'train_ids.txt.gz'))).toBe(expected.train_ids);
      expect(await gunzipText(join(out, 'test_ids.txt.gz'))).toBe(expected.test_ids);
      expect(await gunzipText(join(out, 'unsup.csv.gz'))).toBe(expected.unsup);
    },
  );

  it('puts the test split in the order Python gave (recorded once, so it is checked without python3 too)', async () => {
    // prettier-ignore
    const recorded = ['neg/34_3', 'neg/20_1', 'neg/27_2', 'neg/41_4', 'neg/9_3', 'neg/69_4', 'neg/1_4', 'pos/62_9', 'pos/76_7', 'pos/20_7', 'pos/27_8', 'neg/0_2', 'pos/34_9', 'neg/76_1', 'pos/100_7', 'neg/62_3', 'pos/41_10', 'neg/48_1', 'pos/69_10', 'pos/12_9', 'pos/48_7', 'neg/55_2', 'pos/0_10', 'pos/55_8'];
    expect(await gunzipText(join(out, 'test_ids.txt.gz'))).toBe(recorded.map((p) => `test/${p}.txt\n`).join(''));
  });

  it.each(['train', 'test'])(
    '%s: every row reads back with the label and text of the file its ids line names',
    async (split) => {
      const rows = await readLabelledCsv(join(out, `${split}.csv.gz`));
      const ids = (await gunzipText(join(out, `${split}_ids.txt.gz`))).split('\n');
      expect(ids.pop()).toBe(''); // one path per line, and the file ends with a newline, as the shared copy does
      const files = FIXTURE_REVIEWS.filter((r) => r.path.startsWith(`${split}/`) && !r.path.includes('/unsup/')).map(
        (r) => r.path,
      );
      expect([...ids].sort()).toEqual([...files].sort());
      rows.forEach((row, i) => {
        const path = ids[i] ?? '';
        expect(row).toEqual({ label: path.includes('/pos/') ? 1 : 0, text: textOf(path) });
      });
      // Shuffled, not in the sorted order the procedure starts from.
      expect(rows.map((r) => r.label)).not.toEqual([...rows.map((r) => r.label)].sort().reverse());
    },
  );

  it('writes the unlabelled reviews by numeric review id, and gzip at level 9', async () => {
    expect(await readTextCsv(join(out, 'unsup.csv.gz'))).toEqual([
      'Unlabelled, with a comma',
      'Unlabelled "one"',
      '',
      'Unlabelled ten',
    ]);
    const header = await readFile(join(out, 'train.csv.gz'));
    expect(header[8]).toBe(2); // gzip XFL = 2: "maximum compression"
  });

  it('leaves only the five finished files behind', async () => {
    expect((await readdir(out)).sort()).toEqual([
      'test.csv.gz',
      'test_ids.txt.gz',
      'train.csv.gz',
      'train_ids.txt.gz',
      'unsup.csv.gz',
    ]);
  });
});

describe('convertAclImdb refuses a bad tarball', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    work = await tempDir();
  });
  afterAll(() => work.remove());

  /** Builds a tarball with `make` in its own folder and returns how converting it failed. */
  const convertIn = async (
    name: string,
    make: (dir: string) => Promise<string>,
  ): Promise<{ error: ReelSenseError; out: string }> => {
    const dir = join(work.path, name);
    const tarball = await make(dir);
    const out = join(dir, 'imdb');
    return { error: await failure(convertAclImdb(tarball, out, { quiet: true })), out };
  };
  const outputFiles = async (out: string): Promise<string[]> => readdir(out).catch(() => []);

  it('a truncated download', async () => {
    const { error, out } = await convertIn('truncated', async (dir) => {
      const tarball = await buildTarball(dir);
      await truncate(tarball, Math.floor((await stat(tarball)).size / 2));
      return tarball;
    });
    expect(error.code).toBe('TARBALL_CORRUPT');
    expect(error.message).toMatch(/is not a complete aclImdb tarball \(.+\)\. Delete it and download it again/);
    expect(await outputFiles(out)).toEqual([]);
  });

  it('a file that is not a tarball', async () => {
    const { error } = await convertIn('html', async (dir) => {
      await buildTarball(dir); // creates dir
      const page = join(dir, 'page.html');
      await writeFile(page, '<html><body>Service unavailable</body></html>\n'.repeat(40));
      return page;
    });
    expect(error.code).toBe('TARBALL_CORRUPT');
  });

  it('a tarball without the test split', async () => {
    const { error, out } = await convertIn('no-test', (dir) =>
      buildTarball(
        dir,
        FIXTURE_REVIEWS.filter((r) => !r.path.startsWith('test/')),
      ),
    );
    expect(error.code).toBe('TARBALL_INCOMPLETE');
    expect(error.message).toContain('has no reviews in aclImdb/test/pos/, aclImdb/test/neg/.');
    expect(await outputFiles(out)).toEqual([]);
  });

  it('a review that is not UTF-8', async () => {
    const { error } = await convertIn('latin1', (dir) =>
      buildTarball(dir, [
        ...FIXTURE_REVIEWS,
        { path: 'train/neg/99_1.txt', content: Buffer.from('caf\xe9', 'latin1') },
      ]),
    );
    expect(error.code).toBe('TARBALL_BAD_TEXT');
    expect(error.message).toContain('"aclImdb/train/neg/99_1.txt" is not valid UTF-8');
  });

  it('a review folder holding a file not named <id>_<rating>.txt', async () => {
    const { error } = await convertIn('odd-name', (dir) =>
      buildTarball(dir, [...FIXTURE_REVIEWS, { path: 'test/pos/notes.txt', content: 'hi' }]),
    );
    expect(error.code).toBe('TARBALL_UNEXPECTED_FILE');
    expect(error.message).toContain('"aclImdb/test/pos/notes.txt"');
  });

  it('a tarball that does not exist', async () => {
    const error = await failure(convertAclImdb(join(work.path, 'nope.tar.gz'), join(work.path, 'x'), { quiet: true }));
    expect(error.code).toBe('TARBALL_UNREADABLE');
  });
});
