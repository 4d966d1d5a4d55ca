/**
 * Review text in, `{label, score, readable}` out: the one text pipeline, then the ONNX model. The same
 * code runs in Node (onnxruntime-node) and in the extension (onnxruntime-web); only the
 * session factory differs. Browser-safe.
 *
 * An empty review, or one with no tokens (only symbols, say), is scored as a single padding
 * token, exactly as training scored empty reviews: the model's score for "nothing said",
 * close to neutral but not exactly 0.5. Such a text reads 0 and, with the card's threshold, is
 * labelled "unreadable". Callers that want to refuse empty input (the API does) check before calling.
 */
import { ReelSenseError } from '../../common/errors.ts';
import { PAD_ID, encodeTokens, tokenize, type Vocabulary } from '../text/index.ts';
import { readableShare } from './readable.ts';
import type { SentimentSession } from './session.ts';

/**
 * "mixed": the score lies in the model's mixed band (its card's `mixed_band`; see card.ts).
 * "unreadable": too little of the text is in the model's vocabulary for its score to mean
 * anything (its card's `readable.unreadable_below`; readable.ts); this wins over every other label.
 */
export type SentimentLabel = 'positive' | 'negative' | 'mixed' | 'unreadable';

/** Scores from `low` to `high` (inclusive) are "mixed": the model leans neither way there. */
export interface MixedBand {
  readonly low: number;
  readonly high: number;
}

/**
 * The label of a calibrated score: "unreadable" when the text reads less than `unreadableBelow`
 * (readable.ts), else a side, or "mixed" inside the band (no band: always a side).
 */
export function labelOf(score: number, band?: MixedBand, readable = 1, unreadableBelow = 0): SentimentLabel {
  if (readable < unreadableBelow) return 'unreadable';
  if (band !== undefined && score >= band.low && score <= band.high) return 'mixed';
  return score >= 0.5 ? 'positive' : 'negative';
}

export interface Prediction {
  readonly label: SentimentLabel;
  /** P(positive), 0 to 1; computed for every text, "unreadable" ones included. */
  readonly score: number;
  /** How much of the text the model can read, 0 to 1: the share of its words in the vocabulary (readable.ts). */
  readonly readable: number;
}

export interface ClassifierOptions {
  /** Most reviews per model call; a longer list is sorted by length and cut into such batches. */
  readonly batchSize?: number;
  /** Where the label is "mixed" (the artifact's card.mixed_band); without it every label is a side. */
  readonly mixedBand?: MixedBand | undefined;
  /** Texts that read less than this are "unreadable" (card.readable.unreadable_below); without it, none. */
  readonly unreadableBelow?: number | undefined;
}

// Reviews vary from 10 to 512 tokens, and a model batch pads to its longest: eight reviews of
// similar length waste little. Measured on 2 cores, requests of 32 reviews: 1,407 reviews/s in
// model batches of 8, 1,336 in 16, 978 in one batch of 32 (npm run bench:inference).
export const DEFAULT_BATCH_SIZE = 8;

export class SentimentClassifier {
  readonly #batchSize: number;
  readonly #mixedBand: MixedBand | undefined;
  readonly #unreadableBelow: number;

  constructor(
    readonly vocabulary: Vocabulary,
    readonly session: SentimentSession,
    readonly version: string,
    options: ClassifierOptions = {},
  ) {
    this.#batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.#mixedBand = options.mixedBand;
    this.#unreadableBelow = options.unreadableBelow ?? 0;
  }

  async classify(review: unknown): Promise<Prediction> {
    const [prediction] = await this.classifyBatch([review]);
    if (prediction === undefined) throw new Error('unreachable: one review gives one prediction');
    return prediction;
  }

  /**
   * Predictions in the order of `reviews`; every review must be a string. `options.batchSize`
   * overrides the classifier's for this call (explain.ts runs a text and its variants, all of
   * nearly one length, as one model batch).
   */
  async classifyBatch(reviews: readonly unknown[], options: ClassifierOptions = {}): Promise<Prediction[]> {
    const batchSize = Math.max(1, options.batchSize ?? this.#batchSize);
    const readable: number[] = [];
    const encoded = reviews.map((review, i) => {
      if (typeof review !== 'string') {
        throw new ReelSenseError(
          'REVIEW_NOT_TEXT',
          `Review ${i + 1} is ${review === null ? 'null' : typeof review}, not text: send each review as a string.`,
        );
      }
      const tokens = tokenize(review);
      readable.push(readableShare(tokens, this.vocabulary));
      return encodeTokens(tokens, this.vocabulary);
    });
    // Similar lengths together, so padding costs little; results go back in input order.
    const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a]?.length ?? 0) - (encoded[b]?.length ?? 0));
    const scores = new Float64Array(encoded.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const members = order.slice(start, start + batchSize);
      const rows = members.map((i) => encoded[i] ?? new Int32Array());
      const length = Math.max(1, ...rows.map((r) => r.length));
      const ids = new BigInt64Array(rows.length * length).fill(BigInt(PAD_ID));
      const lengths = new BigInt64Array(rows.length);
      rows.forEach((row, r) => {
        for (let t = 0; t < row.length; t++) ids[r * length + t] = BigInt(row[t] ?? PAD_ID);
        lengths[r] = BigInt(Math.max(1, row.length));
      });
      const batchScores = await this.session.run(ids, lengths, rows.length, length);
      members.forEach((i, r) => {
        scores[i] = batchScores[r] ?? Number.NaN;
      });
    }
    return [...scores].map((score, i) => {
      const share = readable[i] ?? 0;
      return { label: labelOf(score, this.#mixedBand, share, this.#unreadableBelow), score, readable: share };
    });
  }
}
