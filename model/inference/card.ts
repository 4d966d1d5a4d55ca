/**
 * The model card (`card.json`) as written by model/train/train.py: what the artifact is, how it
 * was trained and how well it does. Only the fields inference relies on are checked here.
 * Browser-safe.
 */
import { ReelSenseError } from '../../common/errors.ts';

export interface ClassificationMetrics {
  readonly reviews: number;
  readonly accuracy: number;
  readonly roc_auc: number;
  readonly f1: number;
  readonly log_loss: number;
  readonly confusion: Readonly<Record<'true_positive' | 'true_negative' | 'false_positive' | 'false_negative', number>>;
}

export interface ModelCard {
  readonly format: 'reelsense-model-card';
  readonly version: string;
  readonly textPipeline: string;
  /** sha256 of every other file of the artifact, by file name. */
  readonly files: Readonly<Record<string, string>>;
  readonly metrics: { readonly validation_accuracy: number; readonly test?: ClassificationMetrics };
  readonly onnx: { readonly opset: number; readonly parity_reviews: number; readonly parity_max_abs_diff: number };
  /**
   * The scores labelled "mixed", chosen on validation data by model/train/mixed_band.py (where the
   * model is right less than `target_accuracy` of the time). Absent: every label is a side.
   */
  readonly mixed_band?: { readonly low: number; readonly high: number; readonly target_accuracy: number };
  /**
   * Where a text is "unreadable": less than `unreadable_below` of its words are in the
   * vocabulary (readable.ts), chosen by model/inference/readable-threshold.ts on English reviews
   * and snippets, non-English reviews and gibberish. Absent: no text is labelled "unreadable".
   */
  readonly readable?: { readonly unreadable_below: number; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** What the card says about labels, as ClassifierOptions take it (node.ts, the extension). */
export function labelRulesOf(card: ModelCard): {
  readonly mixedBand: ModelCard['mixed_band'];
  readonly unreadableBelow: number | undefined;
} {
  return { mixedBand: card.mixed_band, unreadableBelow: card.readable?.unreadable_below };
}

/** The files every artifact holds besides card.json. */
export const ARTIFACT_FILES = ['model.onnx', 'vocab.json'] as const;

export function parseCard(value: unknown): ModelCard {
  const fail = (why: string): never => {
    throw new ReelSenseError('ARTIFACT_INVALID', `card.json is not a valid model card: ${why}.`);
  };
  if (typeof value !== 'object' || value === null) return fail('it is not a JSON object');
  const card = value as Record<string, unknown>;
  if (card.format !== 'reelsense-model-card') return fail('its "format" is not "reelsense-model-card"');
  if (typeof card.version !== 'string' || card.version === '') return fail('"version" must be a non-empty string');
  if (typeof card.textPipeline !== 'string') return fail('"textPipeline" must be a string');
  const files = card.files;
  if (typeof files !== 'object' || files === null) return fail('"files" must map file names to sha256');
  for (const name of ARTIFACT_FILES) {
    const hash = (files as Record<string, unknown>)[name];
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return fail(`"files" has no sha256 for ${name}`);
  }
  if (typeof card.metrics !== 'object' || card.metrics === null) return fail('"metrics" is missing');
  if (card.mixed_band !== undefined) {
    const band = card.mixed_band as Record<string, unknown>;
    const { low, high } = band;
    if (typeof low !== 'number' || typeof high !== 'number' || !(low >= 0 && low < 0.5 && high > 0.5 && high <= 1)) {
      return fail('"mixed_band" must have numbers low < 0.5 < high, within 0 to 1');
    }
  }
  if (card.readable !== undefined) {
    const below = (card.readable as Record<string, unknown> | null)?.unreadable_below;
    if (typeof below !== 'number' || !(below >= 0 && below <= 1)) {
      return fail('"readable" must have a number unreadable_below within 0 to 1');
    }
  }
  return value as ModelCard;
}
