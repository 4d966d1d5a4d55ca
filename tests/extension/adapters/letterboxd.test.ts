// @vitest-environment jsdom
/**
 * The Letterboxd adapter on saved pages: the 2024 reviews list and film page, the 2016-2023 list,
 * a single review page, and the JSON-LD fallback.
 */
import { describe, expect, it } from 'vitest';
import { letterboxd } from '../../../extension/src/content/adapters/letterboxd.ts';
import { fixtureHtml, fragment, ids, loadFixture, markedIds, one, parse, textOf } from './fixtures.ts';

describe('Letterboxd reviews list, 2024 (letterboxd-reviews.html)', () => {
  const doc = loadFixture('letterboxd-reviews.html');
  const found = letterboxd.find(doc);

  it('finds the four reviews and nothing else', () => {
    expect(ids(found)).toEqual(['lb-1', 'lb-2', 'lb-3', 'lb-4']);
    expect(ids(found)).toEqual(markedIds(doc));
    for (const review of found) expect(review.element.matches('article.production-viewing')).toBe(true);
  });

  it('keeps a <br> as a line break', () => {
    expect(textOf(found, 'lb-1')).toBe('the foghorn scene. THE FOGHORN SCENE.\ni will be thinking about it for weeks');
  });

  it('reads the hidden spoiler text, not the placeholder', () => {
    expect(textOf(found, 'lb-2')).toBe(
      'Killing the daughter in the last ten minutes is a cheap trick.\n\nEverything before it was so careful. What a waste.',
    );
  });

  it('reads what is on the page of a truncated review, without its "more" link', () => {
    expect(textOf(found, 'lb-3')).toBe(
      'There is a long tradition of lighthouse films, and this one knows it: the spiral staircase, the logbook, the bird against the glass.\n\n' +
        'What it adds is warmth, which the genre rarely allows itself\u2026',
    );
  });

  it('keeps a quote nested in a quote', () => {
    expect(textOf(found, 'lb-4')).toBe(
      "My friend's review said it best:\n\nIt is a film about keeping a light on for someone. Ewan says it himself:\n\nYou don't stop because nobody's out there.\n\nI agree with every word.",
    );
  });

  it('reads no ratings, likes or names', () => {
    for (const { text } of found) expect(text).not.toMatch(/likes|Like review|★|Marguerite|I can handle the truth/);
  });

  it('finds only a review added later to the list', () => {
    const page = loadFixture('letterboxd-reviews.html');
    const added = fragment(
      page,
      '<div class="listitem js-listitem"><article class="production-viewing -viewing" data-test-review="lb-5"><div class="js-review"><div class="body-text -prose -reset js-review-body"><p>late to this, but wow</p></div></div></article></div>',
    );
    one(page, '.viewing-list').append(added);
    expect(ids(letterboxd.find(added))).toEqual(['lb-5']);
    expect(ids(letterboxd.find(page))).toEqual(['lb-1', 'lb-2', 'lb-3', 'lb-4', 'lb-5']);
  });
});

describe('Letterboxd film page (letterboxd-film.html)', () => {
  const doc = loadFixture('letterboxd-film.html');
  const found = letterboxd.find(doc);

  it('finds the popular reviews and not the synopsis, though it is body-text too', () => {
    expect(ids(found)).toEqual(['film-1', 'film-2']);
    const synopsis = one(doc, '.review.body-text.-hero');
    expect(found.some((review) => synopsis.contains(review.element) || review.element.contains(synopsis))).toBe(false);
    expect(found.some((review) => review.text.includes('Skerry Rock'))).toBe(false);
  });
});

describe('Letterboxd lists, 2016-2023 (letterboxd-legacy.html)', () => {
  const doc = loadFixture('letterboxd-legacy.html');
  const found = letterboxd.find(doc);

  it('finds li.film-detail and reads div.body-text (no js- hook)', () => {
    expect(ids(found)).toEqual(['old-1', 'old-2']);
    expect(textOf(found, 'old-1')).toBe('Cried twice. Would cry again.');
    expect(textOf(found, 'old-2')).toBe('The twist with the logbook made no sense at all.');
  });
});

describe('Letterboxd single review page (letterboxd-review.html)', () => {
  const doc = loadFixture('letterboxd-review.html');
  const found = letterboxd.find(doc);

  it('finds the review and not the comments under it', () => {
    expect(ids(found)).toEqual(['single']);
    expect(textOf(found, 'single')).toBe(
      'the foghorn scene. THE FOGHORN SCENE.\n\ni will be thinking about it for weeks, and about the way Elena Marsh looks at the lamp when she thinks nobody sees her.',
    );
  });
});

describe('Letterboxd JSON-LD fallback', () => {
  it('parses JSON-LD wrapped in a CDATA comment and finds the review it names', () => {
    // A redesign (no known class) with a Review in Letterboxd's CDATA-wrapped JSON-LD.
    const html = fixtureHtml('letterboxd-review.html')
      .replace(/js-review-body|js-review/g, 'x-text')
      .replace(
        '</head>',
        '<script type="application/ld+json">\n/* <![CDATA[ */\n{"@context":"http://schema.org","@type":"Review","reviewBody":"the foghorn scene. THE FOGHORN SCENE. i will be thinking about it for weeks, and about the way Elena Marsh looks at the lamp when she thinks nobody sees her."}\n/* ]]> */\n</script></head>',
      );
    const found = letterboxd.find(parse(html));
    expect(found).toHaveLength(1);
    expect(found[0]?.element.closest<HTMLElement>('[data-test-review]')?.dataset.testReview).toBe('single');
    expect(found[0]?.text).toMatch(/^the foghorn scene\./);
  });

  it('finds nothing on the film page when its markup is unknown: its JSON-LD has no review', () => {
    const html = fixtureHtml('letterboxd-film.html').replace(/production-viewing|js-review-body|body-text/g, 'x');
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
