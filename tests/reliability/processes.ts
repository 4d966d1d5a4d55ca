/**
 * The servers' commands as real processes for the fault tests, through the launcher of
 * scripts/local-stack.ts (`node --import tsx <cli>`: one process, so its pid is the server's own
 * and `kill -9` hits the server): their output kept, none of this machine's AWS or ReelSense
 * settings, their exit awaited with a bound. Every process started here is killed after the test.
 */
import { fileURLToPath } from 'node:url';
import { startServer, waitForOutput, type ServerProcess } from '../../scripts/local-stack.ts';

export const TINY = fileURLToPath(new URL('../fixtures/artifact-tiny/', import.meta.url));

const started: ServerProcess[] = [];

/** Kills (SIGKILL) every process started here that is still running. */
export function killAll(): void {
  for (const server of started.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  }
}

/** `node --import tsx <script> ...args` from the repository root, with only `env` of our settings. */
export function startCli(script: string, args: readonly string[], env: Record<string, string> = {}): ServerProcess {
  const server = startServer({ name: script, script, args, env, isolated: true });
  started.push(server);
  return server;
}

/** The endpoint server's command on `port` with the tiny model (or `modelDir`), ready to serve. */
export async function startEndpointCli(port: number, modelDir = TINY): Promise<ServerProcess> {
  const running = startCli('backend/endpoint/cli.ts', ['--port', String(port), '--model-dir', modelDir]);
  await waitForOutput(running, /model \S+ ready in \d+ ms/);
  return running;
}
