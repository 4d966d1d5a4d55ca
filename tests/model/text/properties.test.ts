/** Property tests: the pipeline accepts any string, stays in range and is deterministic. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText, normalizeUnicode } from '../../../model/text/normalize.ts';
import { PAD_ID, Vocabulary, buildVocabulary, encode, tokenize } from '../../../model/text/index.ts';

// Text that looks like reviews: words, HTML, entities, emoticons, emoji and odd Unicode mixed.
const reviewish = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '<br />',
        '<i>',
        '</i>',
        '&amp;',
        '&#8217;',
        '&#xD800;',
        ':)',
        ":'(",
        '7/10',
        "don't",
        '😀',
        '\u0092',
        ' ',
        '...',
        '!!',
      ),
      fc.stringMatching(/^[a-z]{1,12}$/),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const vocabulary: Vocabulary = buildVocabulary([tokenize("the a good bad movie ! . , :) 7/10 😀 don't")], {
  maxSize: 8,
  minCount: 1,
  maxLength: 16,
});

describe('text pipeline properties', () => {
  it('never throws and gives only non-empty tokens without whitespace', () => {
    fc.assert(
      fc.property(reviewish, (text) => {
        for (const token of tokenize(text)) expect(token).toMatch(/^\S+$/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives ids in range, never padding, and at most maxLength of them', () => {
    fc.assert(
      fc.property(reviewish, (text) => {
        const ids = encode(text, vocabulary);
        expect(ids.length).toBeLessThanOrEqual(vocabulary.maxLength);
        for (const id of ids) {
          expect(id).toBeGreaterThan(PAD_ID);
          expect(id).toBeLessThan(vocabulary.size);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(reviewish, (text) => {
        expect(encode(text, vocabulary)).toEqual(encode(text, vocabulary));
      }),
      {
        numRuns: 500,
      },
    );
  });

  it('takes the ASCII shortcut only where the full Unicode path agrees', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ09 \t\n\r`\'"!?.,:;()<>&#-_/~'.split('')) }), (text) => {
        expect(normalizeText(text)).toBe(normalizeUnicode(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles hostile input: long runs of symbols and near-e-mails', () => {
    const hostile = [
      '-'.repeat(20_000),
      'a.'.repeat(10_000),
      `${'x'.repeat(19_990)}@`,
      '<'.repeat(20_000),
      '&#'.repeat(10_000),
    ];
    for (const text of hostile) expect(() => tokenize(text)).not.toThrow();
  });
});
