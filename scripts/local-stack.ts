/**
 * The local stack (DESIGN.md, "Local stack"), and the one launcher that brings it up for
 * `npm start`, the tests and the benchmarks: the endpoint server with a model artifact, and the
 * local gateway running the Lambda handler against it through the AWS SDK.
 *
 * - startStack(): each server its own process (`node --import tsx <cli>`: the pid is the server's
 *   own, for /proc and signals), in its own process group, on the ports asked for or free ones;
 *   resolves once both answer (the endpoint: once its model is loaded). `npm start`, the
 *   benchmarks and the fuzz runner use it.
 * - startServer(): one server process on its own, for the fault tests (kill -9, SIGTERM).
 * - startStackInProcess(): both servers in this process, for tests that need no processes.
 *
 * Run as a script (`npm start`, via scripts/start.mjs) it also serves the web page and builds the
 * browser extension for Chrome and Firefox, prints the URLs, and stops everything on Ctrl-C or
 * when a server dies.
 *
 *   npm start        (ports: REELSENSE_ENDPOINT_PORT 8080, REELSENSE_API_PORT 3000, REELSENSE_WEB_PORT 5173)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EndpointServer } from '../backend/endpoint/server.ts';
import type { RunningServer } from '../backend/listen.ts';
import type { Limits } from '../public-api/contract.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5000;

// ---------------------------------------------------------------------------------------------
// One server process

export interface ServerSpec {
  /** In messages: "the endpoint server". */
  readonly name: string;
  /** The entry point, relative to the repository root. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Added to this process's environment, from which AWS_* and SAGEMAKER_* are always left out. */
  readonly env?: Readonly<Record<string, string>>;
  /** Leave out REELSENSE_* too: the server sees only what `env` sets (tests). */
  readonly isolated?: boolean;
  /**
   * Where its output goes: kept in memory (the default); kept and also written to our stdout, each
   * line tagged (`npm start`); or appended to a file, so a server writing its access log never
   * waits on a pipe (benchmarks).
   */
  readonly output?: 'keep' | { readonly tag: string } | { readonly logFile: string };
  /** Its base URL, once known. */
  readonly url?: string;
}

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** The server's own pid (no launcher in between), also its process group's id. */
  readonly pid: number | undefined;
  readonly logFile: string | undefined;
  /** Resolves with the exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  /** Everything it has written so far. */
  output(): string;
  /** Why it stopped, when it stopped without being asked to. */
  died: string | undefined;
  stopping: boolean;
}

const live = new Set<ServerProcess>();
let exitHookInstalled = false;

function killGroup(server: ServerProcess): void {
  if (server.pid === undefined) return;
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // nothing left
  }
}

