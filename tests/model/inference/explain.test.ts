/** Explanations (model/inference/explain.ts) with the shipped model, and their offsets. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SentimentClassifier } from '../../../model/inference/classifier.ts';
import {
  MAX_SENTENCE_UNITS,
  MAX_WORD_UNITS,
  explain,
  segmentUnits,
  type Explanation,
  type Span,
} from '../../../model/inference/explain.ts';
import { createNodeClassifier } from '../../../model/inference/node.ts';
import type { SentimentSession } from '../../../model/inference/session.ts';
import { decodeEntities } from '../../../model/text/index.ts';

const classifier = await createNodeClassifier();

const POSITIVE = 'I loved this film: the acting was wonderful and the story moved me to tears.';
const NEGATIVE = 'The ending was awful, boring and a complete waste of my time.';

/** The spans' text, for readable failures. */
const pieces = (text: string, spans: readonly Span[]): string[] => spans.map((s) => text.slice(s.start, s.end));

/** Sorted by start, not overlapping, non-empty, inside the text, no whitespace at either end. */
function expectWellFormed(text: string, spans: readonly Span[]): void {
  let previousEnd = 0;
  for (const { start, end } of spans) {
    expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(text.length);
    expect(text.slice(start, end)).toBe(text.slice(start, end).trim());
    previousEnd = end;
  }
}

/** No span end cuts a surrogate pair, a tag or a character reference. */
function expectWholeCharacters(text: string, spans: readonly Span[]): void {
  const atoms = [...text.matchAll(/<\/?[a-z][^<>]*>|&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi)].map(
    (m) => ({ start: m.index, end: m.index + m[0].length }),
  );
  for (const { start, end } of spans) {
    for (const cut of [start, end]) {
      const low = text.charCodeAt(cut);
      expect(low >= 0xdc00 && low <= 0xdfff, `offset ${cut} splits a surrogate pair`).toBe(false);
      for (const atom of atoms) {
        expect(cut > atom.start && cut < atom.end, `offset ${cut} cuts ${text.slice(atom.start, atom.end)}`).toBe(
          false,
        );
      }
    }
  }
}

const weightOf = (text: string, explanation: readonly Explanation[], piece: string): number => {
  const span = explanation.find((e) => text.slice(e.start, e.end) === piece);
  if (span === undefined) throw new Error(`no span "${piece}" in ${JSON.stringify(pieces(text, explanation))}`);
  return span.weight;
};

describe('explain', () => {
  it('gives a positive sentence a positive weight and a negative one a negative weight', async () => {
    for (const text of [`${POSITIVE} ${NEGATIVE}`, `${NEGATIVE}<br /><br />${POSITIVE}`]) {
      const { granularity, explanation, prediction } = await explain(classifier, text);
      expect(granularity).toBe('sentence');
      expect(pieces(text, explanation).sort()).toEqual([NEGATIVE, POSITIVE].sort());
      expect(weightOf(text, explanation, POSITIVE)).toBeGreaterThan(0.5);
      expect(weightOf(text, explanation, NEGATIVE)).toBeLessThan(-0.5);
      expect(prediction.score).toBeGreaterThanOrEqual(0);
      expect(prediction.score).toBeLessThanOrEqual(1);
    }
  });

  it('explains a short text word by word, and "terrible" is the most negative word', async () => {
    const text = 'The acting was terrible.';
    const { granularity, explanation, prediction } = await explain(classifier, text);
    expect(granularity).toBe('word');
    expect(pieces(text, explanation)).toEqual(['The', 'acting', 'was', 'terrible']);
    const mostNegative = explanation.reduce((a, b) => (b.weight < a.weight ? b : a));
    expect(text.slice(mostNegative.start, mostNegative.end)).toBe('terrible');
    expect(mostNegative.weight).toBeLessThan(0);
    expect(prediction.label).toBe('negative');
    // The prediction is the text's own score, the same as classifying it alone.
    expect(prediction.score).toBeCloseTo((await classifier.classify(text)).score, 5);
  });

  it('finds the positive word of a short positive text', async () => {
    const text = 'A truly wonderful film.';
    const { explanation } = await explain(classifier, text);
    const mostPositive = explanation.reduce((a, b) => (b.weight > a.weight ? b : a));
    expect(text.slice(mostPositive.start, mostPositive.end)).toBe('wonderful');
    expect(mostPositive.weight).toBeGreaterThan(0);
  });

  it('returns sorted, non-overlapping spans inside the text, with finite weights', async () => {
    const texts = [
      `${POSITIVE} ${NEGATIVE}`,
      'Caf&eacute; scenes were great &amp; fun 😍 but the 👨‍👩‍👧 plot was bad.',
      `<i>Great</i> cast.<br /><br />${'An ordinary middle part that says little. '.repeat(5)}Awful last act&hellip; 3/10`,
      '',
      '   <br /> &amp; !!! ',
    ];
    for (const text of texts) {
      const { explanation } = await explain(classifier, text);
      expectWellFormed(text, explanation);
      expectWholeCharacters(text, explanation);
      for (const { weight } of explanation) expect(Number.isFinite(weight)).toBe(true);
    }
    expect((await explain(classifier, '')).explanation).toEqual([]);
    expect((await explain(classifier, '   <br /> &amp; !!! ')).explanation).toEqual([]);
  });

  it('scores a short text and all its variants in one model call, and a review in batches apart from its text', async () => {
    let runs = 0;
    let widest = 0;
    const counting: SentimentSession = {
      run: (ids, lengths, batch, length) => {
        runs++;
        widest = Math.max(widest, batch);
        return classifier.session.run(ids, lengths, batch, length);
      },
    };
    const counted = new SentimentClassifier(classifier.vocabulary, counting, classifier.version);
    const short = await explain(counted, 'The acting was terrible but the music was lovely.');
    expect(short.explanation).toHaveLength(9);
    expect([runs, widest]).toEqual([1, 10]);
    runs = 0;
    const review = `${POSITIVE} ${NEGATIVE}`;
    const long = await explain(counted, review);
    expect(long.explanation).toHaveLength(2);
    expect(runs).toBe(2); // the review alone; then "" and its 2 sentences
  });

  it('caps the units, merging neighbours into phrases or runs of sentences', async () => {
    const text = Array.from({ length: 50 }, (_, i) => `Sentence ${i} was fine.`).join(' ');
    const { units } = segmentUnits(text);
    expect(units).toHaveLength(50);
    const capped = await explain(classifier, text, { maxUnits: 10 });
    expect(capped.explanation).toHaveLength(10);
    expect(text.slice(capped.explanation[0]?.start, capped.explanation[0]?.end)).toBe(
      'Sentence 0 was fine. Sentence 1 was fine. Sentence 2 was fine. Sentence 3 was fine. Sentence 4 was fine.',
    );
    expectWellFormed(text, capped.explanation);
    const words = await explain(classifier, text, { granularity: 'word' });
    expect(words.explanation).toHaveLength(MAX_WORD_UNITS);
    expectWellFormed(text, words.explanation);
    const many = Array.from({ length: 100 }, (_, i) => `Line ${i}.`).join('\n');
    expect((await explain(classifier, many)).explanation).toHaveLength(50);
    expect(MAX_SENTENCE_UNITS).toBe(64);
    await expect(explain(classifier, text, { maxUnits: 0 })).rejects.toThrow(RangeError);
  });
});

