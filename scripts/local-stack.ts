/**
 * The local stack (DESIGN.md, "Local stack"): the endpoint server with the shipped model, the
 * local gateway running the Lambda handler against it through the AWS SDK, the web page, and the
 * browser extension built for Chrome and Firefox.
 * Each server runs as its own process, as on AWS; this script starts them in order, waits until
 * each answers, prints the URLs, and stops them all on Ctrl-C or when one of them dies.
 *
 *   npm start        (ports: REELSENSE_ENDPOINT_PORT 8080, REELSENSE_API_PORT 3000, REELSENSE_WEB_PORT 5173)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer, type ViteDevServer } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120_000;

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

/** Starts a TypeScript entry point as a child process whose output lines carry its name. */
function startChild(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(TSX, [join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = `[${name}]`.padEnd(11);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}${line}\n`));
  }
  return child;
}

/** Polls `url` until `ok(status)`, failing early if `child` exits. */
async function waitFor(
  url: string,
  init: RequestInit,
  ok: (status: number) => boolean,
  child: ChildProcess,
  name: string,
) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The ${name} stopped before it was ready (see its output above).`);
    }
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (ok(response.status)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The ${name} did not become ready within ${READY_TIMEOUT_MS / 1000} s.`);
}

/** Builds the extension for one browser with Vite (quiet), throwing with its output on failure. */
async function buildExtension(mode: 'chrome' | 'firefox'): Promise<string> {
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const endpointPort = portFromEnv('endpoint server', 'REELSENSE_ENDPOINT_PORT', 8080);
  const apiPort = portFromEnv('local gateway', 'REELSENSE_API_PORT', 3000);
  const webPort = portFromEnv('web page', 'REELSENSE_WEB_PORT', 5173);
  for (const port of [endpointPort, apiPort, webPort]) await assertFree(port);

  const ports = {
    REELSENSE_ENDPOINT_PORT: String(endpointPort.value),
    REELSENSE_API_PORT: String(apiPort.value),
    REELSENSE_WEB_PORT: String(webPort.value),
  };
  Object.assign(process.env, ports); // the web page's Vite config reads the API port
  const children: ChildProcess[] = [];
  let web: ViteDevServer | undefined;
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all([...children.map(stopChild), web?.close()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const endpointUrl = `http://${HOST}:${endpointPort.value}`;
    const endpoint = startChild('endpoint', 'backend/endpoint/cli.ts', ports);
    children.push(endpoint);
    await waitFor(`${endpointUrl}/ping`, {}, (s) => s === 200, endpoint, 'endpoint server');

    const apiUrl = `http://${HOST}:${apiPort.value}`;
    const gateway = startChild('gateway', 'backend/gateway/cli.ts', { ...ports, REELSENSE_ENDPOINT_URL: endpointUrl });
    children.push(gateway);
    await waitFor(`${apiUrl}/sentiment`, { method: 'OPTIONS' }, (s) => s === 204, gateway, 'local gateway');

    web = await createViteServer({ configFile: join(ROOT, 'website', 'vite.config.ts'), logLevel: 'warn' });
    await web.listen();
    const chromeDir = await buildExtension('chrome');
    const firefoxDir = await buildExtension('firefox');

    for (const child of children) {
      child.once('exit', (code, signal) => {
        if (stopping) return;
        process.stderr.write(`\nA server stopped unexpectedly (exit ${code ?? signal ?? '?'}); stopping the others.\n`);
        void stopAll(1);
      });
    }
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

await main();
