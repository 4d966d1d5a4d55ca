/**
 * Why the model said what it said: the contribution of each sentence of a review, or of each
 * word (or short phrase) of a short text, as spans of the ORIGINAL text. Browser-safe (only
 * String, RegExp and Intl.Segmenter built-ins, which Node 20, Chrome and Firefox have), so the
 * endpoint server (onnxruntime-node) and the extension (onnxruntime-web) run this same code.
 *
 * Method, by unit (each a difference of log-odds of "positive", in nats; > 0 pushes toward
 * positive, < 0 toward negative; a weight of 1 multiplies the odds of "positive" by e = 2.7):
 * - word units: occlusion. Each unit is left out in turn (its characters replaced by one space,
 *   so its neighbours never merge into one word), and the text plus every variant is scored in
 *   ONE model batch (all nearly one length, so padding costs nothing).
 *   weight = logit(P(text)) - logit(P(text without the unit)).
 * - sentence units: each sentence is scored on its own, all in one classifyBatch call, against
 *   the empty text. weight = logit(P(sentence alone)) - logit(P("")).
 *   Why not occlusion here: this model (a BiLSTM over every token) costs time in proportion to the
 *   tokens it reads, so leaving out each of n sentences costs (n + 1) whole reviews: 13 for an
 *   IMDB review of 12 sentences, about 10x the 100 ms on-device bar. Scoring sentences alone
 *   reads the review's tokens once more (about 2 classifications in all, whatever n), and a
 *   review's sentences mostly carry their own polarity. The cost: a sentence whose sense needs
 *   its neighbour ("But I was wrong.") is read without it.
 * P is clamped to [1e-6, 1 - 1e-6] first so that a saturated float32 score gives finite weights.
 * Log-odds rather than probability because a confident text (P = 0.999) leaves probability
 * differences of 0.001 that say nothing, while log-odds keep their size.
 *
 * Units and offsets: units are found in the original text (HTML allowed), so offsets need no
 * mapping back through the text pipeline. Offsets are UTF-16 code units as JavaScript strings
 * index them: `text.slice(start, end)` is the unit. Before segmenting, each tag, comment and
 * script/style block is masked as spaces (block tags such as `<br />`, `<p>`, `<div>` as a line
 * break, so they end a sentence) and each character reference as its character followed by
 * word joiners (U+2060, which both segmenters absorb), keeping every offset. Spans are trimmed of
 * whitespace (and of masked tags), never start or end inside a tag or a character reference, and
 * never split a surrogate pair or a grapheme cluster (the segmenters break only between them).
 * - sentence units: `Intl.Segmenter` ('en', granularity 'sentence'); a line break (so a blank
 *   line or `<br />`) ends a sentence too;
 * - word units: `Intl.Segmenter` word segments that are word-like ("don't", "élégant" with its
 *   combining accents, "caf&eacute;" as one unit) or hold an emoji (a ZWJ sequence stays one
 *   unit); punctuation and symbols are not units; a rating such as "7/10" is one unit, as it
 *   is one token to the model.
 *
 * Short or long (granularity 'auto'): word units when the text has at most SHORT_TEXT_MAX_WORDS
 * (20) words, or is one sentence of at most SINGLE_SENTENCE_MAX_WORDS (60) words (a selection,
 * the popup, a short entry); sentence units otherwise (a review).
 *
 * Caps, so the cost is bounded: at most MAX_WORD_UNITS (20) word units, so at most 21 texts of
 * at most ~60 words in the one model batch; at most MAX_SENTENCE_UNITS (64) sentence units (the
 * cost does not grow with them; the cap bounds the answer's size). Past a cap, adjacent units
 * are merged into groups of ceil(n / cap): words into short phrases, sentences into runs; a
 * group's span runs from its first unit's start to its last unit's end. `maxUnits` overrides.
 *
 * Reviews longer than the model's window (512 tokens; encode.ts keeps the head and the tail)
 * still get a weight for each sentence of the cut-out middle, though the whole-text score never
 * read them.
 */
/*
 * Who calls this. The API: with `"explain": true` the endpoint server explains each review, one
 * at a time in a lane beside its batcher (backend/endpoint/server.ts, explain-queue.ts), and the
 * Lambda handler forwards the request and checks every span against its review (backend/api/;
 * the contract, ExplanationSpan and maxExplainedReviews, in public-api/contract.ts). Reviews reach
 * this function as the very strings the client sent, so the offsets land on its characters.
 * Design note for the extension (not built yet): the background's on-device scorer
 * (onnxruntime-web) answers a typed `explain` message with `explain(classifier, text)` through its
 * queue, and API mode reads the same spans from the API; the content script keeps the exact
 * string it sent (a review element's text, or the selection's), maps each span to a DOM Range by
 * walking the element's text nodes and summing their lengths, and highlights it with the CSS
 * Custom Highlight API (never HTML).
 * Adapters that read review HTML from a string must send that string (offsets then count its
 * tags and references, which spans never cut) or the decoded text they display, not a mix.
 */
