/**
 * Fuzzes the public contract (DESIGN.md, Bars: reliability) on the real servers: the endpoint
 * server and the local gateway each run as their own process (scripts/local-stack.ts, as `npm start`
 * starts them), and this script sends them generated requests over bare sockets.
 *
 *   npm run bench:fuzz -- [--quick] [--requests 10000] [--endpoint-requests 5000] [--warm-up-requests 2000]
 *       [--concurrency 16] [--seed N] [--slow-clients 50] [--artifact DIR] [--json FILE]
 *
 * 1. Warm-up: 300 valid requests to each server, then a round of fuzzing (--warm-up-requests to the
 *    gateway, half as many to the endpoint server; judged, not counted), then each server's RSS:
 *    the heap has grown to hold the largest requests, so what grows after is what keeps growing.
 * 2. --requests generated requests to the gateway and --endpoint-requests to the endpoint server
 *    (tests/reliability/fuzz/cases.ts: random bytes, invalid UTF-8, empty and over-limit bodies, JSON of every
 *    shape, deep and enormous JSON, content types, every method, odd paths, header floods, broken
 *    framing, garbage, "explain" of every kind and mixed into the valid requests and the limits),
 *    --concurrency at a time, each judged against the contract
 *    (tests/reliability/fuzz/contract.ts): a well-formed answer with the outcome the contract names, no 5xx,
 *    no hang. The gateway runs with throttling off (REELSENSE_RATE_LIMIT=0): the fuzzer is one
 *    client, and its 429s would hide the answers under test (rate limiting has its own tests).
 * 3. Slow clients (slowloris): --slow-clients sockets, half on each server, half trickling their
 *    headers and half their body, one byte a second. Each must be cut off by the server's own
 *    timeouts (headers 10 s, whole request 30 s; Node checks every second) and no later than 5 s
 *    after; meanwhile one normal request every 100 ms to each server must get its 200, and its
 *    latency is reported.
 * 4. RSS again; the bar: growth < 20% from after the warm-up. The servers must still be up.
 *
 * Defaults: the shipped model, the default limits, a random seed (printed; pass --seed to replay).
 * --quick: 1,000 + 500 requests (300 to warm up) and 10 slow clients (headers only); its RSS is
 * shown but not judged (too short for the heap to reach its working size). Figures go to stdout as
 * Markdown (RELIABILITY.md), progress to stderr. Exit code 1 on any violation: a crash (a
 * server process exited), a wrong status or body, a hang, RSS growth >= 20%, a slow client not
 * cut off in time, or a normal request failing during the slow-client attack. Linux only (/proc).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { dirname, resolve } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../../public-api/contract.ts';
import { parseFlags, positiveIntegerFlag, runCli } from '../../../common/cli/run.ts';
import { ReelSenseError } from '../../../common/errors.ts';
import { SHIPPED_ARTIFACT_DIR } from '../../../model/inference/node.ts';
import { fuzzCases, sendCase, type FuzzCase } from './cases.ts';
import { judge, type ServerKind } from './contract.ts';
import { exchange, type RawOutcome, type WriteStep } from './raw-http.ts';
import { latencyOf, type Latency } from '../../../common/stats.ts';
import { ROOT, assertAlive, startStack, type ServerProcess } from '../../../scripts/local-stack.ts';
import {
  int,
  loadAverage,
  mb,
  ms,
  pct,
  post,
  statusTicker,
  rssKb,
  thisMachine,
  verdict,
} from '../../../scripts/measure.ts';

const WARM_UP_REQUESTS = 300;
const BATCH = 250;
// Well under the servers' 10 s header timeout: a request a server still waits on shows as a hang.
const ANSWER_TIMEOUT_MS = 8000;
const RSS_GROWTH_BAR = 0.2;
const SETTLE_MS = 10_000;
// The servers' timeouts (backend/gateway/README.md, backend/endpoint/README.md), and the slack
// allowed past them: Node checks once a second, and the machine may be busy.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const CUT_OFF_SLACK_MS = 5000;
const PROBE_EVERY_MS = 100;

// ---------------------------------------------------------------------------------------------
// Fuzzing

interface FuzzTally {
  requests: number;
  /** 200s to requests that asked `"explain": true`, each explanation checked against its review. */
  explained: number;
  readonly byLabel: Map<string, number>;
  readonly byKind: Map<string, number>;
  readonly violations: { kind: string; summary: string; label: string; problems: readonly string[] }[];
  /** Violations by class: hang, not HTTP, dropped, 5xx, wrong outcome, bad body. */
  readonly byClass: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

