/**
 * Checks that converting the official tarball reproduces the shared dataset exactly.
 *
 *   npx tsx model/data/verify-aclimdb-conversion.ts [--keep]
 *
 * There is no internet here, so it rebuilds a full aclImdb tarball from `../shared/data/imdb`
 * (reviews from the CSVs, file names from the `_ids` files, unsup file i = `train/unsup/<i>_0.txt`
 * since unsup.csv.gz is ordered by review id 0..49,999), converts it with model/data/aclimdb.ts, and
 * compares each output with the shared file: sha256 of the gunzipped text (the contract), and for
 * information the gzip bytes too. Slow (about a minute); not part of the test suite.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { create } from 'tar';
import { convertAclImdb } from './aclimdb.ts';
import { readGzipText, readLabelledCsv, readTextCsv } from './csv.ts';
import { SHARED_DATA_DIR } from './locate.ts';

const OUTPUTS = ['train.csv.gz', 'test.csv.gz', 'train_ids.txt.gz', 'test_ids.txt.gz', 'unsup.csv.gz'];
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Writes every review of the shared copy as aclImdb/<path>, plus stand-ins for the tarball's other files. */
async function writeTree(root: string): Promise<number> {
  const files = new Map<string, string>();
  for (const split of ['train', 'test']) {
    const rows = await readLabelledCsv(join(SHARED_DATA_DIR, `${split}.csv.gz`));
    const ids = (await readGzipText(join(SHARED_DATA_DIR, `${split}_ids.txt.gz`))).split('\n');
    if (ids.pop() !== '' || ids.length !== rows.length) throw new Error(`${split}_ids does not match ${split}.csv`);
    rows.forEach((row, i) => {
      const path = ids[i] ?? '';
      if (!path.includes(row.label === 1 ? '/pos/' : '/neg/')) throw new Error(`${path} has label ${row.label}`);
      files.set(path, row.text);
    });
  }
  (await readTextCsv(join(SHARED_DATA_DIR, 'unsup.csv.gz'))).forEach((text, i) =>
    files.set(`train/unsup/${i}_0.txt`, text),
  );
  for (const other of [
    'README',
    'imdb.vocab',
    'imdbEr.txt',
    'train/labeledBow.feat',
    'train/unsupBow.feat',
    'train/urls_pos.txt',
    'train/urls_neg.txt',
    'train/urls_unsup.txt',
    'test/labeledBow.feat',
    'test/urls_pos.txt',
    'test/urls_neg.txt',
  ]) {
    files.set(other, `stand-in for ${other}\n`);
  }
  const dirs = new Set([...files.keys()].map((path) => dirname(join(root, 'aclImdb', path))));
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  for (const [path, text] of files) await writeFile(join(root, 'aclImdb', path), text);
  return files.size;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'reelsense-verify-'));
  const started = performance.now();
  try {
    const count = await timed('wrote the aclImdb tree from the shared CSVs', () => writeTree(join(work, 'src')));
    const tarball = join(work, 'aclImdb_v1.tar.gz');
    await timed('packed the tarball', () =>
      create({ gzip: true, file: tarball, cwd: join(work, 'src'), portable: true }, ['aclImdb']),
    );
    console.log(`tarball: ${count} files, ${((await stat(tarball)).size / 2 ** 20).toFixed(1)} MiB`);
    await rm(join(work, 'src'), { recursive: true });

    const out = join(work, 'imdb');
    const summary = await timed('converted with model/data/aclimdb.ts', () => convertAclImdb(tarball, out));
    console.log(`rows: train ${summary.train}, test ${summary.test}, unsup ${summary.unsup}`);

    let same = true;
    for (const name of OUTPUTS) {
      const ours = await readFile(join(out, name));
      const shared = await readFile(join(SHARED_DATA_DIR, name));
      const [a, b] = [gunzipSync(ours), gunzipSync(shared)];
      const match = sha256(a) === sha256(b);
      same &&= match;
      console.log(
        `${match ? 'IDENTICAL' : 'DIFFERENT'}  ${name}: text ${a.length} B sha256 ${sha256(a)}` +
          (match ? '' : ` (shared: ${b.length} B ${sha256(b)})`) +
          `; gzip bytes ${sha256(ours) === sha256(shared) ? 'also identical' : `differ (${ours.length} vs ${shared.length} B)`}`,
      );
    }
    console.log(
      `${same ? 'PASS' : 'FAIL'}: converted text ${same ? 'is' : 'is not'} byte-identical to ${SHARED_DATA_DIR}`,
    );
    console.log(`total: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (!same) process.exitCode = 1;
  } finally {
    if (process.argv.includes('--keep')) console.log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

await main();
