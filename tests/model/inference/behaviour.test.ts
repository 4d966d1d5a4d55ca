/**
 * The behavioural suite and the edited pairs: the fixtures hold what the issue asks of them, and
 * the scoring counts what it says it counts. (The figures themselves are a report:
 * `npm run evaluate:behaviour`.)
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  parseEditedHalf,
  parseSuite,
  scoreEditedHalf,
  scoreSuite,
  type SuiteItem,
} from '../../../model/inference/behaviour.ts';
import { ReelSenseError } from '../../../common/errors.ts';

const fixture = async (path: string): Promise<unknown> =>
  JSON.parse(await readFile(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')) as unknown;

const CAPABILITIES = [
  'negation-positive',
  'negation-negative',
  'contrast',
  'recommendation',
  'comparative',
  'rating',
  'idiom',
  'typos-casing',
  'names',
];

describe('behavioural suite fixture', () => {
  it('has 200+ distinct short sentences, 25+ in every capability, both labels in each', async () => {
    const items = parseSuite(await fixture('behaviour/suite.json'));
    expect(items.length).toBeGreaterThanOrEqual(200);
    expect(new Set(items.map((i) => i.text)).size).toBe(items.length);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const capability of CAPABILITIES) {
      const members = items.filter((i) => i.capability === capability);
      expect(members.length, capability).toBeGreaterThanOrEqual(25);
      const positive = members.filter((i) => i.label === 'positive').length;
      expect(Math.min(positive, members.length - positive) / members.length, capability).toBeGreaterThanOrEqual(0.4);
    }
    expect(new Set(items.map((i) => i.capability))).toEqual(new Set(CAPABILITIES));
    for (const item of items) expect(item.text.split(/\s+/).length, item.id).toBeLessThanOrEqual(25);
  });

  it('groups the names items so that each group shares one label', async () => {
    const names = parseSuite(await fixture('behaviour/suite.json')).filter((i) => i.capability === 'names');
    expect(names.every((i) => i.group !== undefined)).toBe(true);
    const labels = new Map<string, Set<string>>();
    for (const i of names) labels.set(i.group ?? '', (labels.get(i.group ?? '') ?? new Set()).add(i.label));
    expect(labels.size).toBeGreaterThanOrEqual(8);
    for (const [group, set] of labels) expect(set.size, group).toBe(1);
  });
});

describe('edited pairs fixture', () => {
  it.each(['train', 'validation'] as const)(
    '%s half: 50+ real reviews, each edited to the opposite label',
    async (half) => {
      const parsed = parseEditedHalf(await fixture(`edited-pairs/${half}-half.json`));
      expect(parsed.half).toBe(half);
      expect(parsed.items.length).toBeGreaterThanOrEqual(50);
      for (const pair of parsed.items) {
        expect(pair.edited).not.toBe(pair.original);
        expect(pair.editedLabel).not.toBe(pair.originalLabel);
      }
    },
  );

  it('the halves share no review', async () => {
    const rows = await Promise.all(
      ['train', 'validation'].map(async (h) =>
        parseEditedHalf(await fixture(`edited-pairs/${h}-half.json`)).items.map((p) => p.row),
      ),
    );
    const [train = [], validation = []] = rows;
    expect(train.filter((row) => validation.includes(row))).toEqual([]);
  });
});

describe('scoring', () => {
  const items: SuiteItem[] = [
    { id: 'a', capability: 'contrast', text: 'Good, but dull.', label: 'negative' },
    { id: 'b', capability: 'contrast', text: 'Dull, but good.', label: 'positive' },
    { id: 'c', capability: 'names', group: 'g1', text: 'Ann is great.', label: 'positive' },
    { id: 'd', capability: 'names', group: 'g1', text: 'Bob is great.', label: 'positive' },
  ];

  it('counts a pass per right label, per capability, and names groups split by the model', () => {
    const report = scoreSuite(items, [0.2, 0.4, 0.9, 0.3]);
    expect(report.overall).toEqual({ items: 4, passed: 2, rate: 0.5 });
    expect(report.capabilities).toEqual([
      { capability: 'contrast', items: 2, passed: 1, rate: 0.5 },
      { capability: 'names', items: 2, passed: 1, rate: 0.5 },
    ]);
    expect(report.groups).toBe(1);
    expect(report.inconsistentGroups).toEqual(['g1']);
    expect(report.failures.map((f) => f.id)).toEqual(['b', 'd']);
  });

  it('counts a pair as read only when both verdicts are right', () => {
    const half = parseEditedHalf({
      half: 'train',
      items: [
        { id: '1', row: 1, original: 'x', originalLabel: 'positive', edited: 'y', editedLabel: 'negative' },
        { id: '2', row: 2, original: 'x', originalLabel: 'negative', edited: 'y', editedLabel: 'positive' },
      ],
    });
    const report = scoreEditedHalf(half, [
      [0.9, 0.1],
      [0.1, 0.2],
    ]);
    expect(report).toEqual({ half: 'train', pairs: 2, originalAccuracy: 1, editedAccuracy: 0.5, bothRight: 0.5 });
  });

  it('refuses a malformed fixture with a clear error', () => {
    expect(() => parseSuite({ items: [{ id: 'x', text: 'y', label: 'good' }] })).toThrow(ReelSenseError);
    expect(() =>
      parseEditedHalf({
        half: 'train',
        items: [{ id: '1', row: 1, original: 'a', edited: 'b', originalLabel: 'positive', editedLabel: 'positive' }],
      }),
    ).toThrow(/opposite labels/);
  });
});
