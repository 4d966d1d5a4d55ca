// @vitest-environment jsdom
/**
 * The Rotten Tomatoes adapter on real saved pages only: the movie page of 2022-2024, critic quote
 * balloons and audience bubbles (captured 2024-04-20), and the audience reviews page of 2022-2023
 * (captured 2023-06-20); and the JSON-LD fallback on the latter when its markup is unknown. No real
 * saved page of the 2024 cards, of the critics' rows of the reviews pages or of the 2020-2022
 * balloons was found (selectors.ts, WITHOUT_SAVED_PAGE). rotten-tomatoes-movie.html and
 * rotten-tomatoes-legacy.html, written by hand, are for the browser tests; no test here reads them.
 */
import { describe, expect, it } from 'vitest';
import { rottenTomatoes } from '../../../extension/src/content/adapters/rotten-tomatoes.ts';
import { fixtureHtml, fragment, loadFixture, one, parse } from './fixtures.ts';

describe('Rotten Tomatoes movie page, 2022-2024 (rotten-tomatoes-movie-balloons.html)', () => {
  const doc = loadFixture('rotten-tomatoes-movie-balloons.html');
  const found = rottenTomatoes.find(doc);

  it('finds the twelve critic quotes and the four audience reviews, in order, and nothing else', () => {
    expect(found).toHaveLength(16);
    expect(found.map((review) => review.element)).toEqual([
      ...doc.querySelectorAll('review-speech-balloon-deprecated'),
      ...doc.querySelectorAll('li[data-qa="quote-bubble"]'),
    ]);
  });

  it('reads a critic\'s quote from its attribute: no name, publication or "Full Review"', () => {
    expect(found[0]?.text).toBe(
      "The final instalment, Deathly Hallows Part 2, is a bravura duel between good and evil. It's also a cathartic, occasionally clunky nostalgiafest.",
    );
    expect(found[9]?.text).toBe('Easily the best of the series...');
    for (const { text } of found.slice(0, 12)) expect(text).not.toMatch(/Full Review|Kate Muir|Times \(UK\)/);
  });

  it('reads an audience review without its date, name or "Show More" / "Show Less"', () => {
    expect(found[14]?.text).toBe(
      "This is the best way to end such a thrilling franchise. Harry Potter doesn't get better than this.",
    );
    for (const { text } of found.slice(12)) expect(text).not.toMatch(/Show More|Show Less|Super Reviewer|Jun 24, 2017/);
  });

  it('finds only an audience review added later', () => {
    const page = loadFixture('rotten-tomatoes-movie-balloons.html');
    const bubble = page.querySelector('li[data-qa="quote-bubble"]');
    if (bubble === null) throw new Error('fixture has no audience review');
    // A copy of a real review, as the page appends the next ones.
    const added = fragment(page, bubble.outerHTML);
    one(page, '#audience-reviews .reviews-wrap').append(added);
    expect(rottenTomatoes.find(added)).toHaveLength(1);
    expect(rottenTomatoes.find(page)).toHaveLength(17);
  });
});

describe('Rotten Tomatoes audience reviews page, 2022-2023 (rotten-tomatoes-audience-reviews.html)', () => {
  const doc = loadFixture('rotten-tomatoes-audience-reviews.html');
  const found = rottenTomatoes.find(doc);

  it('finds the twenty audience reviews, in order, each once, and nothing else', () => {
    expect(found).toHaveLength(20);
    expect(found.map((review) => review.element)).toEqual([...doc.querySelectorAll('div.audience-review-row')]);
    for (const review of found) expect(review.element.matches('[data-qa="review-item"]')).toBe(true);
  });

  it('reads the review only: no name, stars, date, "Show More" or "Flag this review"', () => {
    expect(found[0]?.text).toBe(
      'I watched on Amazon, no subtitles were available in any language & I do not speak Chinese, but it was still relatable and a great action movie with novel fight sequences',
    );
    expect(found[2]?.text).toBe('Better than the first but not by much...');
    expect(found[9]?.text).toBe('Tedious 2 hours.\u{1F44E}\u{1F44E}');
    for (const { text } of found) expect(text).not.toMatch(/Show More|Flag this review|lance c|Feb 18, 2023/);
  });

  it('reads a review in another language as it is', () => {
    expect(found[16]?.text).toMatch(
      /^Apr\u00e8s un premier \u00e9pisode m\u00e9diocre .* d'une id\u00e9ologie naus\u00e9abonde\.$/s,
    );
  });

  it('does not find the heading, the reviewer-type menus or the Prev/Next buttons', () => {
    for (const { text } of found) expect(text).not.toMatch(/Wolf Warrior II Reviews|Verified Audience|Prev|Next/);
  });

  it('finds only a review added later ("Next" replaces the rows)', () => {
    const page = loadFixture('rotten-tomatoes-audience-reviews.html');
    const row = one(page, 'div.audience-review-row');
    // A copy of a real review, as the page puts in the next ones.
    const added = fragment(page, row.outerHTML);
    one(page, '.review_table').append(added);
    expect(rottenTomatoes.find(added)).toHaveLength(1);
    expect(rottenTomatoes.find(page)).toHaveLength(21);
  });
});

describe('Rotten Tomatoes JSON-LD fallback', () => {
  it('finds a review named in JSON-LD when the markup is unknown', () => {
    // No real Rotten Tomatoes page with reviews in its JSON-LD was found: a redesign is simulated on the
    // real audience page (its hooks renamed, so no selector matches) with a Review in JSON-LD that
    // quotes one of its reviews.
    const html = fixtureHtml('rotten-tomatoes-audience-reviews.html')
      .replace(/audience-review-row|audience-reviews__review/g, 'rt-x')
      .replace(/data-qa="review-(?:item|text)"/g, '')
      .replace(
        '</head>',
        '<script type="application/ld+json">{"@context":"http://schema.org","@type":"Movie","review":[{"@type":"Review","reviewBody":"Better than the first but not by much..."}]}</script></head>',
      );
    const found = rottenTomatoes.find(parse(html));
    expect(found).toHaveLength(1);
    expect(found[0]?.text).toBe('Better than the first but not by much...');
    expect(found[0]?.element.closest('.review-text-container')).not.toBeNull();
  });
});

describe('rottenTomatoes.matches', () => {
  it.each([
    'https://www.rottentomatoes.com/m/the_shawshank_redemption',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption/',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption/reviews',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption/reviews?type=user',
    'https://www.rottentomatoes.com/m/dune_part_two/reviews?type=top_critics',
    'https://www.rottentomatoes.com/m/dune_part_two/reviews/all-audiences',
    'https://rottentomatoes.com/m/dune_part_two',
  ])('matches %s', (url) => {
    expect(rottenTomatoes.matches(new URL(url))).toBe(true);
  });

  it.each([
    'https://www.rottentomatoes.com/',
    'https://www.rottentomatoes.com/browse/movies_in_theaters',
    'https://www.rottentomatoes.com/m/dune_part_two/pictures',
    'https://www.rottentomatoes.com/celebrity/zendaya',
    'https://www.rottentomatoes.com.example/m/dune_part_two',
    'https://www.imdb.com/title/tt0111161/',
  ])('does not match %s', (url) => {
    expect(rottenTomatoes.matches(new URL(url))).toBe(false);
  });
});
