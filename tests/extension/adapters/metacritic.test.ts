// @vitest-environment jsdom
/**
 * The Metacritic adapter on saved pages: the 2025 review cards, the 2023-2025 critic and user
 * reviews pages, the pre-2023 user reviews list, and the JSON-LD fallback.
 */
import { describe, expect, it } from 'vitest';
import { metacritic } from '../../../extension/src/content/adapters/metacritic.ts';
import { fixtureHtml, fragment, ids, loadFixture, markedIds, one, parse, textOf } from './fixtures.ts';

describe('Metacritic movie page, 2025 cards (metacritic-movie.html)', () => {
  const doc = loadFixture('metacritic-movie.html');
  const found = metacritic.find(doc);

  it('finds the critic and user cards and nothing else', () => {
    expect(ids(found)).toEqual(['card-c1', 'card-c2', 'card-u1']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it("does not find the movie's description or the score panels", () => {
    expect(found.some((review) => /thirty years|Universal Acclaim|User Score/.test(review.text))).toBe(false);
    expect(textOf(found, 'card-c2')).toBe('Dreary and far too long.');
  });
});

describe('Metacritic critic reviews page, 2023-2025 (metacritic-critic-reviews.html)', () => {
  const doc = loadFixture('metacritic-critic-reviews.html');
  const found = metacritic.find(doc);

  it('finds div.c-siteReview through the fallback selectors', () => {
    expect(ids(found)).toEqual(['mc-1', 'mc-2', 'mc-3']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it('reads the quote only: no score, publication, critic or "Read More"', () => {
    expect(textOf(found, 'mc-1')).toBe(
      "A patient, luminous film about grief, anchored by two of the year's best performances. It is a triumph.",
    );
    expect(textOf(found, 'mc-3')).toBe('"Keep the light burning," the poster says. I kept checking my watch.');
    for (const { text } of found) expect(text).not.toMatch(/Read More|By Ada|Northern Review|^\d+/);
  });
});

describe('Metacritic user reviews page, 2023-2025 (metacritic-user-reviews.html)', () => {
  const doc = loadFixture('metacritic-user-reviews.html');
  const found = metacritic.find(doc);

  it('skips a spoiler review whose text is not on the page, and finds the others', () => {
    expect(ids(found)).toEqual(['mu-1', 'mu-2']);
    const spoiler = one(doc, '[data-spoiler-review]');
    expect(found.some((review) => review.element === spoiler)).toBe(false);
    expect(found.some((review) => review.text.includes('SPOILER ALERT'))).toBe(false);
  });

  it('reads a truncated review as far as the page shows it, without "Read More" or "Helpful?"', () => {
    expect(textOf(found, 'mu-2')).toMatch(/^Critics loved it, I have no idea why\..*counting the \.\.\.$/s);
    expect(textOf(found, 'mu-1')).toBe(
      "Best film I've seen this year. The acting, the music, the sea: all of it is perfect.",
    );
  });

  it('finds only a review added later (infinite scroll)', () => {
    const page = loadFixture('metacritic-user-reviews.html');
    const added = fragment(
      page,
      '<div class="c-siteReview" data-test-review="mu-3"><div class="c-siteReview_quote"><span>Stunning.</span></div></div>',
    );
    one(page, '.c-pageProductReviews_row').append(added);
    expect(ids(metacritic.find(added))).toEqual(['mu-3']);
    expect(ids(metacritic.find(page))).toEqual(['mu-1', 'mu-2', 'mu-3']);
  });
});

describe('Metacritic user reviews, before 2023 (metacritic-legacy.html)', () => {
  const doc = loadFixture('metacritic-legacy.html');
  const found = metacritic.find(doc);

  it('finds li.review and reads the expanded blurb once, without "Expand"', () => {
    expect(ids(found)).toEqual(['old-u1', 'old-u2']);
    expect(textOf(found, 'old-u1')).toBe(
      'A wonderful film. The two leads are superb and the storm sequence is the best thing I have seen in years.\n\nGo and see it on a big screen.',
    );
    expect(textOf(found, 'old-u2')).toBe('Boring. Nothing happens for two hours.');
  });
});

describe('Metacritic JSON-LD fallback', () => {
  it('finds a review named in JSON-LD when the markup is unknown', () => {
    const html = fixtureHtml('metacritic-critic-reviews.html')
      .replace(/c-siteReview/g, 'c-rev2')
      .replace(
        '</head>',
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Movie","name":"The Lighthouse Keeper","review":[{"@type":"Review","reviewBody":"Admirable in its restraint, exasperating in its length. You will respect it more than you enjoy it."}]}</script></head>',
      );
    const found = metacritic.find(parse(html));
    expect(
      found.map((review) => review.element.closest<HTMLElement>('[data-test-review]')?.dataset.testReview),
    ).toEqual(['mc-2']);
  });
});

describe('metacritic.matches', () => {
  it.each([
    'https://www.metacritic.com/movie/oppenheimer/',
    'https://www.metacritic.com/movie/oppenheimer',
    'https://www.metacritic.com/movie/oppenheimer/critic-reviews/',
    'https://www.metacritic.com/movie/oppenheimer/user-reviews/?sort-by=Recently%20Added',
    'https://metacritic.com/movie/oppenheimer/critic-reviews',
  ])('matches %s', (url) => {
    expect(metacritic.matches(new URL(url))).toBe(true);
  });

  it.each([
    'https://www.metacritic.com/',
    'https://www.metacritic.com/browse/movie/',
    'https://www.metacritic.com/game/elden-ring/',
    'https://www.metacritic.com/tv/the-bear/',
    'https://www.metacritic.com/movie/oppenheimer/details/',
    'https://metacritic.com.example/movie/oppenheimer/',
  ])('does not match %s', (url) => {
    expect(metacritic.matches(new URL(url))).toBe(false);
  });
});
