/**
 * The soak test (DESIGN.md, Bars: reliability, "no request lost under load"): the local stack as
 * `npm start` runs it (the endpoint server and the local gateway, each its own process, the
 * shipped model), held at full load through the gateway for a minute.
 *
 *   npm run bench:soak -- [--quick] [--seconds 60] [--connections 64] [--reviews 2000]
 *       [--explain-every 10] [--artifact DIR] [--data-dir DIR] [--json FILE]
 *
 * autocannon sends single reviews drawn evenly from the IMDB test split (`{"text": ...}`, round
 * robin, every --explain-every-th with `"explain": true`) on --connections keep-alive connections
 * for --seconds, after a 5 s warm-up, with the gateway's throttling off (REELSENSE_RATE_LIMIT=0: one
 * load generator is one client). Every answer is checked with the client's guard (one result with a
 * label and a score, and the model's version; when asked, an explanation of that review).
 * Reported: answers by status, failures (non-2xx, bad bodies, connection errors, timeouts), lost
 * requests (sent but never answered, beyond the ones in flight when the client stops at the end),
 * latency p50/p90/p99/max, throughput, each server's RSS before and after (and sampled every 5 s),
 * and the gateway's own access log as a cross-check. --quick: 10 s.
 *
 * Exit code 1 if a request failed or was lost, or a server died. Linux only (/proc).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags, positiveIntegerFlag, runCli } from '../common/cli/run.ts';
import { latencyOf } from '../common/stats.ts';
import { SHIPPED_ARTIFACT_DIR } from '../model/inference/node.ts';
import { ROOT, startStack } from '../scripts/local-stack.ts';
import { int, loadAverage, mb, ms, pct, peakRssKb, rssKb, thisMachine, verdict } from '../scripts/measure.ts';
import { cannon, oneResult, type Target } from './lib/http.ts';
import { testTexts, writeJson } from './lib/io.ts';

const WARM_UP_SECONDS = 5;
const FLAGS = 'seconds connections reviews explain-every artifact data-dir json';
const RSS_EVERY_MS = 5000;

/** Statuses of the POSTs in the gateway's access log from byte `from` on. */
function accessLog(logFile: string, from: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(logFile).subarray(from).toString('utf8').split('\n')) {
    const status = / POST \/sentiment (\d{3}|-) /.exec(line)?.[1];
    if (status !== undefined) counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return counts;
}

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS.split(' '), ['quick']);
  const quick = flags.get('quick') === 'true';
  const seconds = positiveIntegerFlag(flags, 'seconds', quick ? 10 : 60);
  const connections = positiveIntegerFlag(flags, 'connections', 64);
  const reviewCount = positiveIntegerFlag(flags, 'reviews', 2000);
  const explainEvery = positiveIntegerFlag(flags, 'explain-every', 10);
  const artifactDir = resolve(flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR);
  const dataDir = flags.get('data-dir');
  const jsonFile = flags.get('json');

  const texts = await testTexts(dataDir, reviewCount);
  const asked = (i: number): boolean => i % explainEvery === 0;
  const bodies = texts.map((text, i) => JSON.stringify(asked(i) ? { text, explain: true } : { text }));
  let explained = 0; // explained answers that passed the check
  const verify = (body: string, i: number): boolean => {
    const right = oneResult(body, texts[i] ?? '', asked(i));
    if (right && asked(i)) explained++;
    return right;
  };
  const meanChars = texts.reduce((n, text) => n + text.length, 0) / texts.length;
  const machine = thisMachine();
  const [loadBefore] = loadAverage();

  const stack = await startStack({ artifactDir, throttling: false, exitOnSignal: 130 });
  let failed = false;
  try {
    const { endpoint, gateway, gatewayUrl, model } = stack;
    const pids = { gateway: gateway.pid, endpoint: endpoint.pid };
    const rss = () => ({ gateway: rssKb(pids.gateway), endpoint: rssKb(pids.endpoint) });
    const url = new URL('/sentiment', gatewayUrl);
    const target: Target = { label: 'through the gateway', url, contentType: 'application/json', bodies };

    await cannon(target, connections, WARM_UP_SECONDS, 'warm-up');
    const before = rss();
    const logFrom = statSync(gateway.logFile ?? '').size;

    const samples: { at: number; gateway: number | undefined; endpoint: number | undefined }[] = [];
    const started = performance.now();
    const sampler = setInterval(() => {
      samples.push({ at: Math.round((performance.now() - started) / 1000), ...rss() });
    }, RSS_EVERY_MS);
    const soak = cannon(target, connections, seconds, 'soak', verify).finally(() => {
      clearInterval(sampler);
    });
    const { result, mismatches, statuses, latencies } = await soak;
    const answered = result['2xx'] + result.non2xx;
    const after = rss();
    const peak = { gateway: peakRssKb(pids.gateway), endpoint: peakRssKb(pids.endpoint) };
    // The gateway's log lines for the last answers are written as their connections close.
    await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
    const log = accessLog(gateway.logFile ?? '', logFrom);
    stack.assertAlive();

    // Still serving.
    const check = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'A wonderful film.' }),
    });
    const stillUp = check.status;
    await check.body?.cancel();

    // ---- Figures
    const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
    const ok = result['2xx'] - mismatches;
    const failures = result.non2xx + mismatches + result.errors;
    const inFlightAtStop = result.requests.sent - answered - result.errors;
    const lost = Math.max(0, inFlightAtStop - connections);
    const latency = latencyOf(latencies);
    const growth = (server: 'gateway' | 'endpoint'): string => {
      const from = before[server];
      const to = after[server];
      return from === undefined || to === undefined ? '?' : pct(to / from - 1);
    };
    failed = failures > 0 || lost > 0 || stillUp !== 200;
    const [loadAfter] = loadAverage();

    const lines = [
      `### Soak (\`npm run bench:soak${quick ? ' -- --quick' : ''}\`)`,
      '',
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Model ${model} (${artifactDir.replace(ROOT, '')}). ${int(texts.length)} IMDB test reviews (${int(meanChars)} characters on average), one per request, \`{"text": ...}\` through the local gateway (throttling off) to the endpoint server, each its own process on this machine with the client; every ${explainEvery === 1 ? '' : `${explainEvery}th `}request with \`"explain": true\`. autocannon, ${connections} connections, ${seconds} s after a ${WARM_UP_SECONDS} s warm-up; every answer's body checked.`,
      '',
      '| figure | value | bar |',
      '| --- | --- | --- |',
      `| requests answered | ${int(answered)} in ${elapsed.toFixed(1)} s | |`,
      `| 200 with a valid body (with a valid explanation) | ${int(ok)} (${int(explained)}) | |`,
      `| failed (non-2xx ${int(result.non2xx)}, bad body ${int(mismatches)}, connection errors and timeouts ${int(result.errors)}) | ${int(failures)} | 0: ${verdict(failures === 0)} |`,
      `| lost (sent, never answered) | ${int(lost)} (${int(inFlightAtStop)} in flight when the client stopped at ${seconds} s, at most one per connection) | 0: ${verdict(lost === 0)} |`,
      `| throughput | ${int(ok / elapsed)} requests/s | |`,
      `| latency p50 / p90 / p99 / max | ${ms(latency.p50)} / ${ms(latency.p90)} / ${ms(latency.p99)} / ${ms(latency.max)} ms | p99 stated |`,
      `| gateway access log | ${[...log].map(([status, count]) => `${status}: ${int(count)}`).join(', ')} | |`,
      `| still serving afterwards | ${stillUp} | ${verdict(stillUp === 200)} |`,
      '',
      'RSS (MB) after the warm-up, after the soak, and the peak over the process life:',
      '',
      '| server | before | after | growth | peak |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| local gateway | ${mb(before.gateway)} | ${mb(after.gateway)} | ${growth('gateway')} | ${mb(peak.gateway)} |`,
      `| endpoint server | ${mb(before.endpoint)} | ${mb(after.endpoint)} | ${growth('endpoint')} | ${mb(peak.endpoint)} |`,
      '',
      `RSS every ${RSS_EVERY_MS / 1000} s (gateway / endpoint, MB): ${samples.map((s) => `${s.at} s ${mb(s.gateway)}/${mb(s.endpoint)}`).join(', ')}.`,
      `Statuses seen by the client: ${[...statuses].map(([status, count]) => `${status}: ${int(count)}`).join(', ')}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    if (jsonFile !== undefined) {
      await writeJson(jsonFile, {
        date: new Date().toISOString(),
        machine,
        loadAverage: { before: loadBefore, after: loadAfter },
        settings: { seconds, connections, reviews: texts.length, explainEvery, model },
        answered,
        ok,
        explained,
        failures: { non2xx: result.non2xx, mismatches, errors: result.errors },
        timeouts: result.timeouts,
        sent: result.requests.sent,
        inFlightAtStop,
        lost,
        requestsPerSecond: ok / elapsed,
        latency,
        rssKb: { before, after, peak, samples },
        accessLog: Object.fromEntries(log),
        failed,
      });
    }
  } finally {
    await stack.close();
  }
  if (failed) {
    process.stderr.write('the soak failed: see above.\n');
    process.exitCode = 1;
  }
});
