/**
 * The systems measured side by side: ReelSense's models through the TypeScript path, ReelSense
 * through the local stack over HTTP, and the npm packages people use for the same job. Each
 * entry says how its score becomes a label, so the rule is in one place and printed with the
 * figures. Every system gets the review text exactly as the CSV holds it (`<br />` included).
 *
 * The scorers load their package only when asked (a dynamic require), so a child process that
 * measures one system holds that system alone and its peak memory is its own.
 */
import { createRequire } from 'node:module';
import type * as Natural from 'natural';
import type Sentiment from 'sentiment';
import type * as Vader from 'vader-sentiment';
import type WinkSentiment from 'wink-sentiment';
import { SHIPPED_MODEL_VERSION } from '../model/inference/shipped.ts';

/** How a system is run: requests of 32 reviews, one review per call, or one review per HTTP request. */
export type Mode = 'batch' | 'single' | 'http';

export interface SystemSpec {
  readonly id: string;
  /** The name in tables. */
  readonly name: string;
  /** The short name on the chart. */
  readonly label: string;
  readonly kind: 'reelsense' | 'seed' | 'peer';
  readonly mode: Mode;
  /** The continuous score (ROC AUC is computed from it) and the rule that makes it a label. */
  readonly score: string;
  readonly rule: string;
  /** The npm package (peers): its version and license are read from its package.json. */
  readonly packageName?: string;
  /**
   * The model (ReelSense): the shipped one (SHIPPED_ARTIFACT_DIR, or --artifact) or the seed's.
   * A folder, not imported from model/inference/node.ts here: that module loads onnxruntime-node,
   * which a lexicon's process must not hold.
   */
  readonly model?: 'shipped' | 'seed';
}

export const BATCH_SIZE = 32;

const PEER_RULE = 'positive when the score is >= 0 (a tie at 0, no scored word, counts as positive)';

/** An npm peer, scored one review a call, named by its package. */
const peerSpec = (packageName: string, name: string, score: string): SystemSpec => ({
  id: packageName,
  name,
  label: packageName,
  kind: 'peer',
  mode: 'single',
  score,
  rule: PEER_RULE,
  packageName,
});

export const SYSTEMS: readonly SystemSpec[] = [
  {
    id: `${SHIPPED_MODEL_VERSION}-batch`,
    name: `ReelSense ${SHIPPED_MODEL_VERSION}, TypeScript path, requests of ${BATCH_SIZE}`,
    label: 'ReelSense (batches of 32)',
    kind: 'reelsense',
    mode: 'batch',
    score: 'P(positive)',
    rule: 'positive when P >= 0.5 (the classifier’s label)',
    model: 'shipped',
  },
  {
    id: `${SHIPPED_MODEL_VERSION}-single`,
    name: `ReelSense ${SHIPPED_MODEL_VERSION}, TypeScript path, one review a call`,
    label: 'ReelSense (one at a time)',
    kind: 'reelsense',
    mode: 'single',
    score: 'P(positive)',
    rule: 'positive when P >= 0.5',
    model: 'shipped',
  },
  {
    id: `${SHIPPED_MODEL_VERSION}-http`,
    name: `ReelSense ${SHIPPED_MODEL_VERSION}, local stack over HTTP (gateway)`,
    label: 'ReelSense over HTTP',
    kind: 'reelsense',
    mode: 'http',
    score: 'P(positive) from the answer',
    rule: 'the label in the answer (P >= 0.5)',
    model: 'shipped',
  },
  {
    id: 'seed-lstm',
    name: `seed preset's LSTM (seed-lstm), TypeScript path, requests of ${BATCH_SIZE}`,
    label: 'seed LSTM',
    kind: 'seed',
    mode: 'batch',
    score: 'P(positive)',
    rule: 'positive when P >= 0.5',
    model: 'seed',
  },
  peerSpec('sentiment', 'sentiment (AFINN-165)', '`comparative` (AFINN sum / tokens; same sign as `score`)'),
  peerSpec('vader-sentiment', 'vader-sentiment', '`compound`'),
  peerSpec('wink-sentiment', 'wink-sentiment', '`normalizedScore`'),
  peerSpec(
    'natural',
    "natural's SentimentAnalyzer (English, PorterStemmer, afinn; WordTokenizer)",
    '`getSentiment`: AFINN sum / tokens (0 with no tokens); after a negation word it flips every later word, to the end of the review',
  ),
];

export function systemById(id: string): SystemSpec {
  const spec = SYSTEMS.find((s) => s.id === id);
  if (spec === undefined) throw new Error(`No system "${id}". Systems: ${SYSTEMS.map((s) => s.id).join(', ')}.`);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Scorers (run in the child process that measures the system)

export interface Scored {
  readonly score: number;
  readonly positive: boolean;
}

/** A lexicon scores synchronously; a model asynchronously, one review or a batch. */
export type Scorer =
  | { readonly sync: true; one(text: string): Scored }
  | {
      readonly sync: false;
      one(text: string): Promise<Scored>;
      batch(texts: readonly string[]): Promise<Scored[]>;
    };

const peer = (score: number): Scored => ({ score, positive: score >= 0 });

/** Loads the system (its package, or the model in `artifactDir`) and returns its scorer. */
export async function loadScorer(spec: SystemSpec, artifactDir: string | undefined): Promise<Scorer> {
  const require = createRequire(import.meta.url);
  switch (spec.id) {
    case 'sentiment': {
      const SentimentClass = require('sentiment') as typeof Sentiment;
      const analyzer = new SentimentClass();
      return { sync: true, one: (text) => peer(analyzer.analyze(text).comparative) };
    }
    case 'vader-sentiment': {
      const vader = require('vader-sentiment') as typeof Vader;
      return { sync: true, one: (text) => peer(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound) };
    }
    case 'wink-sentiment': {
      const wink = require('wink-sentiment') as typeof WinkSentiment;
      return { sync: true, one: (text) => peer(wink(text).normalizedScore) };
    }
    case 'natural': {
      const natural = require('natural') as typeof Natural;
      const analyzer = new natural.SentimentAnalyzer('English', natural.PorterStemmer, 'afinn');
      const tokenizer = new natural.WordTokenizer();
      return {
        sync: true,
        one: (text) => {
          const score = analyzer.getSentiment(tokenizer.tokenize(text));
          return peer(Number.isNaN(score) ? 0 : score); // no tokens: 0 / 0
        },
      };
    }
    default: {
      if (artifactDir === undefined || spec.mode === 'http') throw new Error(`${spec.id} has no in-process scorer`);
      const { createNodeClassifier } = await import('../model/inference/node.ts');
      const classifier = await createNodeClassifier(artifactDir);
      const scored = (p: { label: string; score: number }): Scored => ({
        score: p.score,
        positive: p.score >= 0.5,
      });
      return {
        sync: false,
        one: async (text) => scored(await classifier.classify(text)),
        batch: async (texts) => (await classifier.classifyBatch(texts)).map(scored),
      };
    }
  }
}