function classify(label: string, problems: readonly string[]): string {
  if (label === 'timeout') return 'hang';
  if (label === 'malformed') return 'not HTTP';
  if (label === 'closed') return 'dropped without an answer';
  if (problems.some((problem) => /^5\d\d for /.test(problem))) return '5xx';
  if (problems.some((problem) => problem.startsWith('got '))) return 'wrong status or code';
  return 'answer not in the contract';
}

async function fuzz(
  server: ServerKind,
  address: { host: string; port: number },
  count: number,
  concurrency: number,
  seed: number,
  watched: readonly ServerProcess[],
  afterBatch: (sent: number) => void = () => undefined,
): Promise<FuzzTally> {
  const tally: FuzzTally = {
    requests: 0,
    explained: 0,
    byLabel: new Map(),
    byKind: new Map(),
    violations: [],
    byClass: new Map(),
  };
  const arbitrary = fuzzCases(server, DEFAULT_LIMITS);
  const done = statusTicker(
    `fuzzing the ${server} (${int(count)} requests)`,
    () => `${int(tally.requests)} sent, ${tally.violations.length} violations`,
  );
  try {
    for (let batch = 0; tally.requests < count; batch++) {
      // Generated a batch at a time: over-limit bodies are up to 2 MiB each.
      const cases = fc.sample(arbitrary, { numRuns: Math.min(BATCH, count - tally.requests), seed: seed + batch });
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let fuzzCase = cases[next++]; fuzzCase !== undefined; fuzzCase = cases[next++]) {
          record(tally, fuzzCase, await sendCase(address, fuzzCase, ANSWER_TIMEOUT_MS));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      assertAlive(watched);
      afterBatch(tally.requests);
    }
  } finally {
    done();
  }
  return tally;
}

function record(tally: FuzzTally, fuzzCase: FuzzCase, outcome: RawOutcome): void {
  const { label, violations } = judge(fuzzCase, outcome);
  tally.requests++;
  if (label === 'OK' && Array.isArray(fuzzCase.explained)) tally.explained++;
  bump(tally.byLabel, label);
  bump(tally.byKind, fuzzCase.kind);
  if (violations.length > 0) {
    bump(tally.byClass, classify(label, violations));
    tally.violations.push({ kind: fuzzCase.kind, summary: fuzzCase.summary, label, problems: violations });
  }
}

// ---------------------------------------------------------------------------------------------
// Slow clients

interface SlowResult {
  readonly server: ServerKind;
  readonly part: 'headers' | 'body';
  readonly outcome: RawOutcome;
  /** When the server cut it off, ms after the first byte; undefined if it never did. */
  readonly cutAfterMs: number | undefined;
  readonly problem: string | undefined;
}

/** A request that never completes: headers, or a body, one piece a second for up to `seconds`. */
function slowSteps(server: ServerKind, part: 'headers' | 'body', seconds: number): WriteStep[] {
  const path = server === 'gateway' ? '/sentiment' : '/invocations';
  const steps: WriteStep[] = [];
  if (part === 'headers') {
    steps.push(Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`));
    for (let i = 0; i < seconds; i++) steps.push({ pauseMs: 1000 }, Buffer.from(`X-Slow-${i}: a\r\n`));
  } else {
    steps.push(
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n`,
      ),
    );
    for (let i = 0; i < seconds; i++) steps.push({ pauseMs: 1000 }, Buffer.from('a'));
  }
  return steps;
}

