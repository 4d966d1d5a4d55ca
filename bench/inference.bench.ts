/**
 * TypeScript inference speed of an artifact (the shipped one by default): text processing plus
 * onnxruntime-node, on IMDB test reviews in file order.
 *   npm run bench:inference -- [--artifact DIR] [--reviews 2000] [--runs 5] [--threads N]
 * Prints the median reviews/s over runs with requests of 32 reviews (the classifier runs them
 * in model batches of similar length), the same for single sentences (the behavioural suite's
 * 263 hand-written ones, what the extension mostly sees), the p50/p99 latency of one review
 * at a time, and the model's FLOPs per average review (so the figure can be held against the
 * machine's limit), from the card's `model` fields; a card without one of them is an error, not a
 * zero. Quantiles are nearest rank (common/stats.ts).
 *   npm run bench:inference -- --explain 100 [--reviews 2000]: instead, the time of one explanation
 *   (model/inference/explain.ts), warm, of each of 100 IMDB-length reviews (within 20% of the mean
 *   token count): median and p90 ms.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseFlags, positiveIntegerFlag, runCli } from '../common/cli/run.ts';
import { ReelSenseError } from '../common/errors.ts';
import { median, quantile } from '../common/stats.ts';
import { readLabelledCsv } from '../model/data/csv.ts';
import { locateDataset } from '../model/data/locate.ts';
import { SHIPPED_ARTIFACT_DIR, classifierFromArtifact, loadArtifactFromDirectory } from '../model/inference/node.ts';
import { parseSuite } from '../model/inference/behaviour.ts';
import type { ModelCard } from '../model/inference/card.ts';
import type { SentimentClassifier } from '../model/inference/classifier.ts';
import { explain } from '../model/inference/explain.ts';
import { encode } from '../model/text/index.ts';

const SUITE = new URL('../tests/fixtures/behaviour/suite.json', import.meta.url);

/** Items/s of each of `runs` passes, in requests of 32, after a warm-up. */
async function passRates(classifier: SentimentClassifier, texts: readonly string[], runs: number): Promise<number[]> {
  await classifier.classifyBatch(texts.slice(0, 64)); // warm-up
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    for (let i = 0; i < texts.length; i += 32) await classifier.classifyBatch(texts.slice(i, i + 32));
    rates.push(texts.length / ((performance.now() - started) / 1000));
  }
  return rates;
}

/** The card's `model` fields the FLOPs come from (model/train/model.py, ModelConfig). */
interface RecurrentShape {
  readonly embed_dim: number;
  readonly hidden: number;
  readonly cell: 'gru' | 'lstm';
  readonly bidirectional: boolean;
  /** > 0: the n-gram branch (one weight per distinct unigram and per hashed bigram). */
  readonly ngram_buckets: number;
}

function recurrentShape(card: ModelCard): RecurrentShape {
  const model = (card.model ?? {}) as Record<string, unknown>;
  const wrong = (field: string, expected: string): never => {
    throw new ReelSenseError(
      'CARD_FIELD_MISSING',
      `${card.version}'s card.json: model.${field} is ${JSON.stringify(model[field])}, not ${expected}: the FLOPs cannot be counted.`,
    );
  };
  const count = (field: string): number => {
    const value = model[field];
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : wrong(field, 'a whole number');
  };
  const cell = model.cell === 'gru' || model.cell === 'lstm' ? model.cell : wrong('cell', '"gru" or "lstm"');
  const bidirectional =
    typeof model.bidirectional === 'boolean' ? model.bidirectional : wrong('bidirectional', 'a boolean');
  return {
    embed_dim: count('embed_dim'),
    hidden: count('hidden'),
    cell,
    bidirectional,
    ngram_buckets: count('ngram_buckets'),
  };
}

/**
 * Multiply-adds x2 per token: input projection and recurrence of each gate, each direction; and
 * with the n-gram branch, its unigram and bigram weight of the token (a multiply-add each).
 */