import { COMMENT, ENTITY, SCRIPT_OR_STYLE, TAG } from '../text/html.ts';
import { decodeEntities } from '../text/index.ts';
import type { Prediction, SentimentClassifier } from './classifier.ts';

/** A span of the submitted text and its push: > 0 toward positive, < 0 toward negative. */
export interface Explanation {
  /** UTF-16 code unit offset of the first character, as `String.prototype.slice` takes it. */
  readonly start: number;
  /** UTF-16 code unit offset just past the last character. */
  readonly end: number;
  /** Log-odds of "positive" this span adds, in nats (the method's definition at the top of explain.ts). */
  readonly weight: number;
}

export type ExplanationGranularity = 'sentence' | 'word';

export interface ExplainOptions {
  /** 'auto' (default): words for a short text, sentences otherwise (see the top of this file). */
  readonly granularity?: 'auto' | ExplanationGranularity;
  /** Most units per text; more are merged into adjacent groups. Default: 20 words, 64 sentences. */
  readonly maxUnits?: number;
}

export interface ExplainResult {
  /** The prediction for the whole text, from the same model call. */
  readonly prediction: Prediction;
  readonly granularity: ExplanationGranularity;
  /** Sorted by `start`, not overlapping, inside the text; empty when the text has no units. */
  readonly explanation: Explanation[];
}

export const SHORT_TEXT_MAX_WORDS = 20;
export const SINGLE_SENTENCE_MAX_WORDS = 60;
export const MAX_WORD_UNITS = 20;
export const MAX_SENTENCE_UNITS = 64;

/** A unit: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// Tags that start a new line on the page: they end a sentence.
const BLOCK_TAG = /^<\/?(br|p|div|li|ul|ol|hr|h[1-6]|blockquote|tr|table|section|article)\b/i;
const WORD_JOINER = '\u2060';
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const SPACE = /\s/;

interface Masked {
  /** Same length as the text: markup as whitespace, each reference as its character + joiners. */
  readonly text: string;
  /** Tags, comments and references: no span may start or end strictly inside one. */
  readonly atoms: readonly Span[];
}

