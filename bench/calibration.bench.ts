/**
 * npm run bench:calibration -- [--artifact DIR]
 * Reads a model card's calibration figures (model/train/calibration.py: 15 equal-width bins of
 * the predicted label's confidence) on the IMDB test split and on the short-text validation set,
 * prints the expected calibration error of each, and draws the reliability diagram to
 * bench/charts/reliability.svg.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, runCli } from '../common/cli/run.ts';
import { ReelSenseError } from '../common/errors.ts';
import { SHIPPED_ARTIFACT_DIR } from '../model/inference/shipped.ts';
import { reliabilityChart, type ReliabilitySeries } from './lib/charts.ts';

const CHART = fileURLToPath(new URL('charts/reliability.svg', import.meta.url));

interface CalibrationFigures {
  readonly ece: number;
  readonly bins: ReliabilitySeries['bins'];
}

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), ['artifact']);
  const dir = flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR;
  const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as {
    version: string;
    metrics?: {
      test?: { ece?: CalibrationFigures };
      validation?: Record<string, { examples: number; ece?: CalibrationFigures }>;
    };
  };
  const sets: [string, CalibrationFigures | undefined][] = [
    ['IMDB test reviews', card.metrics?.test?.ece],
    ['validation reviews', card.metrics?.validation?.reviews?.ece],
    ['short-text validation', card.metrics?.validation?.short?.ece],
  ];
  const series = sets.flatMap(([name, f]) => (f === undefined ? [] : [{ name, ece: f.ece, bins: f.bins }]));
  if (series.length === 0) {
    throw new ReelSenseError(
      'CARD_NO_CALIBRATION',
      `${dir}card.json has no calibration figures (a model older than rnn-v3).`,
    );
  }
  for (const s of series) process.stdout.write(`${card.version} ${s.name}: ECE ${s.ece.toFixed(4)} (15 bins)\n`);
  await writeFile(
    CHART,
    await reliabilityChart(
      `Reliability of ${card.version}'s scores`,
      'accuracy against confidence, 15 equal-width bins; on the dashed line a score is a probability',
      series,
    ),
  );
  process.stdout.write(`wrote ${CHART}\n`);
});
