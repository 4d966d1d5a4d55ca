/**
 * The servers as child processes, started as `npm start` starts them (`tsx <script>`), and their
 * pid under tsx's launcher; ./proc.ts reads their memory and CPU time from /proc. Linux only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReelSenseError } from '../../common/errors.ts';

export { cpuMs, peakRssKb, rssKb } from './proc.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
export const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120_000;

export interface ServerProcess {
  readonly name: string;
  readonly script: string;
  readonly url: string;
  readonly launcher: ChildProcess;
  readonly logFile: string;
  /** Set when the process stops while it should be running. */
  died: string | undefined;
  stopping: boolean;
}

export async function freePorts(count: number): Promise<number[]> {
  const probes: NetServer[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const probe = createNetServer();
      probes.push(probe);
      ports.push(
        await new Promise<number>((resolvePort, reject) => {
          probe.once('error', reject);
          probe.listen(0, HOST, () => {
            const address = probe.address();
            resolvePort(typeof address === 'object' && address !== null ? address.port : 0);
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(probes.map((probe) => new Promise((done) => probe.close(done))));
  }
}

/** `tsx <script> ...args` in its own process group, its output to a log file (tailed if it dies). */
export function startServer(name: string, script: string, args: string[], url: string, logDir: string): ServerProcess {
  const logFile = join(logDir, `${name.replace(/\W+/g, '-')}.log`);
  const fd = openSync(logFile, 'a');
  // Output goes to a file, not a pipe: a server writing its access log never waits on this process.
  const launcher = spawn(TSX, [join(ROOT, script), ...args], {
    cwd: ROOT,
    env: serverEnv(),
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const server: ServerProcess = { name, script, url, launcher, logFile, died: undefined, stopping: false };
  launcher.once('exit', (code, signal) => {
    if (!server.stopping) server.died = `exit ${code ?? signal ?? '?'}`;
  });
  launcher.once('error', (error) => {
    server.died = error.message;
  });
  return server;
}

/** The environment both servers get: ours, with the AWS settings pinned to the local endpoint. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    SAGEMAKER_ENDPOINT_NAME: 'reelsense-bench',
    // The gateway throttles each client as API Gateway's stage does (50/s by default); a benchmark
    // is one client measuring the chain's own speed, so throttling is off (backend/gateway/rate-limit.ts).
    REELSENSE_RATE_LIMIT: '0',
  };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME']) {
    env[name] = undefined;
  }
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

export function logTail(server: ServerProcess, lines = 20): string {
  try {
    const text = readFileSync(server.logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

function diedError(server: ServerProcess): ReelSenseError {
  return new ReelSenseError(
    'SERVER_DIED',
    `The ${server.name} stopped (${server.died ?? '?'}). Its last lines:\n${logTail(server)}`,
  );
}

export function assertAlive(servers: readonly ServerProcess[]): void {
  for (const server of servers) if (server.died !== undefined) throw diedError(server);
}

export async function waitFor(server: ServerProcess, path: string, method: string, status: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    assertAlive([server]);
    try {
      const response = await fetch(`${server.url}${path}`, { method, signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new ReelSenseError(
    'SERVER_NOT_READY',
    `The ${server.name} did not answer ${method} ${path} with ${status} within ${READY_TIMEOUT_MS / 1000} s. Its last lines:\n${logTail(server)}`,
  );
}

/** The children of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * The process that runs the server. tsx's launcher (the pid we spawned) starts a second node
 * process with its loader that runs the script (and that one starts esbuild): the server is the
 * launcher's descendant whose command line names the script, not the launcher itself.
 */
export function serverPid(server: ServerProcess): number | undefined {
  const root = server.launcher.pid;
  if (root === undefined) return undefined;
  const script = join(ROOT, server.script);
  const queue = childrenOf(root);
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const argv = commandLine(pid);
    if (argv.some((arg) => arg === script || resolve(ROOT, arg) === script)) return pid;
    queue.push(...childrenOf(pid));
  }
  return undefined;
}

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function stopServer(server: ServerProcess): Promise<void> {
  server.stopping = true;
  const { launcher } = server;
  if (launcher.pid === undefined) return;
  const group = launcher.pid;
  if (launcher.exitCode === null && launcher.signalCode === null) {
    const exited = new Promise<void>((done) =>
      launcher.once('exit', () => {
        done();
      }),
    );
    // SIGTERM to the server itself (it finishes in-flight requests and exits; tsx's launcher follows).
    const pid = serverPid(server) ?? group;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      killGroup(group);
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(group); // whatever is left in its group (esbuild's service)
}

function killGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // nothing left
  }
}

/**
 * The servers a benchmark starts, and their end: `stopAll()` stops them (once, however often it
 * is called), Ctrl-C or SIGTERM stops them and exits 130, and if this process exits any other
 * way their process groups are killed, so no server is ever left behind.
 */
export class ServerGroup {
  readonly servers: ServerProcess[] = [];
  #stopped: Promise<void> | undefined;

  constructor(readonly logDir: string) {
    const interrupted = (signal: NodeJS.Signals): void => {
      process.stderr.write(`\n${signal}: stopping the servers.\n`);
      void this.stopAll().finally(() => {
        rmSync(logDir, { recursive: true, force: true });
        process.exit(130);
      });
    };
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    // Last resort (an exception on the way out): never leave a server behind.
    process.once('exit', () => {
      for (const server of this.servers) if (server.launcher.pid !== undefined) killGroup(server.launcher.pid);
    });
  }

  start(name: string, script: string, args: string[], url: string): ServerProcess {
    const server = startServer(name, script, args, url, this.logDir);
    this.servers.push(server);
    return server;
  }

  stopAll(): Promise<void> {
    return (this.#stopped ??= Promise.all(this.servers.map(stopServer)).then(() => undefined));
  }

  /** Stops the servers; removes the logs unless a server died, whose logs are kept and named. */
  async close(): Promise<void> {
    await this.stopAll();
    const died = this.servers.filter((s) => s.died !== undefined);
    if (died.length === 0) rmSync(this.logDir, { recursive: true, force: true });
    else process.stderr.write(`server logs kept in ${this.logDir}\n`);
  }
}