/** `node --import tsx <script> ...args` from the repository root, in a process group of its own. */
export function startServer(spec: ServerSpec): ServerProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort (an exception, process.exit): never leave a server behind.
    process.once('exit', () => {
      for (const server of live) killGroup(server);
    });
  }
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(AWS_|SAGEMAKER_)/.test(name) && !(spec.isolated === true && name.startsWith('REELSENSE_')),
    ),
  );
  const output = spec.output ?? 'keep';
  const fd = typeof output === 'object' && 'logFile' in output ? openSync(output.logFile, 'a') : undefined;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, spec.script), ...(spec.args ?? [])], {
    cwd: ROOT,
    env: { ...env, ...spec.env },
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
    detached: true,
  });
  if (fd !== undefined) closeSync(fd);
  let kept = '';
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    stream.setEncoding('utf8').on('data', (chunk: string) => (kept += chunk));
    if (typeof output === 'object' && 'tag' in output) {
      const tag = `[${output.tag}]`.padEnd(11);
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}${line}\n`));
    }
  }
  const logFile = fd === undefined ? undefined : (output as { logFile: string }).logFile;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(server);
      if (!server.stopping) server.died = `exit ${code ?? signal ?? '?'}`;
      resolve(code ?? signal ?? '?');
    });
    child.once('error', (error) => {
      live.delete(server);
      server.died = error.message;
      resolve(error.message);
    });
  });
  const server: ServerProcess = {
    name: spec.name,
    url: spec.url ?? '',
    child,
    pid: child.pid,
    logFile,
    exited,
    output: () => {
      if (logFile === undefined) return kept;
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    died: undefined,
    stopping: false,
  };
  live.add(server);
  return server;
}

const tail = (server: ServerProcess, lines = 20): string =>
  server.output().trimEnd().split('\n').slice(-lines).join('\n') || '(no output)';

/** Throws, with the last lines it wrote, if a server stopped without being asked to. */
export function assertAlive(servers: readonly ServerProcess[]): void {
  for (const server of servers) {
    if (server.died !== undefined) {
      throw new Error(`The ${server.name} stopped (${server.died}). Its last lines:\n${tail(server)}`);
    }
  }
}

/** Polls `path` until it answers `method` with `status`; fails early if the server stops. */
async function waitUntilReady(server: ServerProcess, path: string, method: string, status: number) {
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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `The ${server.name} did not answer ${method} ${path} with ${status} within ${READY_TIMEOUT_MS / 1000} s. Its last lines:\n${tail(server)}`,
  );
}

/** Resolves with the first match of `pattern` in the output; rejects if the server exits or `ms` pass first. */
export async function waitForOutput(server: ServerProcess, pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(server.output());
    if (match !== null) return match;
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`exited before printing ${String(pattern)}:\n${server.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${ms} ms:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The exit code (or signal), or `still running` after `ms`. */
export function exitWithin(server: ServerProcess, ms: number): Promise<number | string> {
  return Promise.race([
    server.exited,
    new Promise<string>((resolve) => {
      setTimeout(() => {
        resolve('still running');
      }, ms).unref();
    }),
  ]);
}

/** SIGTERM (the server finishes in-flight requests and exits), SIGKILL to its group after 5 s. */
async function stopServer(server: ServerProcess): Promise<void> {
  server.stopping = true;
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      killGroup(server);
    }, STOP_GRACE_MS);
    await server.exited;
    clearTimeout(timer);
  }
  killGroup(server); // whatever is left in its group (esbuild's service)
}

