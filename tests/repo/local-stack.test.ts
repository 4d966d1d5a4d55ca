/**
 * `npm start`'s local stack as a user runs it: three servers as processes on the ports from the
 * environment, the chain answering end to end, a clean stop on Ctrl-C, and a clear message when
 * a port is taken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

interface Run {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startStack(env: Record<string, string>): Run {
  const child = spawn(TSX, ['scripts/local-stack.ts'], { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

async function until(condition: () => boolean, run: Run, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (run.child.exitCode !== null) throw new Error(`the stack exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let running: Run | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  blocker?.close();
  running = blocker = undefined;
});

describe('the local stack (npm start)', () => {
  it('brings up the page, the API and the endpoint, builds the extension, answers end to end, and stops on Ctrl-C', async () => {
    const [endpoint, api, web] = [await freePort(), await freePort(), await freePort()];
    running = startStack({
      REELSENSE_ENDPOINT_PORT: String(endpoint),
      REELSENSE_API_PORT: String(api),
      REELSENSE_WEB_PORT: String(web),
    });
    const run = running;
    await until(() => run.output().includes('local stack is up'), run, 90_000);
    expect(run.output()).toContain(`http://127.0.0.1:${web}/`);
    expect(run.output()).toContain(`http://127.0.0.1:${api}/sentiment`);
    expect(run.output()).toContain(`http://127.0.0.1:${endpoint}`);
    for (const browser of ['chrome', 'firefox']) {
      expect(run.output()).toContain(`extension/dist/${browser}`);
      expect(existsSync(`${ROOT}extension/dist/${browser}/manifest.json`)).toBe(true);
    }

    const answer = await fetch(`http://127.0.0.1:${api}/sentiment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'An awful, boring film. I hated it.' }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { results: { label: string }[] }).results[0]?.label).toBe('negative');
    const page = await fetch(`http://127.0.0.1:${web}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ReelSense');

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    // Every port is free again: nothing was left running.
    await expect(fetch(`http://127.0.0.1:${endpoint}/ping`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${api}/sentiment`, { method: 'OPTIONS' })).rejects.toThrow();
  }, 120_000);

  it('names the port and the variable when a port is taken', async () => {
    const taken = await freePort();
    blocker = createServer();
    const server = blocker;
    await new Promise<void>((resolve) => server.listen(taken, '127.0.0.1', resolve));
    running = startStack({
      REELSENSE_ENDPOINT_PORT: String(await freePort()),
      REELSENSE_API_PORT: String(taken),
      REELSENSE_WEB_PORT: String(await freePort()),
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(`Port ${taken} (the local gateway) is already in use`);
    expect(running.output()).toContain('REELSENSE_API_PORT=<port>');
  }, 60_000);
});
