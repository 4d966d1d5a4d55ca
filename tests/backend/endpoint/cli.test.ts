/**
 * The endpoint command as SageMaker starts it (`serve`, model in REELSENSE_MODEL_DIR, port in
 * SAGEMAKER_BIND_TO_PORT), run as a real process: it serves, stops cleanly on SIGTERM, and
 * refuses to stay up with a bad model or a taken port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TINY = join(ROOT, 'tests/fixtures/artifact-tiny');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Running {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function start(
  args: readonly string[],
  env: Record<string, string>,
  command = [TSX, 'backend/endpoint/cli.ts'],
): Running {
  const [program = '', ...before] = command;
  const child = spawn(program, [...before, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as string));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves when stdout has a line matching `pattern`; rejects if the process exits first. */
async function waitFor(running: Running, pattern: RegExp): Promise<void> {
  const exited = running.exited.then((code) => {
    throw new Error(`exited (${code}) before printing ${pattern}:\n${running.stdout()}\n${running.stderr()}`);
  });
  exited.catch(() => undefined);
  const seen = new Promise<void>((resolve) => {
    const check = (): void => {
      if (pattern.test(running.stdout())) resolve();
      else running.child.stdout?.once('data', check);
    };
    check();
  });
  await Promise.race([seen, exited]);
}

/** Serves tiny-test from a copy on a free port; checks /ping and one invocation. */
async function checkServes(running: Running, port: number): Promise<void> {
  await waitFor(running, /model tiny-test ready in \d+ ms/);
  const url = `http://127.0.0.1:${port}`;
  expect((await fetch(`${url}/ping`)).status).toBe(200);
  const invocation = await fetch(`${url}/invocations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ instances: ['great great loved', 'awful boring terrible'] }),
  });
  expect(await invocation.json()).toMatchObject({
    predictions: [{ label: 'positive' }, { label: 'negative' }],
    model: 'tiny-test',
  });
}

async function tinyCopy(corrupt = false): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsense-cli-'));
  dirs.push(dir);
  for (const name of ['model.onnx', 'vocab.json', 'card.json']) await copyFile(join(TINY, name), join(dir, name));
  if (corrupt) {
    const bytes = await readFile(join(dir, 'model.onnx'));
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    await writeFile(join(dir, 'model.onnx'), bytes);
  }
  return dir;
}

describe('tsx backend/endpoint/cli.ts serve', () => {
  it('serves the model from REELSENSE_MODEL_DIR on SAGEMAKER_BIND_TO_PORT and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const running = start(['serve'], { REELSENSE_MODEL_DIR: await tinyCopy(), SAGEMAKER_BIND_TO_PORT: String(port) });
    await checkServes(running, port);
    expect(running.stdout()).toMatch(new RegExp(`listening on http://0\\.0\\.0\\.0:${port}`));
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('exits 1 with the error code when the model is corrupt', async () => {
    const running = start(['serve'], {
      REELSENSE_MODEL_DIR: await tinyCopy(true),
      SAGEMAKER_BIND_TO_PORT: String(await freePort()),
    });
    expect(await running.exited).toBe(1);
    expect(running.stderr()).toMatch(/error \[ARTIFACT_CORRUPT\]: model\.onnx in .* does not match its model card/);
    expect(running.stderr()).not.toMatch(/\n\s+at /);
  });

  it('prefers --model-dir and --port over the environment', async () => {
    const port = await freePort();
    const running = start(['serve', '--model-dir', await tinyCopy(), '--port', String(port), '--host', '127.0.0.1'], {
      REELSENSE_MODEL_DIR: '/nonexistent',
      SAGEMAKER_BIND_TO_PORT: 'not a port',
    });
    await waitFor(running, /ready/);
    expect((await fetch(`http://127.0.0.1:${port}/ping`)).status).toBe(200);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const holder = createServer();
    holder.listen(0, '0.0.0.0');
    await once(holder, 'listening');
    const address = holder.address();
    const port = address !== null && typeof address !== 'string' ? address.port : 0;
    try {
      const running = start(['serve'], { REELSENSE_MODEL_DIR: await tinyCopy(), SAGEMAKER_BIND_TO_PORT: String(port) });
      expect(await running.exited).toBe(1);
      expect(running.stderr()).toMatch(
        new RegExp(`error \\[PORT_IN_USE\\]: Port ${port} is already in use.*SAGEMAKER_BIND_TO_PORT=<port>`),
      );
    } finally {
      holder.close();
    }
  });

  it.each([
    [['serve', '--bogus', '1'], {}, /Unknown option --bogus/],
    [['serve'], { SAGEMAKER_BIND_TO_PORT: '80a' }, /SAGEMAKER_BIND_TO_PORT must be a whole number/],
    [['serve', '--max-batch', '0'], {}, /--max-batch must be a positive integer/],
  ])('refuses %j %j with exit 1', async (args, env, message) => {
    const running = start(args, { REELSENSE_MODEL_DIR: TINY, ...env });
    expect(await running.exited).toBe(1);
    expect(running.stderr()).toMatch(new RegExp(`error \\[BAD_OPTION\\]: ${message.source}`));
  });
});

describe('the bundle that backend/Dockerfile builds', () => {
  it('serves the same way with plain node', async () => {
    // The Dockerfile's own esbuild line, with the output moved to an ignored folder inside the
    // repository so that node finds onnxruntime-node in node_modules, as the image does.
    const dockerfile = await readFile(join(ROOT, 'backend/Dockerfile'), 'utf8');
    const line = /^RUN (node_modules\/\.bin\/esbuild .*)$/m.exec(dockerfile)?.[1];
    expect(line).toBeDefined();
    const out = join(ROOT, 'node_modules/.cache', `reelsense-endpoint-${process.pid}`);
    dirs.push(out);
    await mkdir(out, { recursive: true });
    const [esbuild = '', ...args] = (line ?? '').split(/\s+/);
    const outfile = join(out, 'endpoint.mjs');
    await promisify(execFile)(
      esbuild,
      args.map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg)),
      {
        cwd: ROOT,
      },
    );

    const port = await freePort();
    const running = start(['serve', '--model-dir', await tinyCopy()], { SAGEMAKER_BIND_TO_PORT: String(port) }, [
      process.execPath,
      outfile,
    ]);
    await checkServes(running, port);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });
});
