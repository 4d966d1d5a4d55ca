/**
 * Downloads one file with a progress bar, hashing it as it streams. The bytes go to `<file>.part`,
 * which becomes `<file>` only when its sha256 is the expected one, so a file under the final name
 * is always complete and genuine. Node-only (global fetch, Node 20).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { progress } from '../../common/cli/progress.ts';
import { ReelSenseError } from '../../common/errors.ts';

export interface DownloadOptions {
  /** Lower-case hex sha256 the file must have. */
  readonly sha256: string;
  /** Give up when no bytes arrive for this long (ms). Default 60 s. */
  readonly stallTimeoutMs?: number;
  /** No progress bar (tests). */
  readonly quiet?: boolean;
}

export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

const DEFAULT_STALL_MS = 60_000;
const FALLBACK = 'check your connection, or put the dataset in a folder and set REELSENSE_DATA_DIR';
/** undici hides the socket error (ECONNREFUSED, ENOTFOUND, ...) in `cause`; say it. */
function reason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    // An AggregateError (every address refused) has an empty message but a code.
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : '';
    return (cause.message.trim().split('\n')[0] ?? '') || code || cause.name;
  }
  return error instanceof Error ? error.message : String(error);
}

export async function downloadFile(url: string, path: string, options: DownloadOptions): Promise<DownloadResult> {
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Re-armed on every chunk: a slow download is fine, a silent one is not.
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort();
    }, stallMs);
  };
  const stalled = (cause: unknown): ReelSenseError =>
    new ReelSenseError(
      'DOWNLOAD_STALLED',
      `No data came from ${url} for ${stallMs / 1000} s; try again later, or ${FALLBACK}.`,
      { cause },
    );

  const part = `${path}.part`;
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    arm();
    let response: Response;
    try {
      // identity: the hash is of the file as published, not of a re-encoded transfer.
      response = await fetch(url, { signal: controller.signal, headers: { 'accept-encoding': 'identity' } });
    } catch (cause) {
      if (controller.signal.aborted) throw stalled(cause);
      throw new ReelSenseError('DOWNLOAD_UNREACHABLE', `Could not reach ${url} (${reason(cause)}); ${FALLBACK}.`, {
        cause,
      });
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new ReelSenseError(
        'DOWNLOAD_HTTP',
        `Downloading ${url} failed: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}. Try again later, or ${FALLBACK}.`,
      );
    }
    const lengthHeader = Number(response.headers.get('content-length') ?? '');
    const total = Number.isSafeInteger(lengthHeader) && lengthHeader > 0 ? lengthHeader : 0;

    await mkdir(dirname(path), { recursive: true });
    file = await open(part, 'w');
    const hash = createHash('sha256');
    const bar = progress(`Downloading ${basename(path)}`, total, 'B', options);
    let bytes = 0;
    const reader = response.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        if (controller.signal.aborted) throw stalled(cause);
        throw new ReelSenseError(
          'DOWNLOAD_INTERRUPTED',
          `The download from ${url} broke off after ${bytes} bytes (${reason(cause)}); try again, or ${FALLBACK}.`,
          { cause },
        );
      }
      if (chunk.done) break;
      arm();
      hash.update(chunk.value);
      // write() may take fewer bytes than offered (a full disk, say); go on from there.
      for (let at = 0; at < chunk.value.length;) at += (await file.write(chunk.value, at)).bytesWritten;
      bytes += chunk.value.length;
      bar.update(bytes);
    }
    await file.close();
    file = undefined;

    const sha256 = hash.digest('hex');
    if (sha256 !== options.sha256.toLowerCase()) {
      throw new ReelSenseError(
        'DOWNLOAD_CHECKSUM',
        `The file from ${url} is not the expected one: sha256 ${sha256} (${bytes} bytes), expected ${options.sha256}. It was deleted; try again, and if this keeps happening the server sends a different file.`,
      );
    }
    await rename(part, path);
    bar.finish(`${bytes} bytes, sha256 ok`);
    return { path, bytes, sha256 };
  } catch (error) {
    await file?.close().catch(() => undefined);
    await rm(part, { force: true });
    if (error instanceof ReelSenseError) throw error;
    throw new ReelSenseError(
      'DOWNLOAD_WRITE_FAILED',
      `Cannot save the download to ${part}: ${(error as Error).message}.`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}
