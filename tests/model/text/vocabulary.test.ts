import { describe, expect, it } from 'vitest';
import { ReelSenseError } from '../../../common/errors.ts';
import {
  TEXT_PIPELINE_VERSION,
  Vocabulary,
  buildVocabulary,
  encodeTokens,
  truncationWindow,
} from '../../../model/text/index.ts';

const options = { maxSize: 6, minCount: 2, maxLength: 8 };

describe('buildVocabulary', () => {
  const vocabulary = buildVocabulary(
    [
      ['good', 'film', 'good', 'zebra'],
      ['bad', 'film', 'good', 'apple', 'apple'],
      ['bad', 'once', 'zebra'],
    ],
    options,
  );

  it('puts padding and unknown first, then tokens by count, ties in code-unit order', () => {
    expect(vocabulary.tokens).toEqual(['<pad>', '<unk>', 'good', 'apple', 'bad', 'film']);
  });

  it('drops tokens below minCount and beyond maxSize', () => {
    expect(vocabulary.idOf('once')).toBe(1);
    expect(vocabulary.idOf('zebra')).toBe(1); // count 2, but the vocabulary is full
    expect(vocabulary.idOf('good')).toBe(2);
  });

  it('round-trips through JSON', () => {
    const again = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)));
    expect(again.tokens).toEqual(vocabulary.tokens);
    expect(again.options).toEqual(options);
  });

  it('refuses bad options', () => {
    expect(() => buildVocabulary([], { ...options, maxSize: 1 })).toThrow(/maxSize/);
    expect(() => buildVocabulary([], { ...options, maxLength: 0 })).toThrow(/maxLength/);
  });
});

describe('Vocabulary.fromJSON', () => {
  const valid = {
    format: 'reelsense-vocab',
    textPipeline: TEXT_PIPELINE_VERSION,
    ...options,
    tokens: ['<pad>', '<unk>', 'a'],
  };
  const code = (value: unknown): string => {
    try {
      Vocabulary.fromJSON(value);
    } catch (error) {
      return (error as ReelSenseError).code;
    }
    return 'accepted';
  };

  it.each([
    ['not an object', null, 'VOCAB_INVALID'],
    ['wrong format', { ...valid, format: 'other' }, 'VOCAB_INVALID'],
    ['other text pipeline', { ...valid, textPipeline: 'reelsense-text/0' }, 'VOCAB_PIPELINE_MISMATCH'],
    ['tokens not strings', { ...valid, tokens: ['<pad>', '<unk>', 3] }, 'VOCAB_INVALID'],
    ['no padding first', { ...valid, tokens: ['<unk>', '<pad>'] }, 'VOCAB_INVALID'],
    ['duplicates', { ...valid, tokens: ['<pad>', '<unk>', 'a', 'a'] }, 'VOCAB_INVALID'],
    ['more tokens than maxSize', { ...valid, maxSize: 2 }, 'VOCAB_INVALID'],
    ['maxLength missing', { ...valid, maxLength: undefined }, 'VOCAB_INVALID'],
    ['valid', valid, 'accepted'],
  ])('%s', (_name, value, expected) => {
    expect(code(value)).toBe(expected);
  });
});

describe('length rule', () => {
  it.each([
    [5, 8, { head: 5, tail: 0 }],
    [8, 8, { head: 8, tail: 0 }],
    [9, 8, { head: 2, tail: 6 }],
    [1000, 512, { head: 128, tail: 384 }],
  ])('%i tokens with maxLength %i', (length, maxLength, window) => {
    expect(truncationWindow(length, maxLength)).toEqual(window);
  });

  it('keeps the first quarter and the last three quarters', () => {
    const vocabulary = new Vocabulary(['<pad>', '<unk>', ...'abcdefghij'.split('')], { ...options, maxSize: 12 });
    const ids = encodeTokens('abcdefghij'.split(''), vocabulary);
    expect([...ids].map((id) => vocabulary.tokens[id])).toEqual(['a', 'b', 'e', 'f', 'g', 'h', 'i', 'j']);
  });
});
