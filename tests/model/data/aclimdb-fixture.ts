/**
 * Shared by the dataset tests: a tiny aclImdb tarball built with `tar`, a real HTTP server on
 * 127.0.0.1, and the README's conversion run by real Python as the oracle.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';
import { ReelSenseError } from '../../../common/errors.ts';

/** A review file: `path` is relative to `aclImdb/`. */
export interface FixtureFile {
  readonly path: string;
  readonly content: string | Buffer;
}

/** Reviews that exercise CSV quoting, HTML, non-ASCII, a BOM and numeric (not text) id order. */
const HANDWRITTEN: FixtureFile[] = [
  {
    path: 'train/pos/0_9.txt',
    content: 'Bromwell High is a cartoon comedy. <br /><br />It ran at the same time as some other programs.',
  },
  { path: 'train/pos/10_10.txt', content: 'A "masterpiece", truly; I said: ""wow"".' },
  { path: 'train/pos/2_8.txt', content: 'Amélie meets Godzilla — 最高の映画 🎬, five stars' },
  { path: 'train/neg/0_1.txt', content: 'Dull, dull, dull.<br />Avoid.' },
  { path: 'train/neg/11_2.txt', content: '\ufeffStarts with a byte order mark, which must be kept' },
  { path: 'train/neg/3_4.txt', content: '"Quoted from start to end"' },
  {
    path: 'test/pos/0_10.txt',
    content: 'I went and saw this movie last night after being coaxed to by a few friends of mine.',
  },
  { path: 'test/pos/100_7.txt', content: "Ça va, c'est bien." },
  { path: 'test/pos/12_9.txt', content: 'Tabs\tand  double  spaces stay as they are' },
  { path: 'test/neg/0_2.txt', content: 'No comma here' },
  { path: 'test/neg/9_3.txt', content: 'Comma, here' },
  { path: 'test/neg/1_4.txt', content: 'A lone quote " in the middle' },
  { path: 'train/unsup/0_0.txt', content: 'Unlabelled, with a comma' },
  { path: 'train/unsup/10_0.txt', content: 'Unlabelled ten' },
  { path: 'train/unsup/2_0.txt', content: '' },
  { path: 'train/unsup/1_0.txt', content: 'Unlabelled "one"' },
];

/** A few more rows per class, so the shuffle has something to shuffle. */
const GENERATED: FixtureFile[] = ['train/pos', 'train/neg', 'test/pos', 'test/neg'].flatMap((folder, f) =>
  Array.from({ length: 9 }, (_, i) => ({
    path: `${folder}/${20 + i * 7}_${folder.endsWith('pos') ? 7 + (i % 4) : 1 + (i % 4)}.txt`,
    content: `Review ${f}-${i} of ${folder}${i % 3 === 0 ? ', with a comma' : ''}`,
  })),
);

export const FIXTURE_REVIEWS: readonly FixtureFile[] = [...HANDWRITTEN, ...GENERATED];

/** Files the real tarball has besides reviews; the converter must skip them. */
const OTHER_FILES: FixtureFile[] = [
  { path: 'README', content: 'Large Movie Review Dataset v1.0\n' },
  { path: 'imdb.vocab', content: 'the\nand\n' },
  { path: 'train/labeledBow.feat', content: '9 0:9 1:1\n' },
  { path: 'train/urls_pos.txt', content: 'http://www.imdb.com/title/tt0453418/usercomments\n' },
];

export async function tempDir(prefix = 'reelsense-aclimdb-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes `aclImdb/...` under `dir` and packs it as `<dir>/<name>`; returns the tarball's path. */
export async function buildTarball(
  dir: string,
  files: readonly FixtureFile[] = FIXTURE_REVIEWS,
  name = 'aclImdb_v1.tar.gz',
): Promise<string> {
  const root = join(dir, 'src');
  for (const file of [...OTHER_FILES, ...files]) {
    const path = join(root, 'aclImdb', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
  const tarball = join(dir, name);
  await create({ gzip: true, file: tarball, cwd: root, portable: true }, ['aclImdb']);
  return tarball;
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port. */
export async function serve(handler: RequestListener): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Serves one file at `/aclImdb_v1.tar.gz` and 404 elsewhere. */
export async function serveFile(path: string): Promise<TestServer & { fileUrl: string }> {
  const body = await readFile(path);
  const server = await serve((req, res) => {
    if (req.url !== '/aclImdb_v1.tar.gz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': body.length }).end(body);
  });
  return { ...server, fileUrl: `${server.url}/aclImdb_v1.tar.gz` };
}

export const hasPython = spawnSync('python3', ['--version']).status === 0;

/** The README's procedure, in Python, reading the same tarball: the independent oracle. */
const README_PROCEDURE = String.raw`
import csv, io, json, random, re, sys, tarfile
rows = {"train": [], "test": []}
unsup = []
with tarfile.open(sys.argv[1], "r:*") as tf:
    for m in tf.getmembers():
        hit = re.fullmatch(r"aclImdb/(train|test)/(pos|neg|unsup)/(\d+)_(\d+)\.txt", m.name)
        if not hit or not m.isfile():
            continue
        text = tf.extractfile(m).read().decode("utf-8")
        rel = m.name[len("aclImdb/"):]
        if hit[2] == "unsup":
            unsup.append((int(hit[3]), text))
        else:
            rows[hit[1]].append((1 if hit[2] == "pos" else 0, int(hit[3]), rel, text))
out = {}
for split, r in rows.items():
    r.sort(key=lambda x: (-x[0], x[1]))
    random.Random(20110619).shuffle(r)
    f = io.StringIO()
    w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(["label", "text"])
    for label, _, _, text in r:
        w.writerow([label, text])
    out[split] = f.getvalue()
    out[split + "_ids"] = "".join(rel + "\n" for _, _, rel, _ in r)
unsup.sort()
f = io.StringIO()
w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
w.writerow(["text"])
for _, text in unsup:
    w.writerow([text])
out["unsup"] = f.getvalue()
print(json.dumps(out))
`;

export interface PythonConversion {
  readonly train: string;
  readonly test: string;
  readonly train_ids: string;
  readonly test_ids: string;
  readonly unsup: string;
}

export function pythonConversion(tarball: string): PythonConversion {
  const result = spawnSync('python3', ['-c', README_PROCEDURE, tarball], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as PythonConversion;
}

/** The ReelSenseError a call fails with; anything else (success included) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<ReelSenseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReelSenseError) return error;
    throw error;
  }
  throw new Error('expected a ReelSenseError, but the call succeeded');
}
