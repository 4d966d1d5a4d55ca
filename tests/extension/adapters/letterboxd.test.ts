// @vitest-environment jsdom
/**
 * The Letterboxd adapter on a real saved page only: the "Popular reviews" of a film page, with its
 * synopsis (captured 2026-01-08), and the JSON-LD fallback. letterboxd-film.html, written by hand, is
 * for the browser tests; no test here reads it. The 2016-2023 li.film-detail lists and the single
 * review page (section.js-review) have no real saved page (selectors.ts, WITHOUT_SAVED_PAGE), so no test.
 */
import { describe, expect, it } from 'vitest';
import { letterboxd } from '../../../extension/src/content/adapters/letterboxd.ts';
import { fixtureHtml, fragment, loadFixture, one, parse } from './fixtures.ts';

const REVIEW = 'article.production-viewing';

describe('Letterboxd film page, popular reviews (letterboxd-film-popular-reviews.html)', () => {
  const doc = loadFixture('letterboxd-film-popular-reviews.html');
  const found = letterboxd.find(doc);

  it('finds the twelve reviews and nothing else', () => {
    expect(found).toHaveLength(12);
    expect(found.map((review) => review.element)).toEqual([...doc.querySelectorAll(REVIEW)]);
  });

  it('does not find the synopsis, though it is body-text too', () => {
    const synopsis = one(doc, '.review.body-text.-hero');
    expect(found.some((review) => synopsis.contains(review.element) || review.element.contains(synopsis))).toBe(false);
    expect(found.some((review) => /city of dreams|Betty Elms/.test(review.text))).toBe(false);
  });

  it('reads each review body as the page shows it: paragraphs and <br> kept, no name, rating or likes', () => {
    expect(found[1]?.text).toBe('This is La La Land\u2019s evil twin');
    expect(found[9]?.text).toBe('nobody:\n\ndavid lynch: and then we throw in some creepy old people');
    for (const { text } of found) expect(text).not.toMatch(/Review by|\u2605|Liked|Translate/);
  });

  it('reads what is on the page of a truncated review (the rest is fetched on "more")', () => {
    const text = found[11]?.text ?? '';
    expect(
      text.startsWith('100\n\nSixteen Reasons why I love Mulholland Drive:\n\n1. The Jitterbug.\n2. "Okay, Irene!'),
    ).toBe(true);
    expect(text.endsWith('without fully exploring or ruining the mystery of the similarities/differences.\u2026')).toBe(
      true,
    );
  });

  it('finds only a review added later to the list', () => {
    const page = loadFixture('letterboxd-film-popular-reviews.html');
    const item = page.querySelector('.viewing-list > .listitem');
    if (item === null) throw new Error('fixture has no list item');
    // A copy of a real review, as "More" appends the next ones.
    const added = fragment(page, item.outerHTML);
    one(page, '.viewing-list').append(added);
    expect(letterboxd.find(added)).toHaveLength(1);
    expect(letterboxd.find(page)).toHaveLength(13);
  });
});

describe('Letterboxd JSON-LD fallback', () => {
  it('parses JSON-LD wrapped in a CDATA comment and finds the review it names', () => {
    // A redesign (no known class) with a Review in Letterboxd's CDATA-wrapped JSON-LD.
    const html = fixtureHtml('letterboxd-film-popular-reviews.html')
      .replace(/production-viewing|js-review-body|body-text/g, 'x-text')
      .replace(
        '</head>',
        '<script type="application/ld+json">\n/* <![CDATA[ */\n{"@context":"http://schema.org","@type":"Review","reviewBody":"i feel like david lynch is directing my life because it all doesnt make any goddamn sense"}\n/* ]]> */\n</script></head>',
      );
    const found = letterboxd.find(parse(html));
    expect(found).toHaveLength(1);
    expect(found[0]?.element.closest('article')?.getAttribute('data-person')).toBe('eersojyn');
    expect(found[0]?.text).toBe(
      'i feel like david lynch is directing my life because it all doesnt make any goddamn sense',
    );
  });

  it('finds nothing on the film page when its markup is unknown and its JSON-LD has no review', () => {
    const html = fixtureHtml('letterboxd-film-popular-reviews.html').replace(
      /production-viewing|js-review-body|body-text/g,
      'x',
    );
    expect(letterboxd.find(parse(html))).toEqual([]);
  });
});

describe('letterboxd.matches', () => {
  it.each([
    'https://letterboxd.com/film/parasite-2019/',
    'https://letterboxd.com/film/parasite-2019',
    'https://letterboxd.com/film/parasite-2019/reviews/',
    'https://letterboxd.com/film/parasite-2019/reviews/by/activity/page/2/',
    'https://letterboxd.com/someone/friends/film/parasite-2019/reviews/',
    'https://letterboxd.com/someone/film/parasite-2019/',
    'https://letterboxd.com/someone/film/parasite-2019/2/',
    'https://letterboxd.com/someone/films/reviews/',
    'https://www.letterboxd.com/film/parasite-2019/',
  ])('matches %s', (url) => {
    expect(letterboxd.matches(new URL(url))).toBe(true);
  });

  it.each([
    'https://letterboxd.com/',
    'https://letterboxd.com/films/popular/',
    'https://letterboxd.com/someone/',
    'https://letterboxd.com/someone/list/best-of-2024/',
    'https://letterboxd.com/film/parasite-2019/crew/',
    'https://letterboxd.com/film/parasite-2019/members/',
    'https://boxd.it/film/parasite-2019/',
  ])('does not match %s', (url) => {
    expect(letterboxd.matches(new URL(url))).toBe(false);
  });
});
