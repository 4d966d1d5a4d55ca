/**
 * The serving chain's speed and steadiness (DESIGN.md, Bars: serving and reliability), on the
 * real servers: the endpoint server and the local gateway each run as their own process, started
 * as `npm start` starts them, on free ports; this script is only their client.
 *
 *   npm run bench:serving -- [--quick] [--reviews 2000] [--duration 10] [--connections 64]
 *       [--sequential 500] [--in-a-row 10000] [--in-flight 8] [--artifact DIR] [--data-dir DIR]
 *       [--max-wait-ms N] [--threads N] [--explain N] [--json FILE]
 *
 * On reviews drawn evenly from the IMDB test split, it measures:
 * 1. one review at a time (keep-alive, after a warm-up): latency through the whole chain (client ->
 *    gateway POST /sentiment -> Lambda handler -> AWS SDK -> endpoint server -> model), and
 *    straight to the endpoint server (POST /invocations, text/plain), so the gateway's share shows;
 * 2. throughput under load with autocannon (--connections, --duration; one review per request,
 *    round-robin): (a) through the gateway, (b) the endpoint server alone, and (c) the model in
 *    this process (classifyBatch of 32 reviews, servers idle meanwhile), against the bars
 *    a/b >= 80% with 0 errors and b/c >= 70%;
 * 3. --in-a-row requests through the gateway, --in-flight at a time: none may be lost (no answer)
 *    or failed (not a 200 with one result), and each server's RSS before and after.
 * Then a Markdown summary to paste into BENCHMARKS.md. Progress goes to stderr, figures to stdout.
 * Each measure also reads the CPU time each process spent per request (/proc), and the gateway's
 * log, so the report shows where the time goes.
 *
 * --quick: 500 reviews, 3 s, 100 sequential, 1,000 in a row. --max-wait-ms N goes to the endpoint
 * server (its batcher's wait; the server's default when absent); --threads N to the endpoint
 * server and the in-process model alike (ONNX Runtime's intra-op threads; default: 1, DEFAULT_THREADS in model/inference/node.ts).
 * --json FILE also writes the figures as JSON (e.g. bench/results/serving-2026-01-31.json).
 * Linux only (/proc).
 *
 * --explain N: instead, N `"explain": true` requests one at a time through the chain (answers checked
 * with the client's guard), of sentences (behavioural suite), then of IMDB-length reviews (within
 * 20% of the mean length): latency against the bar of p50 <= 50 ms, and CPU time per request.
 *
 * Exit code 1 if a request was lost or failed in phase 3, or a server died: it is also a check.
 */
import { readFileSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_MAX_WAIT_MS } from '../backend/endpoint/batcher.ts';
import { parseFlags, positiveIntegerFlag, runCli } from '../common/cli/run.ts';
import { latencyOf, type Latency } from '../common/stats.ts';
import { parseSuite } from '../model/inference/behaviour.ts';
import { DEFAULT_THREADS, SHIPPED_ARTIFACT_DIR, createNodeClassifier } from '../model/inference/node.ts';
import { ROOT, startStack } from '../scripts/local-stack.ts';
import { cpuMs, int, mb, ms, pct, post, statusTicker, rssKb, thisMachine, verdict } from '../scripts/measure.ts';
import { cannon, oneResult, type Target } from './lib/http.ts';
import { testTexts, writeJson } from './lib/io.ts';

const WARM_UP_REQUESTS = 50;
const MODEL_BATCH = 32;
const FLAGS =
  'reviews duration connections sequential in-a-row in-flight artifact data-dir max-wait-ms threads explain json';
const SUITE = new URL('../tests/fixtures/behaviour/suite.json', import.meta.url);

// ---------------------------------------------------------------------------------------------
// Where the time goes, from the gateway's log

