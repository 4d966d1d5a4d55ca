/**
 * npm run evaluate -- [--artifact DIR] [--data-dir DIR] [--batch-size 32] [--limit N]
 * (--batch-size: reviews per request; the classifier runs them in model batches of similar length)
 * Scores an artifact (the shipped one by default) through the TypeScript path (text pipeline +
 * onnxruntime-node) on the IMDB test split and checks its accuracy against the model card:
 * within 0.1 points, training and serving agree; otherwise it exits 1.
 */
import { availableParallelism } from 'node:os';
import { progress } from '../../common/cli/progress.ts';
import { parseFlags, positiveIntegerFlag, runCli } from '../../common/cli/run.ts';
import { readLabelledCsv } from '../data/csv.ts';
import { locateDataset } from '../data/locate.ts';
import { ReelSenseError } from '../../common/errors.ts';
import { loadArtifactFromDirectory, classifierFromArtifact, SHIPPED_ARTIFACT_DIR } from './node.ts';

const TOLERANCE_POINTS = 0.1;

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), ['artifact', 'data-dir', 'batch-size', 'limit']);
  const dir = flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR;
  const batchSize = positiveIntegerFlag(flags, 'batch-size', 32);
  const artifact = await loadArtifactFromDirectory(dir);
  const { card } = artifact;
  const classifier = await classifierFromArtifact(artifact);
  const dataDir = flags.get('data-dir');
  const { test } = await locateDataset(dataDir === undefined ? {} : { dataDir });
  const all = await readLabelledCsv(test);
  const reviews = all.slice(0, positiveIntegerFlag(flags, 'limit', all.length));

  // Requests of `batchSize` reviews in the file's order, as a client would send them.
  const bar = progress('evaluate', reviews.length, 'reviews');
  let correct = 0;
  const started = performance.now();
  for (let start = 0; start < reviews.length; start += batchSize) {
    const chunk = reviews.slice(start, start + batchSize);
    const predictions = await classifier.classifyBatch(chunk.map((r) => r.text));
    predictions.forEach((p, i) => {
      // Accuracy is of the side the score leans to; a "mixed" or "unreadable" label still has a score that leans.
      if ((p.score >= 0.5 ? 1 : 0) === chunk[i]?.label) correct++;
    });
    bar.update(start + chunk.length);
  }
  const seconds = (performance.now() - started) / 1000;
  bar.finish();

  const accuracy = correct / reviews.length;
  const lines = [
    `model ${card.version}: accuracy ${(accuracy * 100).toFixed(2)}% on ${reviews.length.toLocaleString('en-US')} test reviews`,
    `throughput ${Math.round(reviews.length / seconds).toLocaleString('en-US')} reviews/s (requests of ${batchSize} reviews, ${availableParallelism()} cores, text processing included)`,
  ];
  const carded = card.metrics.test;
  if (carded !== undefined && reviews.length === carded.reviews) {
    const gap = Math.abs(accuracy - carded.accuracy) * 100;
    lines.push(
      `card says ${(carded.accuracy * 100).toFixed(2)}%: ${gap <= TOLERANCE_POINTS ? 'agrees' : 'DISAGREES'} (gap ${gap.toFixed(2)} points, tolerance ${TOLERANCE_POINTS})`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    if (gap > TOLERANCE_POINTS) {
      throw new ReelSenseError(
        'EVALUATION_MISMATCH',
        'The TypeScript path disagrees with the accuracy training measured: the text pipeline or the export changed since the model was trained.',
      );
    }
    return;
  }
  process.stdout.write(`${lines.join('\n')}\n`);
});