function flopsPerToken(m: RecurrentShape): number {
  const gates = m.cell === 'lstm' ? 4 : 3;
  const directions = m.bidirectional ? 2 : 1;
  return directions * gates * m.hidden * (m.embed_dim + m.hidden) * 2 + (m.ngram_buckets > 0 ? 2 * 2 : 0);
}

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), ['artifact', 'reviews', 'runs', 'threads', 'data-dir', 'explain']);
  const dir = flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR;
  const count = positiveIntegerFlag(flags, 'reviews', 2000);
  const runs = positiveIntegerFlag(flags, 'runs', 5);
  const threads = flags.has('threads') ? positiveIntegerFlag(flags, 'threads', 1) : undefined;
  const dataDir = flags.get('data-dir');
  const { test } = await locateDataset(dataDir === undefined ? {} : { dataDir });
  const texts = (await readLabelledCsv(test)).slice(0, count).map((r) => r.text);
  const artifact = await loadArtifactFromDirectory(dir);
  const { card } = artifact;
  const shape = recurrentShape(card); // before the long part: a card it cannot read fails now
  const classifier = await classifierFromArtifact(artifact, threads === undefined ? {} : { threads });

  const tokens = texts.reduce((n, t) => n + encode(t, classifier.vocabulary).length, 0) / texts.length;
  const flops = flopsPerToken(shape) * tokens;
  if (flags.has('explain')) {
    const near = texts.filter((t) => Math.abs(encode(t, classifier.vocabulary).length - tokens) <= 0.2 * tokens);
    const picked = near.slice(0, positiveIntegerFlag(flags, 'explain', 100));
    for (const text of picked.slice(0, 5)) await explain(classifier, text); // warm-up
    const [times, cpu] = [[] as number[], process.cpuUsage()];
    for (const text of picked) {
      const started = performance.now();
      await explain(classifier, text);
      times.push(performance.now() - started);
    }
    const line = `explanation of one IMDB-length review (${picked.length} reviews of ${tokens.toFixed(0)} +-20% tokens), warm: median ${median(times).toFixed(1)} ms, p90 ${quantile(times, 0.9).toFixed(1)} ms; CPU ${[process.cpuUsage(cpu)].map((u) => (u.user + u.system) / 1000 / picked.length)[0]?.toFixed(1)} ms each; load ${loadavg()[0]?.toFixed(1)}; ${cpus()[0]?.model ?? 'CPU'} (${availableParallelism()} cores), Node ${process.versions.node}`;
    return void process.stdout.write(`${line}\n`);
  }

  const rates = await passRates(classifier, texts, runs);
  const suite = parseSuite(JSON.parse(await readFile(SUITE, 'utf8')) as unknown).map((i) => i.text);
  const sentences = Array.from({ length: 2000 }, (_, i) => suite[i % suite.length] ?? '');
  const sentenceRates = await passRates(classifier, sentences, runs);
  const latencies: number[] = [];
  for (const text of texts.slice(0, 300)) {
    const started = performance.now();
    await classifier.classify(text);
    latencies.push(performance.now() - started);
  }
  const rate = median(rates);
  const lines = [
    `model ${card.version}; ${texts.length} test reviews, ${tokens.toFixed(0)} tokens on average; ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'} (${availableParallelism()} cores), Node ${process.versions.node}, ONNX Runtime threads: ${threads ?? 'default'}`,
    `requests of 32 reviews: median ${rate.toFixed(0)} reviews/s over ${runs} runs (min ${Math.min(...rates).toFixed(0)}, max ${Math.max(...rates).toFixed(0)})`,
    `single sentences (${sentences.length}, ${(sentences.reduce((n, t) => n + encode(t, classifier.vocabulary).length, 0) / sentences.length).toFixed(0)} tokens on average), requests of 32: median ${median(sentenceRates).toFixed(0)} sentences/s (min ${Math.min(...sentenceRates).toFixed(0)}, max ${Math.max(...sentenceRates).toFixed(0)})`,
    `one review at a time: p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms`,
    `model FLOPs per average review: ${(flops / 1e6).toFixed(1)} M; at the median rate ${((flops * rate) / 1e9).toFixed(1)} GFLOP/s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});
