/**
 * What the benchmarks (bench/) and the fuzz runner (tests/reliability/fuzz/run.ts) share besides
 * the stack (./local-stack.ts): the machine a run measured on, what /proc says about a process, a
 * keep-alive POST, progress lines on stderr, and how figures are printed. Linux for /proc.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Agent } from 'node:http';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

// ---------------------------------------------------------------------------------------------
// The machine

export interface Machine {
  /** e.g. amd-epyc-7b13-2c: the CPU model and the cores, for file names. */
  readonly slug: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
}

/** The CPU model's distinctive words in lower case with dashes, then the number of cores: `amd-epyc-7b13-2c`. */
export function machineSlug(cpuModel: string, cores: number): string {
  const words = cpuModel
    .toLowerCase()
    .replace(/\((r|tm|c)\)/g, ' ')
    .replace(/@.*$/, ' ') // the clock: "@ 2.40GHz"
    .replace(/\b(\d+-core|processor|cpu|with|radeon graphics|graphics)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  return `${words.length === 0 ? 'cpu' : words.join('-')}-${cores}c`;
}

export function thisMachine(): Machine {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const cores = availableParallelism();
  return {
    slug: machineSlug(cpu, cores),
    cpu,
    cores,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The 1, 5 and 15 minute load averages, two decimals. */
export const loadAverage = (): [number, number, number] => {
  const [one = 0, five = 0, fifteen = 0] = loadavg().map((x) => Math.round(x * 100) / 100);
  return [one, five, fifteen];
};

// ---------------------------------------------------------------------------------------------
// /proc

/** A `Name:   N kB` line of /proc/<pid>/status, in kB; undefined where /proc cannot tell. */
function statusKb(pid: number | 'self' | undefined, name: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** VmRSS of a process, in kB; undefined where /proc cannot tell. */
export const rssKb = (pid: number | 'self' | undefined): number | undefined => statusKb(pid, 'VmRSS');

/** VmHWM, the peak resident set of a process over its whole life so far, in kB. */
export const peakRssKb = (pid: number | 'self' | undefined): number | undefined => statusKb(pid, 'VmHWM');

/**
 * Resets this process's VmHWM to its current RSS (Linux 4.0+: "5" to /proc/self/clear_refs), so
 * that a peak measured afterwards leaves out what came before. false where the kernel refuses.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, what /proc/<pid>/stat counts in

/** User + system CPU time of a process, all its threads (ONNX Runtime's too), in ms. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) " come the fields from the 3rd (state) on: utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

export const REQUEST_TIMEOUT_MS = 30_000;

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One POST on `agent` (keep-alive), its whole answer; rejects on no answer within 30 s. */
export function post(agent: Agent, url: URL, contentType: string, body: string): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': payload.length },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolveAnswer({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------
// Output

/**
 * Prints `label...` now and `label: status() (N s)` every 3 s on stderr; call the result to stop.
 * For load runs with no known total; where the total is known, common/cli/progress.ts draws a bar.
 */
export function statusTicker(label: string, status: () => string): () => void {
  const started = performance.now();
  process.stderr.write(`${label}...\n`);
  const timer = setInterval(() => {
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    process.stderr.write(`  ${label}: ${status()} (${seconds} s)\n`);
  }, 3000);
  return () => {
    clearInterval(timer);
  };
}

/** Milliseconds: two decimals below 100, whole above. */
export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
/** A whole number with thousands separators. */
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');
/** A fraction as a percentage with one decimal. */
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
/** kB as MB with one decimal; '?' when unknown. */
export const mb = (kb: number | undefined): string => (kb === undefined ? '?' : (kb / 1024).toFixed(1));
/** A bar's verdict in a Markdown table. */
export const verdict = (ok: boolean): string => (ok ? 'met' : '**MISSED**');