async function slowClient(
  server: ServerKind,
  address: { host: string; port: number },
  part: 'headers' | 'body',
): Promise<SlowResult> {
  const limit = part === 'headers' ? HEADERS_TIMEOUT_MS : REQUEST_TIMEOUT_MS;
  const deadline = limit + CUT_OFF_SLACK_MS;
  const outcome = await exchange(address, slowSteps(server, part, Math.ceil(deadline / 1000) + 5), {
    timeoutMs: deadline + 2000,
    method: 'POST',
  });
  const cutAfterMs = outcome.kind === 'timeout' ? undefined : outcome.ms;
  let problem: string | undefined;
  if (cutAfterMs === undefined) problem = `still connected after ${deadline / 1000} s`;
  else if (cutAfterMs < limit - 500)
    problem = `cut off after ${ms(cutAfterMs)} ms, before the ${limit / 1000} s timeout`;
  else if (cutAfterMs > deadline) problem = `cut off only after ${ms(cutAfterMs)} ms`;
  else {
    // An answer must be the contract's 408; a connection closed without one, or garbage, is a problem too.
    const { violations } = judge({ server, method: 'POST', expect: ['REQUEST_TIMEOUT'], reviews: undefined }, outcome);
    if (violations.length > 0) problem = violations.join('; ');
  }
  return { server, part, outcome, cutAfterMs, problem };
}

interface ProbeResult {
  readonly latency: Latency;
  readonly failed: number;
}

/** One normal request every PROBE_EVERY_MS until `stop` resolves; their latency and failures. */
async function probe(url: URL, contentType: string, body: string, stop: Promise<void>): Promise<ProbeResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failed = 0;
  const state = { stopped: false };
  void stop.then(() => (state.stopped = true));
  try {
    while (!state.stopped) {
      const started = performance.now();
      try {
        const answer = await post(agent, url, contentType, body);
        if (answer.status === 200) latencies.push(performance.now() - started);
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((done) => setTimeout(done, PROBE_EVERY_MS));
    }
  } finally {
    agent.destroy();
  }
  return { latency: latencyOf(latencies), failed };
}

