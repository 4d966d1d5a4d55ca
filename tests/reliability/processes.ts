/**
 * The servers' commands as real processes for the fault tests: `node --import tsx <cli>` (one
 * process, so its pid is the server's own and `kill -9` hits the server), their output kept,
 * their exit awaited with a bound. Every process started here is killed after the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TINY = fileURLToPath(new URL('../fixtures/artifact-tiny/', import.meta.url));

export interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
}

const started: ChildProcess[] = [];

/** Kills (SIGKILL) every process started here that is still running. */
export function killAll(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** `node --import tsx <script> ...args` from the repository root, with none of this machine's AWS settings. */
export function startCli(script: string, args: readonly string[], env: Record<string, string> = {}): Running {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|SAGEMAKER_|REELSENSE_)/.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as string));
  return { child, output: () => output, exited };
}

/** Resolves with the first match of `pattern` in the output; rejects if the process exits or `ms` pass first. */
export async function waitForOutput(running: Running, pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(running.output());
    if (match !== null) return match;
    if (running.child.exitCode !== null || running.child.signalCode !== null) {
      throw new Error(`exited before printing ${String(pattern)}:\n${running.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${ms} ms:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The exit code (or signal), or `still running` after `ms`. */
export function exitWithin(running: Running, ms: number): Promise<number | string> {
  return Promise.race([
    running.exited,
    new Promise<string>((resolve) => {
      setTimeout(() => {
        resolve('still running');
      }, ms).unref();
    }),
  ]);
}

/** The endpoint server's command on `port` with the tiny model (or `modelDir`), ready to serve. */
export async function startEndpointCli(port: number, modelDir = TINY): Promise<Running> {
  const running = startCli('backend/endpoint/cli.ts', ['--port', String(port), '--model-dir', modelDir]);
  await waitForOutput(running, /model \S+ ready in \d+ ms/);
  return running;
}
