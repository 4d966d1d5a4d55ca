/**
 * npm run evaluate:behaviour -- [--artifact DIR[,DIR...]] [--json] [--failures] [--write-card]
 * Runs artifacts (the shipped one by default) through the TypeScript path on the behavioural
 * suite and the edited pairs (behaviour.ts) and prints, side by side, the pass rate of each
 * capability and, for each half of the edited pairs, accuracy on originals and edits and the
 * share of pairs with both verdicts right. A report: nothing is chosen by it. --write-card puts
 * each artifact's figures into its card.json under "behaviour" (card.json is not among the
 * hashed files, so the artifact stays valid).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, runCli } from '../../common/cli/run.ts';
import {
  parseEditedHalf,
  parseSuite,
  scoreEditedHalf,
  scoreSuite,
  type EditedReport,
  type SuiteReport,
} from './behaviour.ts';
import { createNodeClassifier, SHIPPED_ARTIFACT_DIR } from './node.ts';

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/', import.meta.url));
const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8')) as unknown;

export interface BehaviourResult {
  readonly model: string;
  readonly suite: SuiteReport;
  readonly edited: readonly EditedReport[];
}

export async function behaviourOf(dir: string): Promise<BehaviourResult> {
  const suite = parseSuite(await readJson(`${FIXTURES}behaviour/suite.json`));
  const halves = await Promise.all(
    ['train-half.json', 'validation-half.json'].map(async (f) =>
      parseEditedHalf(await readJson(`${FIXTURES}edited-pairs/${f}`), f),
    ),
  );
  const classifier = await createNodeClassifier(dir, { batchSize: 32 });
  const suiteScores = (await classifier.classifyBatch(suite.map((i) => i.text))).map((p) => p.score);
  const edited = [];
  for (const half of halves) {
    const originals = await classifier.classifyBatch(half.items.map((p) => p.original));
    const edits = await classifier.classifyBatch(half.items.map((p) => p.edited));
    edited.push(
      scoreEditedHalf(
        half,
        originals.map((o, i) => [o.score, edits[i]?.score ?? Number.NaN] as const),
      ),
    );
  }
  return { model: classifier.version, suite: scoreSuite(suite, suiteScores), edited };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function table(results: readonly BehaviourResult[]): string {
  const header = `| | ${results.map((r) => r.model).join(' | ')} |\n|---|${results.map(() => '---:').join('|')}|`;
  const first = results[0];
  if (first === undefined) return '';
  const rows = [
    `| behavioural suite, overall (${first.suite.overall.items} sentences) | ${results.map((r) => pct(r.suite.overall.rate)).join(' | ')} |`,
    ...first.suite.capabilities.map(
      (c) =>
        `| ${c.capability} (${c.items}) | ${results
          .map((r) => pct(r.suite.capabilities.find((x) => x.capability === c.capability)?.rate ?? Number.NaN))
          .join(' | ')} |`,
    ),
    `| names groups with one label | ${results.map((r) => `${r.suite.groups - r.suite.inconsistentGroups.length}/${r.suite.groups}`).join(' | ')} |`,
    ...first.edited.flatMap((h, i) => [
      `| edited pairs, ${h.half} half (${h.pairs}): originals right | ${results.map((r) => pct(r.edited[i]?.originalAccuracy ?? Number.NaN)).join(' | ')} |`,
      `| edited pairs, ${h.half} half: edits right | ${results.map((r) => pct(r.edited[i]?.editedAccuracy ?? Number.NaN)).join(' | ')} |`,
      `| edited pairs, ${h.half} half: both right | ${results.map((r) => pct(r.edited[i]?.bothRight ?? Number.NaN)).join(' | ')} |`,
    ]),
  ];
  return `${header}\n${rows.join('\n')}\n`;
}

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), ['artifact'], ['json', 'failures', 'write-card']);
  const dirs = (flags.get('artifact') ?? SHIPPED_ARTIFACT_DIR).split(',').filter((d) => d !== '');
  const results = [];
  for (const dir of dirs) {
    const result = await behaviourOf(dir);
    results.push(result);
    if (flags.get('write-card') === 'true') {
      const path = join(dir, 'card.json');
      const card = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      const { overall, capabilities, groups, inconsistentGroups } = result.suite;
      card.behaviour = {
        command: 'npm run evaluate:behaviour',
        suite: { overall, capabilities, groups, inconsistentGroups },
        edited: result.edited,
      };
      await writeFile(path, `${JSON.stringify(card, null, 2)}\n`);
    }
  }
  if (flags.get('json') === 'true') {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  process.stdout.write(table(results));
  if (flags.get('failures') === 'true') {
    for (const r of results) {
      process.stdout.write(`\n${r.model} fails:\n`);
      for (const f of r.suite.failures)
        process.stdout.write(`  ${f.id} ${f.expected} ${f.score.toFixed(3)} ${f.text}\n`);
    }
  }
});