/** The gateway's own timings of each 200 from its log: the access log and the handler's line. */
function gatewayTimings(logFile: string, fromByte: number): { gateway: Latency; handler: Latency } {
  const access: number[] = [];
  const handler: number[] = [];
  const text = readFileSync(logFile).subarray(fromByte).toString('utf8');
  for (const line of text.split('\n')) {
    const accessLine = / POST \/sentiment 200 \d+ ([\d.]+)ms$/.exec(line);
    if (accessLine?.[1] !== undefined) {
      access.push(Number(accessLine[1]));
    } else if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as { message?: unknown; status?: unknown; durationMs?: unknown };
        if (entry.message === 'request' && entry.status === 200 && typeof entry.durationMs === 'number') {
          handler.push(entry.durationMs);
        }
      } catch {
        // not the handler's line
      }
    }
  }
  return { gateway: latencyOf(access), handler: latencyOf(handler) };
}

// ---------------------------------------------------------------------------------------------
// 1. One review at a time

/** `begin` is called after the warm-up, as the measured requests start; `check(body, i)` judges a 200 to bodies[i]. */
async function sequential(
  target: Target,
  count: number,
  begin: () => void,
  check?: (body: string, index: number) => boolean,
): Promise<Latency & { readonly failed: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failed = 0;
  const done = statusTicker(`one review at a time, ${target.label}`, () => `${latencies.length}/${count}`);
  try {
    const { bodies } = target;
    for (let i = 0; i < WARM_UP_REQUESTS + count; i++) {
      const started = performance.now();
      const answer = await post(agent, target.url, target.contentType, bodies[i % bodies.length] ?? '');
      const elapsed = performance.now() - started;
      if (i < WARM_UP_REQUESTS) {
        if (i === WARM_UP_REQUESTS - 1) begin();
        continue;
      }
      if (answer.status === 200 && (check?.(answer.body, i % bodies.length) ?? true)) latencies.push(elapsed);
      else failed++;
    }
  } finally {
    done();
    agent.destroy();
  }
  return { ...latencyOf(latencies), failed };
}

// ---------------------------------------------------------------------------------------------
// 2. Under load

async function load(target: Target, connections: number, seconds: number, begin: () => void) {
  await cannon(target, connections, Math.min(2, seconds), 'warm-up');
  begin();
  const { result, latencies, seconds: elapsed, requestsPerSecond } = await cannon(target, connections, seconds, 'load');
  return {
    requestsPerSecond,
    latency: latencyOf(latencies),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: elapsed,
  };
}

const cpuNowMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function inProcess(artifactDir: string, texts: readonly string[], seconds: number, threads: number | undefined) {
  const classifier = await createNodeClassifier(artifactDir, threads === undefined ? {} : { threads });
  await classifier.classifyBatch(texts.slice(0, 64)); // warm-up
  let reviews = 0;
  const done = statusTicker(
    `the model in this process, classifyBatch of ${MODEL_BATCH}, for ${seconds} s`,
    () => `${int(reviews)} reviews`,
  );
  const started = performance.now();
  const cpuStarted = cpuNowMs();
  let elapsed = 0;
  try {
    // Whole passes over the reviews, at least one, until the time is up.
    do {
      for (let i = 0; i < texts.length; i += MODEL_BATCH) {
        const batch = texts.slice(i, i + MODEL_BATCH);
        await classifier.classifyBatch(batch);
        reviews += batch.length;
      }
      elapsed = (performance.now() - started) / 1000;
    } while (elapsed < seconds);
  } finally {
    done();
  }
  const cpuPerReview = (cpuNowMs() - cpuStarted) / reviews;
  const latencies: number[] = [];
  const singles = texts.slice(0, 300);
  const cpuSingles = cpuNowMs();
  for (const text of singles) {
    const t0 = performance.now();
    await classifier.classify(text);
    latencies.push(performance.now() - t0);
  }
  return {
    reviewsPerSecond: reviews / elapsed,
    reviews,
    seconds: elapsed,
    cpuPerReview,
    single: latencyOf(latencies),
    cpuPerSingle: (cpuNowMs() - cpuSingles) / singles.length,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Many requests in a row

async function inARow(target: Target, count: number, inFlight: number, sample: () => void) {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  let next = 0;
  let answered = 0;
  let lost = 0;
  let failed = 0;
  const statuses: Record<string, number> = {};
  const examples: string[] = [];
  const latencies: number[] = [];
  const note = (example: string): void => {
    if (examples.length < 5) examples.push(example);
  };
  const done = statusTicker(`${int(count)} requests in a row, ${target.label}, ${inFlight} in flight`, () => {
    sample();
    return `${int(answered + lost)}/${int(count)} done, ${lost} lost, ${failed} failed`;
  });
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const body = target.bodies[i % target.bodies.length] ?? '';
      const t0 = performance.now();
      try {
        const answer = await post(agent, target.url, target.contentType, body);
        latencies.push(performance.now() - t0);
        answered++;
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status !== 200 || !oneResult(answer.body)) {
          failed++;
          note(`request ${i + 1}: ${answer.status} ${answer.body.slice(0, 200)}`);
        }
      } catch (error) {
        lost++;
        note(`request ${i + 1}: no answer (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: inFlight }, worker));
  } finally {
    done();
    agent.destroy();
  }
  return {
    requests: count,
    lost,
    failed,
    statuses,
    examples,
    seconds: (performance.now() - started) / 1000,
    latency: latencyOf(latencies),
  };
}

// ---------------------------------------------------------------------------------------------

const seqCell = (s: Latency & { readonly failed: number }): string =>
  `p50 ${ms(s.p50)} / p90 ${ms(s.p90)} / p99 ${ms(s.p99)} / max ${ms(s.max)} ms` +
  (s.failed > 0 ? ` (${s.failed} failed)` : '');
const cpuCell = (c: { client: number; gateway: number | undefined; endpoint: number | undefined }): string =>
  `gateway ${c.gateway === undefined ? '?' : ms(c.gateway)}, endpoint ${c.endpoint === undefined ? '?' : ms(c.endpoint)}, client ${ms(c.client)}`;

type LoadResult = Awaited<ReturnType<typeof load>>;
const loadErrors = (r: LoadResult): number => r.non2xx + r.errors;

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS.split(' '), ['quick']);
  const quick = flags.get('quick') === 'true';
  const settings = {
    reviews: positiveIntegerFlag(flags, 'reviews', quick ? 500 : 2000),
    duration: positiveIntegerFlag(flags, 'duration', quick ? 3 : 10),
    connections: positiveIntegerFlag(flags, 'connections', 64),
    sequential: positiveIntegerFlag(flags, 'sequential', quick ? 100 : 500),
    inARow: positiveIntegerFlag(flags, 'in-a-row', quick ? 1000 : 10_000),
    inFlight: positiveIntegerFlag(flags, 'in-flight', 8),
  };
  const artifactDir = resolve(flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR);
  const dataDir = flags.get('data-dir');
  const maxWaitMs = flags.get('max-wait-ms');
  const threads = flags.has('threads') ? positiveIntegerFlag(flags, 'threads', 1) : undefined;
  const jsonFile = flags.get('json');

  const texts = await testTexts(dataDir, settings.reviews);
  const meanChars = texts.reduce((n, t) => n + t.length, 0) / texts.length;

  const [loadBefore = 0] = loadavg();
  const { cpu, cores } = thisMachine();
  const machine = `${cpu}, ${cores} cores, Node ${process.versions.node}, ${process.platform}; load average before the run ${loadBefore.toFixed(2)}`;
  const stack = await startStack({
    artifactDir,
    throttling: false,
    exitOnSignal: 130,
    ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
    ...(threads === undefined ? {} : { threads }),
  });

  let lostOrFailed = false;
  try {
    const { endpoint, gateway, endpointUrl, gatewayUrl, model } = stack;
    const gatewayLog = gateway.logFile ?? '';
    const pids = { endpoint: endpoint.pid, gateway: gateway.pid };
    const atStart = { endpoint: rssKb(pids.endpoint), gateway: rssKb(pids.gateway) };

    const viaGateway: Target = {
      label: 'through the gateway',
      url: new URL('/sentiment', gatewayUrl),
      contentType: 'application/json',
      bodies: texts.map((text) => JSON.stringify({ text })),
    };
    const direct: Target = {
      label: 'endpoint server directly',
      url: new URL('/invocations', endpointUrl),
      contentType: 'text/plain; charset=utf-8',
      bodies: texts,
    };

    // Where the time goes: CPU time of each process per request over each measured stretch, and
    // the gateway's own timings from its log.
    const markNow = () => ({
      client: cpuNowMs(),
      gateway: cpuMs(pids.gateway),
      endpoint: cpuMs(pids.endpoint),
      gatewayLogBytes: statSync(gatewayLog).size,
    });
    let mark = markNow();
    const begin = (): void => {
      mark = markNow();
    };
    const cpuSince = (from: ReturnType<typeof markNow>, requests: number) => {
      const to = markNow();
      const per = (a: number | undefined, b: number | undefined): number | undefined =>
        a === undefined || b === undefined ? undefined : (b - a) / requests;
      return {
        client: (to.client - from.client) / requests,
        gateway: per(from.gateway, to.gateway),
        endpoint: per(from.endpoint, to.endpoint),
      };
    };

    if (flags.has('explain')) {
      const count = positiveIntegerFlag(flags, 'explain', 200);
      const suite = parseSuite(JSON.parse(readFileSync(SUITE, 'utf8')) as unknown).map((item) => item.text);
      const long = texts.filter((t) => Math.abs(t.length - meanChars) <= 0.2 * meanChars);
      process.stdout.write(`Machine: ${machine}. Model ${model}.\n\n| ${count} requests | figure | bar |\n|-|-|-|\n`);
      const samples = { 'a sentence (behavioural suite)': suite, 'an IMDB-length review': long };
      for (const [what, sample] of Object.entries(samples)) {
        const bodies = sample.map((text) => JSON.stringify({ text, explain: true }));
        const target: Target = { ...viaGateway, label: `"explain": true, ${what}`, bodies };
        const latency = await sequential(target, count, begin, (body, i) => oneResult(body, sample[i], true));
        const [cpu, chars] = [cpuSince(mark, count), sample.reduce((n, t) => n + t.length, 0) / sample.length];
        process.stdout.write(
          `| ${what}, ${int(chars)} characters on average | ${seqCell(latency)}; CPU ms per request: ${cpuCell(cpu)} | p50 <= 50 ms: ${verdict(latency.p50 <= 50 && latency.failed === 0)} |\n`,
        );
      }
      return;
    }

    // 1. One review at a time.
    const sequentialGateway = await sequential(viaGateway, settings.sequential, begin);
    const cpuSequentialGateway = cpuSince(mark, sequentialGateway.count + sequentialGateway.failed);
    await new Promise((done) => setTimeout(done, 200)); // the last access log line
    const insideGateway = gatewayTimings(gatewayLog, mark.gatewayLogBytes);
    const sequentialEndpoint = await sequential(direct, settings.sequential, begin);
    const cpuSequentialEndpoint = cpuSince(mark, sequentialEndpoint.count + sequentialEndpoint.failed);
    stack.assertAlive();

    // 2. Under load: (c) the model in this process (the servers idle), (b) the endpoint's own, (a)
    // through the gateway; (b) sits between the two it is held against, as this machine's speed drifts.
    const inProc = await inProcess(artifactDir, texts, settings.duration, threads);
    const loadEndpoint = await load(direct, settings.connections, settings.duration, begin);
    const cpuLoadEndpoint = cpuSince(mark, loadEndpoint.ok + loadEndpoint.non2xx);
    stack.assertAlive();
    const loadGateway = await load(viaGateway, settings.connections, settings.duration, begin);
    const cpuLoadGateway = cpuSince(mark, loadGateway.ok + loadGateway.non2xx);
    stack.assertAlive();

    // 3. Many in a row, with each server's memory around it.
    const before = { endpoint: rssKb(pids.endpoint), gateway: rssKb(pids.gateway) };
    const peak = { ...before };
    const sample = (): void => {
      const now = { endpoint: rssKb(pids.endpoint), gateway: rssKb(pids.gateway) };
      peak.endpoint = Math.max(peak.endpoint ?? 0, now.endpoint ?? 0);
      peak.gateway = Math.max(peak.gateway ?? 0, now.gateway ?? 0);
    };
    const row = await inARow(viaGateway, settings.inARow, settings.inFlight, sample);
    sample();
    const after = { endpoint: rssKb(pids.endpoint), gateway: rssKb(pids.gateway) };
    stack.assertAlive();
    lostOrFailed = row.lost > 0 || row.failed > 0;

    const memory = (name: 'endpoint' | 'gateway') => ({
      pid: pids[name],
      atStartKb: atStart[name],
      beforeKb: before[name],
      afterKb: after[name],
      peakKb: peak[name],
    });
    const memoryEndpoint = memory('endpoint');
    const memoryGateway = memory('gateway');

    // ---- Report
    const date = new Date().toISOString().slice(0, 10);
    const ab = loadGateway.requestsPerSecond / loadEndpoint.requestsPerSecond;
    const bc = loadEndpoint.requestsPerSecond / inProc.reviewsPerSecond;
    const overheadP50 = sequentialGateway.p50 - sequentialEndpoint.p50;
    const growth = (m: ReturnType<typeof memory>): string =>
      m.beforeKb === undefined || m.afterKb === undefined
        ? '?'
        : `${m.afterKb >= m.beforeKb ? '+' : ''}${mb(m.afterKb - m.beforeKb)}`;
    const loadCell = (r: LoadResult): string =>
      `${int(r.requestsPerSecond)} req/s; p50 ${ms(r.latency.p50)} / p99 ${ms(r.latency.p99)} ms; ${loadErrors(r)} errors`;
    const errorDetail = (r: LoadResult): string =>
      `${int(r.ok)} answered 200 in ${r.seconds.toFixed(1)} s; non-2xx ${r.non2xx}, connection errors ${r.errors} (timeouts ${r.timeouts})`;
    const memoryCell = (m: ReturnType<typeof memory>): string =>
      `${mb(m.beforeKb)} -> ${mb(m.afterKb)} MB (${growth(m)} MB; peak ${mb(m.peakKb)}, at start ${mb(m.atStartKb)}; pid ${m.pid ?? '?'})`;

    const lines = [
      `## Serving (${date})`,
      '',
      `Machine: ${machine}. Model ${model} (${artifactDir.replace(ROOT, '')}). ${texts.length} IMDB test reviews (${int(meanChars)} characters on average), one review per request. Endpoint server and local gateway each in its own process, on this machine with the client; batcher wait ${maxWaitMs ?? DEFAULT_MAX_WAIT_MS} ms; ONNX Runtime threads ${threads ?? DEFAULT_THREADS}, in the endpoint server and in-process alike.`,
      '',
      '| measure | figure | bar |',
      '| --- | --- | --- |',
      `| one review through the chain, one at a time (${settings.sequential}, keep-alive) | ${seqCell(sequentialGateway)} | p50 < 10 ms: ${verdict(sequentialGateway.p50 < 10 && sequentialGateway.failed === 0)} |`,
      `| one review to the endpoint server directly, one at a time | ${seqCell(sequentialEndpoint)} | |`,
      `| one review to the model in-process, one classify() call at a time (300) | p50 ${ms(inProc.single.p50)} / p99 ${ms(inProc.single.p99)} ms; CPU ${ms(inProc.cpuPerSingle)} ms per review | |`,
      `| gateway + handler + SDK share of one review (chain p50 - endpoint p50) | ${ms(overheadP50)} ms | |`,
      `| ... as the gateway's own log times it (p50): whole request in the gateway / its handler, SDK call included | ${ms(insideGateway.gateway.p50)} / ${ms(insideGateway.handler.p50)} ms | |`,
      `| CPU ms per request, one at a time: through the chain; endpoint directly | ${cpuCell(cpuSequentialGateway)}; ${cpuCell(cpuSequentialEndpoint)} | |`,
      `| (a) through the gateway under load (${settings.connections} connections, ${settings.duration} s) | ${loadCell(loadGateway)} | |`,
      `| (b) endpoint server's own under load | ${loadCell(loadEndpoint)} | |`,
      `| (c) model batch throughput in-process (classifyBatch of ${MODEL_BATCH}) | ${int(inProc.reviewsPerSecond)} reviews/s; CPU ${ms(inProc.cpuPerReview)} ms per review | >= 1,000 on 2 cores: ${verdict(inProc.reviewsPerSecond >= 1000)} |`,
      `| CPU ms per request under load: (a); (b) | ${cpuCell(cpuLoadGateway)}; ${cpuCell(cpuLoadEndpoint)} | |`,
      `| a/b | ${pct(ab)} with ${loadErrors(loadGateway)} errors | >= 80% with 0 errors: ${verdict(ab >= 0.8 && loadErrors(loadGateway) === 0)} |`,
      `| b/c | ${pct(bc)} | >= 70%: ${verdict(bc >= 0.7)} |`,
      `| ${int(row.requests)} requests in a row through the gateway (${settings.inFlight} in flight) | ${row.lost} lost, ${row.failed} failed; ${row.seconds.toFixed(1)} s, p50 ${ms(row.latency.p50)} / p99 ${ms(row.latency.p99)} ms | 0 lost, 0 failed: ${verdict(!lostOrFailed)} |`,
      `| endpoint server RSS, before -> after the requests in a row | ${memoryCell(memoryEndpoint)} | |`,
      `| local gateway RSS, before -> after the requests in a row | ${memoryCell(memoryGateway)} | |`,
      '',
      `Load details: (a) ${errorDetail(loadGateway)}; (b) ${errorDetail(loadEndpoint)}. Mean latency one at a time: chain ${ms(sequentialGateway.mean)} ms, endpoint ${ms(sequentialEndpoint.mean)} ms.`,
      `In a row: statuses ${JSON.stringify(row.statuses)}.${row.examples.length > 0 ? ` First problems: ${row.examples.join(' | ')}` : ''}`,
      `Note: all on ${cores} cores shared by the client, the gateway and the endpoint server; while (c) runs the servers are idle.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    if (jsonFile !== undefined) {
      await writeJson(jsonFile, {
        date: new Date().toISOString(),
        machine: { cpu, cores, node: process.versions.node, platform: process.platform, loadAverage: loadBefore },
        model,
        artifact: artifactDir,
        settings: { ...settings, maxWaitMs: maxWaitMs ?? null, threads: threads ?? null, meanChars },
        sequential: {
          gateway: sequentialGateway,
          endpoint: sequentialEndpoint,
          overheadP50,
          insideGateway,
          cpuPerRequest: { gateway: cpuSequentialGateway, endpoint: cpuSequentialEndpoint },
        },
        load: {
          gateway: loadGateway,
          endpoint: loadEndpoint,
          inProcess: inProc,
          ab,
          bc,
          cpuPerRequest: { gateway: cpuLoadGateway, endpoint: cpuLoadEndpoint },
        },
        inARow: row,
        memory: { endpoint: memoryEndpoint, gateway: memoryGateway },
      });
    }
  } finally {
    await stack.close();
  }
  if (lostOrFailed) {
    process.stderr.write('\nFAILED: requests were lost or failed in a row (see the table).\n');
    process.exitCode = 1;
  }
});
