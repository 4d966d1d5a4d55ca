/**
 * The behavioural checks a model is reported on, never trained on or chosen by: the CheckList-
 * style suite of short sentences (tests/fixtures/behaviour/suite.json) and the edited pairs
 * (tests/fixtures/edited-pairs/: real IMDB training reviews and copies edited by hand to say the
 * opposite). This module parses them and scores predictions; behaviour-report.ts runs a model.
 * Browser-safe.
 */
import { ReelSenseError } from '../../common/errors.ts';
import type { SentimentLabel } from './classifier.ts';

export interface SuiteItem {
  readonly id: string;
  readonly capability: string;
  readonly text: string;
  readonly label: SentimentLabel;
  /** Names capability: items of one group differ only in a person's name. */
  readonly group?: string;
}

export interface EditedPair {
  readonly id: string;
  readonly row: number;
  readonly original: string;
  readonly originalLabel: SentimentLabel;
  readonly edited: string;
  readonly editedLabel: SentimentLabel;
}

export interface EditedHalf {
  readonly half: 'train' | 'validation';
  readonly items: readonly EditedPair[];
}

const isLabel = (value: unknown): value is SentimentLabel => value === 'positive' || value === 'negative';

function fail(file: string, why: string): never {
  throw new ReelSenseError('FIXTURE_INVALID', `${file} is not a valid fixture: ${why}.`);
}

export function parseSuite(value: unknown, file = 'suite.json'): SuiteItem[] {
  const items = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return fail(file, '"items" must be a list');
  return items.map((item: unknown, i) => {
    const it = item as Partial<SuiteItem> | null;
    if (
      typeof it?.id !== 'string' ||
      typeof it.capability !== 'string' ||
      typeof it.text !== 'string' ||
      !isLabel(it.label)
    ) {
      return fail(file, `item ${i + 1} needs a string id, capability and text, and a label positive or negative`);
    }
    return it as SuiteItem;
  });
}

export function parseEditedHalf(value: unknown, file = 'edited pairs'): EditedHalf {
  const half = (value as { half?: unknown } | null)?.half;
  const items = (value as { items?: unknown } | null)?.items;
  if (half !== 'train' && half !== 'validation') return fail(file, '"half" must be train or validation');
  if (!Array.isArray(items)) return fail(file, '"items" must be a list');
  return {
    half,
    items: items.map((item: unknown, i) => {
      const it = item as Partial<EditedPair> | null;
      const ok =
        typeof it?.id === 'string' &&
        Number.isInteger(it.row) &&
        typeof it.original === 'string' &&
        typeof it.edited === 'string' &&
        isLabel(it.originalLabel) &&
        isLabel(it.editedLabel) &&
        it.originalLabel !== it.editedLabel;
      return ok ? (it as EditedPair) : fail(file, `item ${i + 1} needs id, row, original, edited and opposite labels`);
    }),
  };
}

export interface CapabilityResult {
  readonly capability: string;
  readonly items: number;
  readonly passed: number;
  readonly rate: number;
}

export interface SuiteReport {
  readonly overall: { readonly items: number; readonly passed: number; readonly rate: number };
  readonly capabilities: readonly CapabilityResult[];
  /** How many names groups there are, and those whose items did not all get one label. */
  readonly groups: number;
  readonly inconsistentGroups: readonly string[];
  readonly failures: readonly {
    readonly id: string;
    readonly text: string;
    readonly expected: SentimentLabel;
    readonly score: number;
  }[];
}

/** `scores[i]` is P(positive) of `items[i]`; an item passes when its label is right. */
export function scoreSuite(items: readonly SuiteItem[], scores: readonly number[]): SuiteReport {
  const byCapability = new Map<string, { items: number; passed: number }>();
  const groups = new Map<string, Set<SentimentLabel>>();
  const failures: SuiteReport['failures'][number][] = [];
  items.forEach((item, i) => {
    const score = scores[i] ?? Number.NaN;
    const predicted: SentimentLabel = score >= 0.5 ? 'positive' : 'negative';
    const entry = byCapability.get(item.capability) ?? { items: 0, passed: 0 };
    entry.items++;
    if (predicted === item.label) entry.passed++;
    else failures.push({ id: item.id, text: item.text, expected: item.label, score });
    byCapability.set(item.capability, entry);
    if (item.group !== undefined) groups.set(item.group, (groups.get(item.group) ?? new Set()).add(predicted));
  });
  const capabilities = [...byCapability].map(([capability, e]) => ({ capability, ...e, rate: e.passed / e.items }));
  const passed = capabilities.reduce((n, c) => n + c.passed, 0);
  return {
    overall: { items: items.length, passed, rate: passed / Math.max(1, items.length) },
    capabilities,
    groups: groups.size,
    inconsistentGroups: [...groups].filter(([, labels]) => labels.size > 1).map(([group]) => group),
    failures,
  };
}

export interface EditedReport {
  readonly half: EditedHalf['half'];
  readonly pairs: number;
  readonly originalAccuracy: number;
  readonly editedAccuracy: number;
  /** Share of pairs with both verdicts right: the model read the edit. */
  readonly bothRight: number;
}

/** `scores[i]` is [P(positive) of the original, of the edited copy] of pair i. */
export function scoreEditedHalf(half: EditedHalf, scores: readonly (readonly [number, number])[]): EditedReport {
  let original = 0;
  let edited = 0;
  let both = 0;
  half.items.forEach((pair, i) => {
    const [o, e] = scores[i] ?? [Number.NaN, Number.NaN];
    const originalRight = (o >= 0.5 ? 'positive' : 'negative') === pair.originalLabel;
    const editedRight = (e >= 0.5 ? 'positive' : 'negative') === pair.editedLabel;
    if (originalRight) original++;
    if (editedRight) edited++;
    if (originalRight && editedRight) both++;
  });
  const n = Math.max(1, half.items.length);
  return {
    half: half.half,
    pairs: half.items.length,
    originalAccuracy: original / n,
    editedAccuracy: edited / n,
    bothRight: both / n,
  };
}
