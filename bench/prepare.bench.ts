/**
 * Times `data:prepare` on the full dataset (train + test, 50,000 reviews) from a cold
 * folder, a few runs, and prints the median. Usage: npm run bench:prepare [-- --runs 3]
 */
import { rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlags, positiveIntegerFlag, runCli } from '../common/cli/run.ts';
import { median } from '../common/stats.ts';
import { prepareData } from '../model/prepare/prepare.ts';

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), ['runs', 'data-dir']);
  const runs = positiveIntegerFlag(flags, 'runs', 3);
  const outDir = join(tmpdir(), `reelsense-bench-prepare-${process.pid}`);
  const seconds: number[] = [];
  for (let run = 1; run <= runs; run++) {
    await rm(outDir, { recursive: true, force: true });
    const started = performance.now();
    const { manifest } = await prepareData({ outDir, dataDir: flags.get('data-dir'), quiet: true });
    seconds.push((performance.now() - started) / 1000);
    const reviews = Object.values(manifest.splits).reduce((n, s) => n + s.reviews, 0);
    process.stdout.write(
      `run ${run}: ${seconds.at(-1)?.toFixed(1)} s for ${reviews.toLocaleString('en-US')} reviews\n`,
    );
  }
  const started = performance.now();
  const { reused } = await prepareData({ outDir, dataDir: flags.get('data-dir'), quiet: true });
  const cachedSeconds = (performance.now() - started) / 1000;
  await rm(outDir, { recursive: true, force: true });
  const sorted = [...seconds].sort((a, b) => a - b);
  process.stdout.write(
    `data:prepare, cold: median ${median(seconds).toFixed(1)} s over ${runs} runs (min ${sorted[0]?.toFixed(1)}, max ${sorted.at(-1)?.toFixed(1)}); ` +
      `re-run with unchanged inputs: ${cachedSeconds.toFixed(2)} s (reused: ${reused}); machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}\n`,
  );
});
