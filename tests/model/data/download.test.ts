import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from '../../../model/data/download.ts';
import { buildTarball, failure, serve, serveFile, sha256File, tempDir, type TestServer } from './aclimdb-fixture.ts';
import { freePort } from '../../helpers/ports.ts';

describe('downloadFile', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let tarball: string;
  let sha256: string;
  let server: TestServer & { fileUrl: string };
  beforeAll(async () => {
    work = await tempDir();
    tarball = await buildTarball(join(work.path, 'fixture'));
    sha256 = await sha256File(tarball);
    server = await serveFile(tarball);
  });
  afterAll(async () => {
    await server.close();
    await work.remove();
  });

  const filesIn = (dir: string): Promise<string[]> => readdir(dir).catch(() => []);

  it('saves the file when its sha256 matches, and leaves no .part file', async () => {
    const dest = join(work.path, 'ok', 'aclImdb_v1.tar.gz');
    const result = await downloadFile(server.fileUrl, dest, { sha256, quiet: true });
    expect(result).toEqual({ path: dest, bytes: (await readFile(tarball)).length, sha256 });
    expect(await readFile(dest)).toEqual(await readFile(tarball));
    expect(await filesIn(join(work.path, 'ok'))).toEqual(['aclImdb_v1.tar.gz']);
  });

  it('deletes a download whose sha256 is wrong and says expected vs got', async () => {
    const dir = join(work.path, 'bad-sum');
    const wrong = '0'.repeat(64);
    const error = await failure(downloadFile(server.fileUrl, join(dir, 'a.tar.gz'), { sha256: wrong, quiet: true }));
    expect(error.code).toBe('DOWNLOAD_CHECKSUM');
    expect(error.message).toContain(`sha256 ${sha256}`);
    expect(error.message).toContain(`expected ${wrong}`);
    expect(await filesIn(dir)).toEqual([]);
  });

  it('reports an HTTP error status', async () => {
    const dir = join(work.path, 'http');
    const error = await failure(
      downloadFile(`${server.url}/missing.tar.gz`, join(dir, 'a.tar.gz'), { sha256, quiet: true }),
    );
    expect(error.code).toBe('DOWNLOAD_HTTP');
    expect(error.message).toContain('the server answered HTTP 404 Not Found');
    expect(await filesIn(dir)).toEqual([]);
  });

  it('tells what to do when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}/aclImdb_v1.tar.gz`;
    const error = await failure(downloadFile(url, join(work.path, 'dead', 'a.tar.gz'), { sha256, quiet: true }));
    expect(error.code).toBe('DOWNLOAD_UNREACHABLE');
    expect(error.message).toMatch(
      /^Could not reach http:\/\/127\.0\.0\.1:\d+\/aclImdb_v1\.tar\.gz \(connect ECONNREFUSED .*\); check your connection, or put the dataset in a folder and set REELSENSE_DATA_DIR\.$/,
    );
  });

  it('gives up on a server that stops sending, and deletes the part file', async () => {
    const hung = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100)); // then nothing more
    });
    const dir = join(work.path, 'stall');
    try {
      const options = { sha256, quiet: true, stallTimeoutMs: 200 };
      const error = await failure(downloadFile(`${hung.url}/a.tar.gz`, join(dir, 'a.tar.gz'), options));
      expect(error.code).toBe('DOWNLOAD_STALLED');
      expect(error.message).toContain('No data came from');
      expect(await filesIn(dir)).toEqual([]);
    } finally {
      await hung.close();
    }
  });

  it('reports a connection cut before the end of the file', async () => {
    const cut = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100), () => res.destroy());
    });
    const dir = join(work.path, 'cut');
    try {
      const error = await failure(downloadFile(`${cut.url}/a.tar.gz`, join(dir, 'a.tar.gz'), { sha256, quiet: true }));
      expect(error.code).toBe('DOWNLOAD_INTERRUPTED');
      expect(error.message).toMatch(/broke off after \d+ bytes \(.+\); try again/);
      expect(await filesIn(dir)).toEqual([]);
    } finally {
      await cut.close();
    }
  });
});
