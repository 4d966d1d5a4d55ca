// @vitest-environment jsdom
/**
 * From a span of a review's text (UTF-16 offsets into exactly the string the adapter read, as an
 * explanation gives them) back to the page (extension/src/content/adapters/traced.ts): the DOM
 * Range over the element's own text nodes, through collapsed whitespace, added line breaks and
 * quote marks, left-out controls and labels, character references, emoji and accents. And the
 * traced operations give exactly the plain strings' results.
 */
import { describe, expect, it } from 'vitest';
import { adapterFor, genericAdapter, imdb } from '../../../extension/src/content/adapters/index.ts';
import { traceContainerText } from '../../../extension/src/content/adapters/site.ts';
import { METACRITIC } from '../../../extension/src/content/adapters/selectors.ts';
import { tidyWhitespace, traceReviewText } from '../../../extension/src/content/adapters/text.ts';
import {
  added,
  plain,
  rangeOf,
  replace,
  TextSource,
  type TextOrigin,
} from '../../../extension/src/content/adapters/traced.ts';
import type { SiteAdapter } from '../../../extension/src/content/adapters/types.ts';
import { segmentUnits } from '../../../model/inference/explain.ts';
import { FIXTURE_NAMES, loadFixture, one, parse } from './fixtures.ts';

function read(html: string): { doc: Document; origin: TextOrigin } {
  const doc = parse(`<body>${html}</body>`);
  const source = new TextSource();
  return { doc, origin: { traced: traceReviewText(one(doc, '#r'), {}, source), source } };
}

/** The page text each unit of the traced text lands on. */
function landed(doc: Document, origin: TextOrigin, granularity: 'word' | 'sentence'): [string, string | undefined][] {
  const { text } = origin.traced;
  return segmentUnits(text, granularity).units.map(({ start, end }) => [
    text.slice(start, end),
    rangeOf(doc, origin, start, end)?.toString(),
  ]);
}

/** As a reader compares: any run of whitespace as one space. */
const squash = (text: string | undefined): string | undefined => text?.replace(/\s+/g, ' ').trim();

