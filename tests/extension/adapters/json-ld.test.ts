// @vitest-environment jsdom
/**
 * schema.org Reviews in JSON-LD (extension/src/content/adapters/json-ld.ts): every shape pages use, and
 * matching each review back to the element that shows it.
 */
import { describe, expect, it } from 'vitest';
import { findJsonLdReviews, jsonLdReviewBodies } from '../../../extension/src/content/adapters/json-ld.ts';
import { siteAdapters } from '../../../extension/src/content/adapters/index.ts';
import { fragment, ids, one, parse } from './fixtures.ts';

/** A page whose head holds these JSON-LD scripts (written as given) and whose body is `body`. */
function page(scripts: readonly string[], body = ''): Document {
  const head = scripts.map((script) => `<script type="application/ld+json">${script}</script>`).join('');
  return parse(`<html><head>${head}</head><body>${body}</body></html>`);
}

const review = (body: string): string =>
  JSON.stringify({ '@context': 'https://schema.org', '@type': 'Review', reviewBody: body });

describe('jsonLdReviewBodies', () => {
  it.each([
    ['a single Review', [review('One.')], ['One.']],
    ['an array', [`[${review('One.')},${review('Two.')}]`], ['One.', 'Two.']],
    [
      'an @graph',
      [JSON.stringify({ '@graph': [{ '@type': 'WebPage' }, { '@type': 'Review', reviewBody: 'G.' }] })],
      ['G.'],
    ],
    [
      'a Movie with one review',
      [JSON.stringify({ '@type': 'Movie', review: { '@type': 'Review', reviewBody: 'M.' } })],
      ['M.'],
    ],
    [
      'a Movie with a review array and the old "reviews"',
      [
        JSON.stringify({
          '@type': 'Movie',
          review: [{ '@type': 'Review', reviewBody: 'A.' }],
          reviews: [{ '@type': 'Review', reviewBody: 'B.' }],
        }),
      ],
      ['A.', 'B.'],
    ],
    [
      'typed as a list, a prefix or a URL, and the Review subtypes',
      [
        JSON.stringify([
          { '@type': ['Review', 'Thing'], reviewBody: '1' },
          { '@type': 'schema:Review', reviewBody: '2' },
          { '@type': 'https://schema.org/Review', reviewBody: '3' },
          { '@type': 'CriticReview', reviewBody: '4' },
          { '@type': 'UserReview', text: '5' },
        ]),
      ],
      ['1', '2', '3', '4', '5'],
    ],
    [
      'a body as a list or a value object',
      [
        JSON.stringify([
          { '@type': 'Review', reviewBody: ['a', 'b'] },
          { '@type': 'Review', reviewBody: { '@value': 'v' } },
        ]),
      ],
      ['a\n\nb', 'v'],
    ],
    [
      'not other types',
      [
        JSON.stringify({
          '@type': 'Movie',
          aggregateRating: { '@type': 'AggregateRating', ratingValue: 4 },
          description: 'D.',
        }),
      ],
      [],
    ],
    ['not a Review without text', [JSON.stringify({ '@type': 'Review', reviewRating: { ratingValue: 4 } })], []],
    [
      'not broken JSON, and the next script still counts',
      ['{"@type": "Review", "reviewBody": ', review('Ok.')],
      ['Ok.'],
    ],
    ['inside an HTML comment', [`<!--${review('C.')}-->`], ['C.']],
    ['inside a CDATA comment', [`\n/* <![CDATA[ */\n${review('D.')}\n/* ]]> */\n`], ['D.']],
    ['each text once', [review('Same.'), review('Same.')], ['Same.']],
  ])('reads %s', (_name, scripts, expected) => {
    expect(jsonLdReviewBodies(page(scripts))).toEqual(expected);
  });
});

describe('findJsonLdReviews', () => {
  const long =
    'A patient, beautiful film about grief and family. The lighthouse becomes a character, shot a hundred ways in fog and storm and the gold light of evening. The score is all low strings and distant bells. Elena Marsh and Tomas Reyes are superb, and the scene at the kitchen table is one of the finest I have seen.';

  it('matches the smallest element showing the whole text, across markup and entities', () => {
    const doc = page(
      [review('It&apos;s <b>great</b> &amp; moving.<br/>See it.')],
      '<div class="post"><h2>Title</h2><div class="body" id="b"><p>It\u2019s <em>great</em> &amp; moving.</p><p>See it.</p></div></div>',
    );
    const found = findJsonLdReviews(doc);
    expect(found.map((item) => item.element.id)).toEqual(['b']);
    expect(found[0]?.text).toBe('It\u2019s great & moving.\n\nSee it.');
  });

  it("matches a page that shows only the start of a review, and gives the JSON-LD's whole text", () => {
    const doc = page(
      [review(long)],
      `<div id="clamped"><p>${long.slice(0, 230)}\u2026 <a href="#">Read more</a></p></div>`,
    );
    const found = findJsonLdReviews(doc);
    expect(found).toHaveLength(1);
    expect(found[0]?.element.localName).toBe('p');
    expect(found[0]?.text).toBe(long);
  });

  it('skips a review the page does not show, and text shorter than a sure match', () => {
    expect(findJsonLdReviews(page([review(long)], '<p>Something else entirely.</p>'))).toEqual([]);
    expect(findJsonLdReviews(page([review('Great!')], '<p>Great!</p>'))).toEqual([]);
  });

  it('does not match text inside scripts, styles or templates (the JSON-LD itself included)', () => {
    const doc = page([review(long)], `<template><p>${long}</p></template><noscript>${long}</noscript>`);
    expect(findJsonLdReviews(doc)).toEqual([]);
  });

  it('gives each element once, in document order', () => {
    const doc = page(
      [review('The second review on the page, quite short.'), review('The first review on the page, quite short.')],
      '<p id="one">The first review on the page, quite short.</p><p id="two">The second review on the page, quite short.</p>',
    );
    expect(findJsonLdReviews(doc).map((item) => item.element.id)).toEqual(['one', 'two']);
  });

  it('finds only reviews under a subtree added later, by the JSON-LD of its document', () => {
    const doc = page(
      [review('Already on the page when it loaded.'), review('Rendered later by the page script.')],
      '<main id="list"><p>Already on the page when it loaded.</p></main>',
    );
    const added = fragment(doc, '<p data-test-review="late">Rendered later by the page script.</p>');
    one(doc, '#list').append(added);
    expect(ids(findJsonLdReviews(added))).toEqual(['late']);
    expect(findJsonLdReviews(doc)).toHaveLength(2);
  });
});

describe('JSON-LD as every site adapter’s last fallback', () => {
  const redesigned = page(
    [
      JSON.stringify({
        '@type': 'Movie',
        review: [{ '@type': 'Review', reviewBody: 'A redesign cannot hide a review from us.' }],
      }),
    ],
    '<section class="reviews-2030"><div class="rv" data-test-review="rv"><span class="rv-text">A redesign cannot hide a review from us.</span></div></section>',
  );

  it.each(siteAdapters.map((adapter) => [adapter.id, adapter] as const))(
    '%s finds it when no selector matches',
    (_id, adapter) => {
      const found = adapter.find(redesigned);
      expect(found).toHaveLength(1);
      expect(found[0]?.element.className).toBe('rv-text');
      expect(found[0]?.text).toBe('A redesign cannot hide a review from us.');
    },
  );
});