async function slowAttack(
  addresses: Record<ServerKind, { host: string; port: number }>,
  urls: { gateway: string; endpoint: string },
  clients: number,
  headersOnly: boolean,
): Promise<{ results: SlowResult[]; probes: Record<ServerKind, ProbeResult>; seconds: number }> {
  const started = performance.now();
  const plan: [ServerKind, 'headers' | 'body'][] = Array.from({ length: clients }, (_, i) => [
    i % 2 === 0 ? 'gateway' : 'endpoint',
    headersOnly || i % 4 < 2 ? 'headers' : 'body',
  ]);
  const done = statusTicker(`${clients} slow clients`, () => '');
  const attack = Promise.all(plan.map(([server, part]) => slowClient(server, addresses[server], part)));
  const stop = attack.then(() => undefined);
  const [results, gateway, endpoint] = await Promise.all([
    attack,
    probe(new URL('/sentiment', urls.gateway), 'application/json', '{"text":"A wonderful film."}', stop),
    probe(new URL('/invocations', urls.endpoint), 'text/plain', 'A wonderful film.', stop),
  ]).finally(done);
  return { results, probes: { gateway, endpoint }, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Memory

async function warmUp(urls: { gateway: string; endpoint: string }): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const gateway = new URL('/sentiment', urls.gateway);
    const endpoint = new URL('/invocations', urls.endpoint);
    const texts = ['A wonderful, moving film.', 'Dreadful and boring.', 'The plot was thin but the cast carried it.'];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker; i < WARM_UP_REQUESTS; i += 8) {
          const text = texts[i % texts.length] ?? '';
          await post(agent, gateway, 'application/json', JSON.stringify({ texts: [text, text] }));
          await post(agent, endpoint, 'text/plain', text);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function labelTable(tallies: Record<ServerKind, FuzzTally>): string[] {
  const labels = [...new Set([...tallies.gateway.byLabel.keys(), ...tallies.endpoint.byLabel.keys()])].sort(
    (a, b) => (tallies.gateway.byLabel.get(b) ?? 0) - (tallies.gateway.byLabel.get(a) ?? 0) || a.localeCompare(b),
  );
  return [
    '| answer | gateway | endpoint server |',
    '| --- | ---: | ---: |',
    ...labels.map(
      (label) =>
        `| ${label} | ${int(tallies.gateway.byLabel.get(label) ?? 0)} | ${int(tallies.endpoint.byLabel.get(label) ?? 0)} |`,
    ),
  ];
}

runCli(async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    ['requests', 'endpoint-requests', 'warm-up-requests', 'concurrency', 'seed', 'slow-clients', 'artifact', 'json'],
    ['quick'],
  );
  const quick = flags.get('quick') === 'true';
  const settings = {
    gatewayRequests: positiveIntegerFlag(flags, 'requests', quick ? 1000 : 10_000),
    endpointRequests: positiveIntegerFlag(flags, 'endpoint-requests', quick ? 500 : 5000),
    concurrency: positiveIntegerFlag(flags, 'concurrency', 16),
    slowClients: positiveIntegerFlag(flags, 'slow-clients', quick ? 10 : 50),
    warmUpRequests: positiveIntegerFlag(flags, 'warm-up-requests', quick ? 300 : 2000),
    seed: flags.has('seed') ? Number(flags.get('seed')) : Math.floor(Math.random() * 2 ** 31),
  };
  if (!Number.isSafeInteger(settings.seed)) throw new ReelSenseError('BAD_OPTION', '--seed must be an integer.');
  const artifactDir = resolve(flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR);
  const jsonFile = flags.get('json');
  const machine = thisMachine();
  const [loadBefore] = loadAverage();
  process.stderr.write(`seed ${settings.seed} (--seed ${settings.seed} replays this run)\n`);

  const started = performance.now();
  // One client: throttling off, or its 429s would hide the answers under test.
  const stack = await startStack({ artifactDir, throttling: false, exitOnSignal: 130 });
  let failed = false;
  try {
    const { endpoint, gateway, endpointUrl, gatewayUrl, model } = stack;
    const servers = [endpoint, gateway];
    const pids = { gateway: gateway.pid, endpoint: endpoint.pid };
    const rss = () => ({ gateway: rssKb(pids.gateway), endpoint: rssKb(pids.endpoint) });
    const atStart = rss();
    const urls = { gateway: gatewayUrl, endpoint: endpointUrl };
    const addresses = {
      gateway: { host: new URL(gatewayUrl).hostname, port: Number(new URL(gatewayUrl).port) },
      endpoint: { host: new URL(endpointUrl).hostname, port: Number(new URL(endpointUrl).port) },
    };

    // Warm-up: valid requests, then a round of the same fuzzing (judged too, not counted in the
    // figures), so that "before" is a heap already grown to hold the largest requests (1-2 MiB
    // bodies, deep JSON) and the growth measured after it is what keeps growing: a leak.
    const stopWarmUp = statusTicker('warm-up', () => '');
    await warmUp(urls).finally(stopWarmUp);
    const warm = {
      gateway: await fuzz(
        'gateway',
        addresses.gateway,
        settings.warmUpRequests,
        settings.concurrency,
        settings.seed + 2_000_000,
        servers,
      ),
      endpoint: await fuzz(
        'endpoint',
        addresses.endpoint,
        Math.ceil(settings.warmUpRequests / 2),
        settings.concurrency,
        settings.seed + 3_000_000,
        servers,
      ),
    };
    // Measured idle, as the end is (after the slow clients): V8 frees what it can when allocation stops.
    await new Promise((resolveSettle) => setTimeout(resolveSettle, SETTLE_MS));
    const before = rss();

    // RSS after every batch of the measured fuzzing: a leak grows with the requests, a heap does not.
    const series: { gateway: (number | undefined)[]; endpoint: (number | undefined)[] } = { gateway: [], endpoint: [] };
    const sample = (): void => {
      const now = rss();
      series.gateway.push(now.gateway);
      series.endpoint.push(now.endpoint);
    };
    const tallies = {
      gateway: await fuzz(
        'gateway',
        addresses.gateway,
        settings.gatewayRequests,
        settings.concurrency,
        settings.seed,
        servers,
        sample,
      ),
      endpoint: await fuzz(
        'endpoint',
        addresses.endpoint,
        settings.endpointRequests,
        settings.concurrency,
        settings.seed + 1_000_000,
        servers,
        sample,
      ),
    };
    const afterFuzz = rss();
    const slow = await slowAttack(addresses, urls, settings.slowClients, quick);
    assertAlive(servers);
    const after = rss();

    // Still serving normally.
    const agent = new Agent({ keepAlive: false });
    const stillUp = {
      gateway: (await post(agent, new URL('/sentiment', gatewayUrl), 'text/plain', 'A wonderful film.')).status,
      endpoint: (await post(agent, new URL('/invocations', endpointUrl), 'text/plain', 'A wonderful film.')).status,
    };
    agent.destroy();

    // ---- Verdicts
    const crashes = servers.filter((server) => server.died !== undefined).map((s) => `${s.name}: ${s.died ?? ''}`);
    const allTallies = [warm.gateway, warm.endpoint, tallies.gateway, tallies.endpoint];
    const allViolations = allTallies.flatMap((t) => t.violations);
    const violations = allViolations.length;
    const classes = new Map<string, number>();
    for (const tally of allTallies) for (const [c, n] of tally.byClass) classes.set(c, (classes.get(c) ?? 0) + n);
    const growth = (server: ServerKind): number | undefined => {
      const from = before[server];
      const to = after[server];
      return from === undefined || to === undefined ? undefined : to / from - 1;
    };
    const growthOk = (server: ServerKind): boolean => {
      const g = growth(server);
      return g !== undefined && g < RSS_GROWTH_BAR;
    };
    const slowProblems = slow.results.filter((result) => result.problem !== undefined);
    const probeFailures = slow.probes.gateway.failed + slow.probes.endpoint.failed;
    const total = tallies.gateway.requests + tallies.endpoint.requests;
    failed =
      crashes.length > 0 ||
      violations > 0 ||
      // A quick run is too short for the heap to reach its working size: its RSS is shown, not judged.
      (!quick && (!growthOk('gateway') || !growthOk('endpoint'))) ||
      slowProblems.length > 0 ||
      probeFailures > 0 ||
      stillUp.gateway !== 200 ||
      stillUp.endpoint !== 200;
    const [loadAfter] = loadAverage();
    const seconds = (performance.now() - started) / 1000;

    // ---- Report
    const cut = (server: ServerKind, part: 'headers' | 'body'): string => {
      const times = slow.results
        .filter((r) => r.server === server && r.part === part && r.cutAfterMs !== undefined)
        .map((r) => (r.cutAfterMs ?? 0) / 1000);
      const count = slow.results.filter((r) => r.server === server && r.part === part).length;
      if (count === 0) return '-';
      const statuses = new Map<string, number>();
      for (const r of slow.results.filter((x) => x.server === server && x.part === part)) {
        bump(statuses, r.outcome.kind === 'response' ? String(r.outcome.response.status) : r.outcome.kind);
      }
      const spread =
        times.length === 0 ? 'never' : `${Math.min(...times).toFixed(1)}-${Math.max(...times).toFixed(1)} s`;
      return `${count} clients: cut off after ${spread} (${[...statuses].map(([s, n]) => `${s} x${n}`).join(', ')})`;
    };
    const rssRow = (server: ServerKind, name: string): string =>
      `| ${name} | ${mb(atStart[server])} | ${mb(before[server])} | ${mb(Math.min(...series[server].map((kb) => kb ?? 0)))}-${mb(Math.max(...series[server].map((kb) => kb ?? 0)))} | ${mb(afterFuzz[server])} | ${mb(after[server])} | ${
        growth(server) === undefined ? '?' : pct(growth(server) ?? 0)
      } | < 20%: ${quick ? 'not judged (--quick)' : verdict(growthOk(server))} |`;
    const probeRow = (server: ServerKind, name: string): string => {
      const p = slow.probes[server];
      return `| ${name} | ${int(p.latency.count)} | ${p.failed} | ${ms(p.latency.p50)} | ${ms(p.latency.p99)} | ${ms(p.latency.max)} |`;
    };
    const lines = [
      `### Fuzzing (\`npm run bench:fuzz${quick ? ' -- --quick' : ''}\`, seed ${settings.seed})`,
      '',
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Model ${model} (${artifactDir.replace(ROOT, '')}), default limits, gateway throttling off (REELSENSE_RATE_LIMIT=0). Endpoint server and local gateway each in its own process; ${settings.concurrency} requests in flight. ${seconds.toFixed(0)} s in all.`,
      '',
      `${int(total)} generated requests (${int(tallies.gateway.requests)} to the gateway, ${int(tallies.endpoint.requests)} to the endpoint server): ${crashes.length} crashes, ${violations} violations. Answered 200 with "explain": true, every explanation checked against its review: ${int(tallies.gateway.explained)} / ${int(tallies.endpoint.explained)}.`,
      '',
      ...labelTable(tallies),
      '',
      `Requests by kind (gateway / endpoint server): ${[...tallies.gateway.byKind.keys()]
        .map(
          (kind) =>
            `${kind} ${int(tallies.gateway.byKind.get(kind) ?? 0)}/${int(tallies.endpoint.byKind.get(kind) ?? 0)}`,
        )
        .join(', ')}.`,
      '',
      '| bar | result | |',
      '| --- | --- | --- |',
      `| >= 10,000 fuzzed requests | ${int(total)} | ${quick ? 'not judged (--quick)' : verdict(total >= 10_000)} |`,
      `| no crash (a server process exiting) | ${crashes.length === 0 ? 'none' : crashes.join('; ')} | ${verdict(crashes.length === 0)} |`,
      `| no wrong status, body or hang (warm-up round included) | ${violations === 0 ? 'none' : [...classes].map(([c, n]) => `${c}: ${int(n)}`).join(', ')} | ${verdict(violations === 0)} |`,
      `| slow clients cut off by the servers' timeouts (+${CUT_OFF_SLACK_MS / 1000} s at most) | ${slowProblems.length === 0 ? 'all' : `${slowProblems.length} not`} | ${verdict(slowProblems.length === 0)} |`,
      `| normal requests during the slow-client attack | ${probeFailures} failed | ${verdict(probeFailures === 0)} |`,
      `| still serving afterwards | gateway ${stillUp.gateway}, endpoint ${stillUp.endpoint} | ${verdict(stillUp.gateway === 200 && stillUp.endpoint === 200)} |`,
      '',
      `RSS (MB): at start; after the warm-up (${WARM_UP_REQUESTS} valid requests to each server, then a round of fuzzing, ${int(warm.gateway.requests)} requests to the gateway and ${int(warm.endpoint.requests)} to the endpoint server, judged like the rest, then ${SETTLE_MS / 1000} s idle); lowest and highest after each batch of ${BATCH} during the fuzzing; after the fuzzing; after the slow clients (end); growth from warm to end.`,
      '',
      '| server | start | warm | during fuzzing | after fuzzing | end | growth | bar |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      rssRow('gateway', 'local gateway'),
      rssRow('endpoint', 'endpoint server'),
      '',
      `Slow clients (${settings.slowClients}, one byte a second, ${slow.seconds.toFixed(0)} s): gateway headers ${cut('gateway', 'headers')}; gateway body ${cut('gateway', 'body')}; endpoint headers ${cut('endpoint', 'headers')}; endpoint body ${cut('endpoint', 'body')}.`,
      '',
      'A normal request every 100 ms during the attack (ms):',
      '',
      '| server | answered | failed | p50 | p99 | max |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      probeRow('gateway', 'local gateway'),
      probeRow('endpoint', 'endpoint server'),
    ];
    const shown = allViolations.slice(0, 30);
    if (shown.length > 0) {
      lines.push('', 'Violations (the first 30):', '');
      for (const v of shown) lines.push(`- ${v.kind}: ${v.summary} -> ${v.label}: ${v.problems.join('; ')}`);
    }
    for (const r of slowProblems) lines.push(`- slow client (${r.server}, ${r.part}): ${r.problem ?? ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);

    if (jsonFile !== undefined) {
      const path = resolve(jsonFile);
      await mkdir(dirname(path), { recursive: true });
      const plain = (tally: FuzzTally) => ({
        requests: tally.requests,
        explained: tally.explained,
        byLabel: Object.fromEntries(tally.byLabel),
        byKind: Object.fromEntries(tally.byKind),
        byClass: Object.fromEntries(tally.byClass),
        violations: tally.violations.slice(0, 100),
      });
      await writeFile(
        path,
        `${JSON.stringify(
          {
            date: new Date().toISOString(),
            machine,
            loadAverage: { before: loadBefore, after: loadAfter },
            settings,
            model,
            fuzz: { gateway: plain(tallies.gateway), endpoint: plain(tallies.endpoint) },
            warmUp: { gateway: plain(warm.gateway), endpoint: plain(warm.endpoint) },
            rssKb: { atStart, before, series, afterFuzz, after },
            slowClients: slow.results.map((r) => ({
              server: r.server,
              part: r.part,
              cutAfterMs: r.cutAfterMs,
              outcome: r.outcome.kind === 'response' ? r.outcome.response.status : r.outcome.kind,
              problem: r.problem,
            })),
            probes: slow.probes,
            crashes,
            failed,
          },
          null,
          2,
        )}\n`,
      );
    }
  } finally {
    await stack.close();
  }
  if (failed) {
    process.stderr.write('fuzzing found violations: see above.\n');
    process.exitCode = 1;
  }
});