describe('units and their offsets', () => {
  it('picks words for a short text or one sentence, sentences for a review', () => {
    expect(segmentUnits('Great film.').granularity).toBe('word');
    expect(segmentUnits(`${POSITIVE} ${NEGATIVE}`).granularity).toBe('sentence');
    const oneLongSentence = `${'a very long and winding '.repeat(6)}sentence`;
    expect(segmentUnits(oneLongSentence).granularity).toBe('word');
    expect(segmentUnits(`${oneLongSentence} ${'and on '.repeat(20)}`).granularity).toBe('sentence');
  });

  it('round-trips words across entities, tags, emoji, accents and combining characters', () => {
    const text =
      'Caf&eacute; cr&egrave;me &amp; 😍 👨‍👩‍👧 e\u0301le\u0301gant na\u00efve <b>bold</b>move don’t 7/10 &#128512; &#x1F600;!';
    const { granularity, units } = segmentUnits(text);
    expect(granularity).toBe('word');
    expect(pieces(text, units)).toEqual([
      'Caf&eacute;',
      'cr&egrave;me',
      '😍',
      '👨‍👩‍👧',
      'e\u0301le\u0301gant',
      'na\u00efve',
      'bold',
      'move',
      'don’t',
      '7/10',
      '&#128512;',
      '&#x1F600;',
    ]);
    // What the user sees: each unit decodes to the visible word, whole.
    expect(pieces(text, units).map(decodeEntities).slice(0, 2)).toEqual(['Café', 'crème']);
    expectWholeCharacters(text, units);
  });

  it('round-trips sentences across <br />, blank lines, entities and emoji', () => {
    const text =
      'Loved it&hellip; Truly!<br /><br />The caf&eacute; scene 😍 was great. 👨‍👩‍👧 Bad ending &amp; worse acting.\n\n  Final line here  ';
    const { units } = segmentUnits(text, 'sentence');
    expect(pieces(text, units)).toEqual([
      'Loved it&hellip; Truly!',
      'The caf&eacute; scene 😍 was great.',
      '👨‍👩‍👧 Bad ending &amp; worse acting.',
      'Final line here',
    ]);
    expectWholeCharacters(text, units);
    const hidden = '<script>var x = "a. b. c";</script>Real text. <!-- a comment. --> More text.';
    expect(pieces(hidden, segmentUnits(hidden, 'sentence').units)).toEqual(['Real text.', 'More text.']);
  });

  it('never cuts a tag, a reference or a surrogate pair, whatever the text', () => {
    const reviewish = fc
      .array(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom('<br />', '<i>', '</i>', '&amp;', '&eacute;', '&#8217;', '&nbsp;', '&#x1F600;', '&bogus;'),
          fc.constantFrom('😀', '👨‍👩‍👧', 'e\u0301', '. ', '! ', '\n\n', ' ', '7/10', "don't"),
          fc.stringMatching(/^[a-z]{1,8}$/),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        reviewish,
        fc.constantFrom('word', 'sentence', 'auto') as fc.Arbitrary<'word' | 'sentence'>,
        (text, g) => {
          const { units } = segmentUnits(text, g);
          expectWellFormed(text, units);
          expectWholeCharacters(text, units);
        },
      ),
      { numRuns: 300 },
    );
  });
});