/** `count` TCP ports on 127.0.0.1 that nothing listens on, all different. */
async function freePorts(count: number): Promise<number[]> {
  const probes: NetServer[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const probe = createNetServer();
      probes.push(probe);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          probe.once('error', reject);
          probe.listen(0, HOST, () => {
            const address = probe.address();
            resolve(typeof address === 'object' && address !== null ? address.port : 0);
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(probes.map((probe) => new Promise((done) => probe.close(done))));
  }
}

// ---------------------------------------------------------------------------------------------
// The stack as processes

export interface StackOptions {
  /** Ports; absent: free ones. */
  readonly endpointPort?: number;
  readonly gatewayPort?: number;
  /** The model folder (--model-dir); the endpoint server's default (the shipped model) when absent. */
  readonly artifactDir?: string;
  /** The endpoint server's batcher wait (--max-wait-ms); its default when absent. */
  readonly maxWaitMs?: string;
  /** ONNX Runtime's intra-op threads in the endpoint server (--threads); its default when absent. */
  readonly threads?: number;
  /**
   * The gateway throttles each client as API Gateway's stage does (on by default). A benchmark or
   * a fuzzer is one client measuring the chain itself: `throttling: false` sets REELSENSE_RATE_LIMIT=0.
   */
  readonly throttling?: boolean;
  /** The servers' output: tagged lines on stdout (`npm start`), or a log file each in a temporary folder (the default). */
  readonly output?: 'tagged' | 'log-files';
  /** Ctrl-C or SIGTERM stops the servers, then exits with this code. */
  readonly exitOnSignal?: number;
  /** Called when a server stops without being asked to, after the stack is up. */
  readonly onDied?: (server: ServerProcess) => void;
}

export interface Stack {
  readonly endpoint: ServerProcess;
  readonly gateway: ServerProcess;
  readonly endpointUrl: string;
  readonly gatewayUrl: string;
  /** The model version the endpoint server reports on /ping. */
  readonly model: string;
  /** Throws if a server has stopped. */
  assertAlive(): void;
  /** Stops both servers (once, however often called); removes their logs unless one died. */
  close(): Promise<void>;
}

/** Starts both servers and waits until each answers. On failure both are stopped again. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [freeEndpoint = 0, freeGateway = 0] = await freePorts(2);
  const endpointPort = options.endpointPort ?? freeEndpoint;
  const gatewayPort = options.gatewayPort ?? freeGateway;
  const endpointUrl = `http://${HOST}:${endpointPort}`;
  const gatewayUrl = `http://${HOST}:${gatewayPort}`;
  const logDir = options.output === 'tagged' ? undefined : mkdtempSync(join(tmpdir(), 'reelsense-stack-'));
  const output = (tag: string): NonNullable<ServerSpec['output']> =>
    logDir === undefined ? { tag } : { logFile: join(logDir, `${tag}.log`) };
  if (logDir !== undefined) {
    process.stderr.write(`starting the endpoint server (${endpointUrl}) and the local gateway (${gatewayUrl})...\n`);
  }
  const endpoint = startServer({
    name: 'endpoint server',
    script: 'backend/endpoint/cli.ts',
    args: [
      '--port',
      String(endpointPort),
      ...(options.artifactDir === undefined ? [] : ['--model-dir', options.artifactDir]),
      ...(options.maxWaitMs === undefined ? [] : ['--max-wait-ms', options.maxWaitMs]),
      ...(options.threads === undefined ? [] : ['--threads', String(options.threads)]),
    ],
    output: output('endpoint'),
    url: endpointUrl,
  });
  // Both start at once: the gateway needs the endpoint's URL, not the endpoint, until the first request.
  const gateway = startServer({
    name: 'local gateway',
    script: 'backend/gateway/cli.ts',
    args: ['--port', String(gatewayPort), '--endpoint-url', endpointUrl],
    env: options.throttling === false ? { REELSENSE_RATE_LIMIT: '0' } : {},
    output: output('gateway'),
    url: gatewayUrl,
  });
  const servers = [endpoint, gateway];
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= Promise.all(servers.map(stopServer)).then(() => {
      if (logDir === undefined) return;
      if (servers.every((s) => s.died === undefined)) rmSync(logDir, { recursive: true, force: true });
      else process.stderr.write(`server logs kept in ${logDir}\n`);
    }));
  if (options.exitOnSignal !== undefined) {
    const code = options.exitOnSignal;
    const interrupted = (signal: NodeJS.Signals): void => {
      process.stderr.write(`\n${signal}: stopping the servers.\n`);
      void close().finally(() => process.exit(code));
    };
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  }
  try {
    await Promise.all([
      waitUntilReady(endpoint, '/ping', 'GET', 200),
      waitUntilReady(gateway, '/sentiment', 'OPTIONS', 204),
    ]);
    const ping = (await (await fetch(`${endpointUrl}/ping`)).json()) as { model?: unknown };
    const { onDied } = options;
    if (onDied !== undefined) {
      for (const server of servers) {
        void server.exited.then(() => {
          if (server.died !== undefined) onDied(server);
        });
      }
    }
    return {
      endpoint,
      gateway,
      endpointUrl,
      gatewayUrl,
      model: typeof ping.model === 'string' ? ping.model : '?',
      assertAlive: () => {
        assertAlive(servers);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The stack in this process (tests)

export interface InProcessStack {
  readonly endpoint: EndpointServer;
  readonly gateway: RunningServer;
  /** Closes the gateway and the endpoint server; either may already be closed. */
  close(): Promise<void>;
}

/**
 * The real endpoint server, the real Lambda handler with the real AWS SDK client pointed at it,
 * and the real gateway, in this process on free ports. Nothing is mocked; only the logs are quiet.
 */
export async function startStackInProcess(
  options: { modelDir?: string; limits?: Limits } = {},
): Promise<InProcessStack> {
  // Loaded here, not above: a launcher of processes does not need the model's runtime.
  const [{ createEndpointClient }, { createHandler }, { DEFAULT_LIMITS }, { startEndpointServer }, { startGateway }] =
    await Promise.all([
      import('../backend/api/endpoint-client.ts'),
      import('../backend/api/handler.ts'),
      import('../public-api/contract.ts'),
      import('../backend/endpoint/server.ts'),
      import('../backend/gateway/server.ts'),
    ]);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const endpoint = await startEndpointServer({
    port: 0,
    limits,
    ...(options.modelDir === undefined ? {} : { modelDir: options.modelDir }),
  });
  await endpoint.ready;
  // The handler's own client factory (timeouts, retries), pointed at the local endpoint server.
  const client = createEndpointClient(10_000, {
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const handler = createHandler({ client, endpointName: 'reelsense-local', limits, log: () => undefined });
  const gateway = await startGateway({ port: 0, handler, limits, log: () => undefined });
  const closeQuietly = (server: RunningServer) =>
    server.close().catch((error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'ERR_SERVER_NOT_RUNNING')) throw error;
    });
  return {
    endpoint,
    gateway,
    close: async () => {
      await closeQuietly(gateway);
      await closeQuietly(endpoint);
      client.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// npm start

interface Port {
  readonly name: string;
  readonly variable: string;
  readonly value: number;
}

function portFromEnv(name: string, variable: string, fallback: number): Port {
  const raw = process.env[variable];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${variable} must be a port number from 1 to 65535, not ${JSON.stringify(raw)}.`);
  }
  return { name, variable, value };
}

async function assertFree(port: Port): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port.value} (the ${port.name}) is already in use. Stop what holds it, or choose another port: ${port.variable}=<port> npm start`
            : `Cannot listen on port ${port.value} (the ${port.name}): ${error.message}`,
        ),
      );
    });
    probe.listen(port.value, HOST, () =>
      probe.close(() => {
        resolve();
      }),
    );
  });
}