describe('rangeOf: a span of the adapter text as a DOM Range', () => {
  it('finds words through character references (decoded by the parser, or written as text)', () => {
    const { doc, origin } = read('<p id="r">Caf&eacute; cr&egrave;me, &lt;b&gt;bold&lt;/b&gt; &amp;amp; great</p>');
    expect(origin.traced.text).toBe('Café crème, <b>bold</b> &amp; great');
    // The explanation reads the text's <b> and &amp; as markup (a tag, an "&"): no units of their own.
    expect(landed(doc, origin, 'word')).toEqual([
      ['Café', 'Café'],
      ['crème', 'crème'],
      ['bold', 'bold'],
      ['great', 'great'],
    ]);
  });

  it('keeps emoji (surrogate pairs, ZWJ sequences, skin tones) and combining accents whole', () => {
    const { doc, origin } = read('<div id="r">Loved it 😀 👍🏽 so much.<br>Hated 👨‍👩‍👧 the e\u0301le\u0301gant end.</div>');
    const words = landed(doc, origin, 'word');
    for (const [unit, onPage] of words) expect(onPage).toBe(unit);
    expect(words.map(([unit]) => unit)).toEqual(expect.arrayContaining(['😀', '👍🏽', '👨‍👩‍👧', 'e\u0301le\u0301gant']));
  });

  it('finds sentences across paragraphs, collapsed whitespace, inline markup and split text nodes', () => {
    const { doc, origin } = read(
      '<div id="r"><p>  First   <b>sentence</b>\n  here. </p><p>Second <i>one</i>!</p>Third&nbsp;line,<br>fourth.</div>',
    );
    expect(origin.traced.text).toBe('First sentence here.\n\nSecond one!\n\nThird line,\nfourth.');
    expect(landed(doc, origin, 'sentence').map(([unit, onPage]) => [unit, squash(onPage)])).toEqual([
      ['First sentence here.', 'First sentence here.'],
      ['Second one!', 'Second one!'],
      ['Third line,', 'Third line,'],
      ['fourth.', 'fourth.'],
    ]);
  });

  it('ends a span at the right place when a left-out control sits between sentences', () => {
    const { doc, origin } = read('<div id="r">Great start. <a href="#">Read more</a> Awful end.</div>');
    expect(origin.traced.text).toBe('Great start. Awful end.');
    expect(landed(doc, origin, 'sentence')).toEqual([
      ['Great start.', 'Great start.'],
      ['Awful end.', 'Awful end.'],
    ]);
  });

  it("maps an inline quote's added quote marks to the quoted text around them", () => {
    const { doc, origin } = read('<div id="r">He says <q>keep it burning</q> twice. <q>Stop.</q></div>');
    expect(origin.traced.text).toBe('He says \u201ckeep it burning\u201d twice. \u201cStop.\u201d');
    expect(landed(doc, origin, 'sentence')).toEqual([
      ['He says \u201ckeep it burning\u201d twice.', 'He says keep it burning twice.'],
      ['\u201cStop.\u201d', 'Stop.'],
    ]);
  });

  it("skips a site's label removed from the text", () => {
    const doc = parse(
      '<body><div id="c"><div class="c-siteReview_quote">[SPOILER ALERT: This review contains spoilers.] Dull. Then great.</div></div></body>',
    );
    const origin = traceContainerText(one(doc, '#c'), METACRITIC);
    expect(origin.traced.text).toBe('Dull. Then great.');
    expect(landed(doc, origin, 'sentence')).toEqual([
      ['Dull.', 'Dull.'],
      ['Then great.', 'Then great.'],
    ]);
  });

  it('gives no range for text that is not on the page, or for nodes the page has changed since', () => {
    const attribute = { traced: added('Only in an attribute.'), source: new TextSource() };
    expect(rangeOf(document, attribute, 0, 4)).toBeUndefined();
    const { doc, origin } = read('<div id="r">Good film. Bad end.</div>');
    expect(rangeOf(doc, origin, 0, 10)?.toString()).toBe('Good film.');
    const node = one(doc, '#r').firstChild;
    if (node === null) throw new Error('no text node');
    node.nodeValue = 'Bad film. Good end.';
    expect(rangeOf(doc, origin, 0, 10)).toBeUndefined();
  });

  it('lands every sentence of every review of every saved site page on the same text in the page', () => {
    let checked = 0;
    for (const name of FIXTURE_NAMES) {
      const doc = loadFixture(name);
      const adapters: SiteAdapter[] = [imdb, genericAdapter];
      const site = adapterFor(new URL(`https://www.${name.split('-')[0] ?? ''}.com/`));
      if (site !== undefined) adapters.push(site);
      for (const adapter of [...new Set(adapters)]) {
        for (const review of adapter.find(doc)) {
          if (review.origin === undefined) continue;
          expect(review.origin.traced.text).toBe(review.text);
          const { text, from } = review.origin.traced;
          for (const { start, end } of segmentUnits(text, 'sentence').units) {
            const onPage = rangeOf(doc, review.origin, start, end)?.toString();
            // A microdata <meta content> is read but not shown: nothing on the page to find.
            if (from.slice(start, end).every((index) => index < 0)) expect(onPage).toBeUndefined();
            else expect(squash(onPage)).toBe(squash(text.slice(start, end).replace(/[\u201c\u201d]/g, '')));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('traced operations equal the string operations', () => {
  /** The plain string version before the text was traced, kept as the oracle. */
  const oracle = (text: string): string =>
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.replace(/[\t\f\v \u00a0]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();

  it('tidies whitespace as before, on 2,000 random strings of spaces, breaks and letters', () => {
    const alphabet = ['a', 'b', ' ', ' ', '\n', '\r', '\t', '\u00a0', '\u2028', '\ufeff', '\u3000', '\f', '\v', 'é'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: next() % 30 }, () => alphabet[next() % alphabet.length] ?? '').join('');
      expect(tidyWhitespace(text)).toBe(oracle(text));
    }
  });

  it.each([
    ['a global pattern', /o+/g],
    ['the first match only', /o+/],
    ['with groups', /(o)(x)?/g],
  ])('replaces with %s as String.prototype.replace does', (_, pattern) => {
    const text = 'foo boo zoo';
    const traced = replace(plain(text), pattern, '-');
    expect(traced.text).toBe(text.replace(pattern, '-'));
    expect(traced.from).toHaveLength(traced.text.length);
  });
});