function mask(text: string): Masked {
  const atoms: Span[] = [];
  const blank = (match: string, offset: number): string => {
    atoms.push({ start: offset, end: offset + match.length });
    return BLOCK_TAG.test(match) ? `\n${' '.repeat(match.length - 1)}` : ' '.repeat(match.length);
  };
  const markupFree = text
    .replace(SCRIPT_OR_STYLE, (m: string, _name: string, offset: number) => blank(m, offset))
    .replace(COMMENT, blank)
    .replace(TAG, blank);
  const masked = markupFree.replace(ENTITY, (match: string, _body: string, offset: number) => {
    atoms.push({ start: offset, end: offset + match.length });
    const decoded = decodeEntities(match);
    // An unknown name stays as written (the pipeline reads it as text); whitespace stays whitespace.
    if (decoded === match) return match;
    if (decoded.trim() === '') return ' '.repeat(match.length);
    return decoded + WORD_JOINER.repeat(match.length - decoded.length);
  });
  atoms.sort((a, b) => a.start - b.start);
  return { text: masked, atoms };
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** Moves a unit's ends out of any atom it cuts, then trims whitespace; undefined if nothing is left. */
function tidy(masked: Masked, start: number, end: number): Span | undefined {
  for (const atom of masked.atoms) {
    if (atom.start >= end) break;
    if (start > atom.start && start < atom.end) start = atom.end;
    if (end > atom.start && end < atom.end) end = atom.start;
  }
  while (start < end && SPACE.test(masked.text[start] ?? '')) start++;
  while (end > start && SPACE.test(masked.text[end - 1] ?? '')) end--;
  return end > start ? { start, end } : undefined;
}

function sentences(masked: Masked): Span[] {
  const out: Span[] = [];
  for (const segment of sentenceSegmenter.segment(masked.text)) {
    // A line break ends a sentence (UAX #29 already breaks after one; this keeps it so if ICU changes).
    const parts = segment.segment.split(/(?<=\n)/);
    let offset = segment.index;
    for (const part of parts) {
      const span = tidy(masked, offset, offset + part.length);
      offset += part.length;
      if (span !== undefined) out.push(span);
    }
  }
  return out;
}

// A rating ("7/10", "4.5/5") is one token to the model, so one unit here.
const NUMBER = /^\p{Nd}+(?:\.\p{Nd}+)?$/u;

function words(masked: Masked): Span[] {
  const out: Span[] = [];
  for (const { segment, index, isWordLike } of wordSegmenter.segment(masked.text)) {
    if (!isWordLike && !PICTOGRAPHIC.test(segment)) continue;
    const span = tidy(masked, index, index + segment.length);
    if (span === undefined) continue;
    const previous = out.at(-1);
    const rating =
      previous !== undefined &&
      previous.end + 1 === span.start &&
      masked.text[previous.end] === '/' &&
      NUMBER.test(masked.text.slice(previous.start, previous.end)) &&
      NUMBER.test(masked.text.slice(span.start, span.end));
    if (rating) out[out.length - 1] = { start: previous.start, end: span.end };
    else out.push(span);
  }
  return out;
}

/** Adjacent units merged into groups of ceil(n / maxUnits), so at most maxUnits remain. */
function capUnits(units: readonly Span[], maxUnits: number): Span[] {
  if (units.length <= maxUnits) return [...units];
  const size = Math.ceil(units.length / maxUnits);
  const out: Span[] = [];
  for (let i = 0; i < units.length; i += size) {
    const first = units[i];
    const last = units[Math.min(i + size, units.length) - 1];
    if (first !== undefined && last !== undefined) out.push({ start: first.start, end: last.end });
  }
  return out;
}

/** The units of `text` (uncapped), and which granularity 'auto' picks; exported for tests. */
export function segmentUnits(
  text: string,
  granularity: 'auto' | ExplanationGranularity = 'auto',
): { granularity: ExplanationGranularity; units: Span[] } {
  const masked = mask(text);
  if (granularity === 'word') return { granularity, units: words(masked) };
  if (granularity === 'sentence') return { granularity, units: sentences(masked) };
  const wordUnits = words(masked);
  if (wordUnits.length <= SHORT_TEXT_MAX_WORDS) return { granularity: 'word', units: wordUnits };
  const sentenceUnits = sentences(masked);
  return sentenceUnits.length <= 1 && wordUnits.length <= SINGLE_SENTENCE_MAX_WORDS
    ? { granularity: 'word', units: wordUnits }
    : { granularity: 'sentence', units: sentenceUnits };
}

const EPSILON = 1e-6;
const logit = (p: number | undefined): number => {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p ?? Number.NaN));
  return Math.log(q / (1 - q));
};

/**
 * Scores `text` and explains the score (see the top of this file): word units in one model
 * batch, sentence units in one classifyBatch call after the text's own. A text with no units
 * (empty, or only symbols) gets an empty explanation.
 */
export async function explain(
  classifier: SentimentClassifier,
  text: string,
  options: ExplainOptions = {},
): Promise<ExplainResult> {
  const { granularity, units: found } = segmentUnits(text, options.granularity);
  const maxUnits = options.maxUnits ?? (granularity === 'word' ? MAX_WORD_UNITS : MAX_SENTENCE_UNITS);
  if (!Number.isInteger(maxUnits) || maxUnits < 1) {
    throw new RangeError(`maxUnits is ${maxUnits}, not a whole number >= 1.`);
  }
  const units = capUnits(found, maxUnits);
  let prediction: Prediction | undefined;
  let weights: number[];
  if (granularity === 'word') {
    const variants = units.map((u) => `${text.slice(0, u.start)} ${text.slice(u.end)}`);
    const [full, ...without] = await classifier.classifyBatch([text, ...variants], {
      batchSize: variants.length + 1,
    });
    prediction = full;
    weights = units.map((_, i) => logit(full?.score) - logit(without[i]?.score));
  } else {
    // The text in a batch of its own: a batch pads every row to its longest, and the model reads
    // padding at full cost, so the sentences must not share its batch.
    [prediction] = await classifier.classifyBatch([text]);
    const [empty, ...alone] = await classifier.classifyBatch(['', ...units.map((u) => text.slice(u.start, u.end))]);
    weights = units.map((_, i) => logit(alone[i]?.score) - logit(empty?.score));
  }
  if (prediction === undefined) throw new Error('unreachable: the text itself was scored');
  const explanation = units.map((u, i) => ({ start: u.start, end: u.end, weight: weights[i] ?? Number.NaN }));
  return { prediction, granularity, explanation };
}