/** Builds the extension for one browser with Vite (quiet), throwing with its output on failure. */
async function buildExtensionForStart(mode: 'chrome' | 'firefox'): Promise<string> {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const args = ['build', '--config', join(ROOT, 'extension', 'vite.config.ts'), '--logLevel', 'warn'];
  const child = spawn(vite, mode === 'firefox' ? [...args, '--mode', 'firefox'] : args, { cwd: ROOT });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`The ${mode} build of the extension failed:\n${output}`);
  return join(ROOT, 'extension', 'dist', mode);
}

async function main(): Promise<void> {
  const endpointPort = portFromEnv('endpoint server', 'REELSENSE_ENDPOINT_PORT', 8080);
  const apiPort = portFromEnv('local gateway', 'REELSENSE_API_PORT', 3000);
  const webPort = portFromEnv('web page', 'REELSENSE_WEB_PORT', 5173);
  let stack: Stack | undefined;
  let web: { close(): Promise<void> } | undefined;
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all([stack?.close(), web?.close()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    for (const port of [endpointPort, apiPort, webPort]) await assertFree(port);
    // The web page's Vite config reads the API port.
    Object.assign(process.env, {
      REELSENSE_ENDPOINT_PORT: String(endpointPort.value),
      REELSENSE_API_PORT: String(apiPort.value),
      REELSENSE_WEB_PORT: String(webPort.value),
    });
    stack = await startStack({
      endpointPort: endpointPort.value,
      gatewayPort: apiPort.value,
      output: 'tagged',
      onDied: (server) => {
        if (stopping) return;
        process.stderr.write(
          `\nThe ${server.name} stopped unexpectedly (${server.died ?? '?'}); stopping the others.\n`,
        );
        void stopAll(1);
      },
    });
    const { createServer: createViteServer } = await import('vite');
    const vite = await createViteServer({ configFile: join(ROOT, 'website', 'vite.config.ts'), logLevel: 'warn' });
    web = vite;
    await vite.listen();
    const chromeDir = await buildExtensionForStart('chrome');
    const firefoxDir = await buildExtensionForStart('firefox');
    const { endpointUrl, gatewayUrl: apiUrl } = stack;
    process.stdout.write(
      [
        '',
        'ReelSense local stack is up:',
        `  web page         http://${HOST}:${webPort.value}/`,
        `  public API       POST ${apiUrl}/sentiment  (the Lambda handler, through the local gateway)`,
        `  endpoint server  ${endpointUrl}  (SageMaker contract: GET /ping, POST /invocations)`,
        `  extension        ${chromeDir}  (chrome://extensions, Developer mode, Load unpacked)`,
        `                   ${firefoxDir}  (about:debugging, This Firefox, Load Temporary Add-on)`,
        '',
        `Try: curl -s ${apiUrl}/sentiment -H 'content-type: application/json' -d '{"text": "A wonderful, moving film."}'`,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`\nerror: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

const runAsScript = ((): boolean => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (runAsScript) await main();
