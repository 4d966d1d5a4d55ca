/**
 * The vocabulary: token <-> id, built from the training split only. Id 0 is padding, id 1 is
 * every token not in the vocabulary. The file also fixes the length rule (`maxLength`), so
 * `vocab.json` alone determines how a text becomes ids.
 * Browser-safe: the JSON is parsed by the caller and checked here.
 */
import { ReelSenseError } from '../../common/errors.ts';
import { TEXT_PIPELINE_VERSION } from './version.ts';

export const PAD_ID = 0;
export const UNK_ID = 1;
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

export interface VocabularyOptions {
  /** Most entries, padding and unknown included. */
  readonly maxSize: number;
  /** Fewest occurrences in the training split for a token to get its own id. */
  readonly minCount: number;
  /** Longest id sequence; longer texts keep their first quarter and last three quarters. */
  readonly maxLength: number;
}

/** The JSON form of a vocabulary (`vocab.json`). */
export interface VocabularyFile extends VocabularyOptions {
  readonly format: 'reelsense-vocab';
  readonly textPipeline: string;
  readonly tokens: readonly string[];
}

export class Vocabulary {
  readonly #ids: Map<string, number>;

  constructor(
    readonly tokens: readonly string[],
    readonly options: VocabularyOptions,
  ) {
    this.#ids = new Map(tokens.map((token, id) => [token, id]));
  }

  get size(): number {
    return this.tokens.length;
  }

  get maxLength(): number {
    return this.options.maxLength;
  }

  idOf(token: string): number {
    return this.#ids.get(token) ?? UNK_ID;
  }

  toJSON(): VocabularyFile {
    return { format: 'reelsense-vocab', textPipeline: TEXT_PIPELINE_VERSION, ...this.options, tokens: this.tokens };
  }

  /** Checks a parsed `vocab.json`; throws a ReelSenseError that says what is wrong. */
  static fromJSON(value: unknown): Vocabulary {
    const fail = (why: string): never => {
      throw new ReelSenseError('VOCAB_INVALID', `The vocabulary file is not valid: ${why}.`);
    };
    if (typeof value !== 'object' || value === null) return fail('it is not a JSON object');
    const v = value as Record<string, unknown>;
    if (v.format !== 'reelsense-vocab') return fail('its "format" is not "reelsense-vocab"');
    if (v.textPipeline !== TEXT_PIPELINE_VERSION) {
      throw new ReelSenseError(
        'VOCAB_PIPELINE_MISMATCH',
        `The vocabulary was built by text pipeline "${String(v.textPipeline)}" but this code is "${TEXT_PIPELINE_VERSION}": ` +
          'its ids would not match. Prepare the data again (npm run data:prepare) and retrain, or use a matching artifact.',
      );
    }
    const options = readOptions(v, fail);
    const tokens = v.tokens;
    if (!Array.isArray(tokens) || !tokens.every((t): t is string => typeof t === 'string')) {
      return fail('"tokens" must be an array of strings');
    }
    if (tokens[PAD_ID] !== PAD_TOKEN || tokens[UNK_ID] !== UNK_TOKEN) {
      return fail(`"tokens" must start with "${PAD_TOKEN}" and "${UNK_TOKEN}"`);
    }
    if (new Set(tokens).size !== tokens.length) return fail('"tokens" has duplicates');
    if (tokens.length > options.maxSize) return fail(`it has ${tokens.length} tokens, more than its maxSize`);
    return new Vocabulary(tokens, options);
  }
}

function readOptions(v: Record<string, unknown>, fail: (why: string) => never): VocabularyOptions {
  const positiveInt = (key: keyof VocabularyOptions, min: number): number => {
    const n = v[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) return fail(`"${key}" must be an integer >= ${min}`);
    return n;
  };
  return {
    maxSize: positiveInt('maxSize', 2),
    minCount: positiveInt('minCount', 1),
    maxLength: positiveInt('maxLength', 1),
  };
}

/** Checks options given by a person (CLI flags); throws with the flag's name in the message. */
export function checkVocabularyOptions(options: VocabularyOptions): VocabularyOptions {
  readOptions({ ...options }, (why) => {
    throw new ReelSenseError('BAD_OPTION', `Bad vocabulary option: ${why}.`);
  });
  return options;
}

/**
 * Counts tokens over the training documents and keeps the most frequent ones that occur at
 * least `minCount` times. Ties are broken by code-unit order so the result is deterministic.
 */
export function buildVocabulary(documents: Iterable<readonly string[]>, options: VocabularyOptions): Vocabulary {
  checkVocabularyOptions(options);
  const counts = new Map<string, number>();
  for (const tokens of documents) {
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const kept = [...counts]
    .filter(([token, count]) => count >= options.minCount && token !== PAD_TOKEN && token !== UNK_TOKEN)
    .sort(([ta, ca], [tb, cb]) => cb - ca || (ta < tb ? -1 : ta > tb ? 1 : 0))
    .slice(0, options.maxSize - 2)
    .map(([token]) => token);
  return new Vocabulary([PAD_TOKEN, UNK_TOKEN, ...kept], options);
}
