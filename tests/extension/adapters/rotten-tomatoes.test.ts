// @vitest-environment jsdom
/**
 * The Rotten Tomatoes adapter on saved pages: the 2024 movie page (critic and audience cards), the
 * 2022-2024 critic reviews page, the 2019-2023 audience rows and 2020-2022 quote balloons, and the
 * JSON-LD fallback.
 */
import { describe, expect, it } from 'vitest';
import { rottenTomatoes } from '../../../extension/src/content/adapters/rotten-tomatoes.ts';
import { fixtureHtml, fragment, ids, loadFixture, markedIds, one, parse, textOf } from './fixtures.ts';

describe('Rotten Tomatoes movie page, 2024 (rotten-tomatoes-movie.html)', () => {
  const doc = loadFixture('rotten-tomatoes-movie.html');
  const found = rottenTomatoes.find(doc);

  it('finds the critic cards and the audience cards, in order, and nothing else', () => {
    expect(ids(found)).toEqual(['critic-1', 'critic-2', 'critic-3', 'audience-1', 'audience-2']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it('does not find the critics consensus, the audience says or the synopsis', () => {
    for (const selector of ['#critics-consensus', '#audience-consensus', '[data-qa="synopsis-value"]', 'form']) {
      const lookalike = one(doc, selector);
      expect(found.some((review) => lookalike.contains(review.element) || review.element.contains(lookalike))).toBe(
        false,
      );
    }
    expect(
      found.some((review) => /Beautifully shot and superbly acted|Audiences found|Skerry Rock/.test(review.text)),
    ).toBe(false);
  });

  it('reads the quote only: no names, dates, scores or "See more"', () => {
    expect(textOf(found, 'critic-1')).toBe(
      'A slow-burning, beautifully acted drama that earns its tears. Elena Marsh has never been better.',
    );
    expect(textOf(found, 'critic-2')).not.toMatch(/Original Score|Rafe Collins|See more/);
    expect(textOf(found, 'audience-1')).toBe('Loved it. The ending had the whole row sniffling, me included.');
  });

  it('keeps an inline quotation', () => {
    expect(textOf(found, 'critic-3')).toBe(
      'As one character says of the lamp: \u201cit only works if you keep it burning\u201d. So does this film, and it never stops.',
    );
  });
});

describe('Rotten Tomatoes critic reviews page, 2022-2024 (rotten-tomatoes-reviews.html)', () => {
  const doc = loadFixture('rotten-tomatoes-reviews.html');
  const found = rottenTomatoes.find(doc);

  it('finds the review rows through [data-qa="review-item"]', () => {
    expect(ids(found)).toEqual(['row-1', 'row-2', 'row-3']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it('reads p.review-text: <br> kept, entities decoded, "Full Review" and scores left out', () => {
    expect(textOf(found, 'row-2')).toBe('Solemn, slow and curiously airless.\nA film that mistakes silence for depth.');
    expect(textOf(found, 'row-3')).toBe(
      'The storm sequence alone is worth the ticket & the quiet that follows it is even better.',
    );
    for (const { text } of found) expect(text).not.toMatch(/Full Review|Original Score|Critics Consensus/);
  });

  it('finds only a row added later ("Load More")', () => {
    const page = loadFixture('rotten-tomatoes-reviews.html');
    const added = fragment(
      page,
      '<div class="review-row" data-qa="review-item" data-test-review="row-4"><div class="review-text-container"><p class="review-text" data-qa="review-quote">A small miracle.</p></div></div>',
    );
    one(page, '.review_table').append(added);
    const found = rottenTomatoes.find(added);
    expect(ids(found)).toEqual(['row-4']);
    expect(found[0]?.text).toBe('A small miracle.');
    expect(rottenTomatoes.find(page)).toHaveLength(4);
  });
});

describe('Rotten Tomatoes older generations (rotten-tomatoes-legacy.html)', () => {
  const doc = loadFixture('rotten-tomatoes-legacy.html');
  const found = rottenTomatoes.find(doc);

  it('finds the 2020-2022 quote balloons and the 2019-2023 audience rows', () => {
    expect(ids(found)).toEqual(['balloon-1', 'balloon-2', 'row-a1', 'row-a2']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it('reads a balloon\'s quote from its attribute and a row\'s clamped paragraph without "Read More"', () => {
    expect(textOf(found, 'balloon-1')).toBe('Quietly devastating. The best thing either of its stars has done.');
    expect(textOf(found, 'row-a1')).toBe(
      'An absolute gem. Two actors at the top of their game, a storm you can almost feel, and an ending that had the whole row in tears.',
    );
    expect(textOf(found, 'row-a2')).toBe('Nothing happens for an hour. Then it rains.');
  });

  it('does not find the consensus', () => {
    expect(found.some((review) => review.text.includes('patient, moving drama about grief'))).toBe(false);
  });
});

describe('Rotten Tomatoes JSON-LD fallback', () => {
  it("finds the movie page's JSON-LD reviews when the cards' markup is unknown", () => {
    // A redesign: new element names and no data-qa, so no selector matches.
    const html = fixtureHtml('rotten-tomatoes-movie.html')
      .replace(/media-review-card-(critic|audience)/g, 'rt-review-card-v3-$1')
      .replace(/data-qa="[^"]*"/g, '');
    const found = rottenTomatoes.find(parse(html));
    expect(
      found.map((review) => review.element.closest<HTMLElement>('[data-test-review]')?.dataset.testReview),
    ).toEqual(['critic-1', 'critic-2']);
    expect(found[1]?.text).toBe(
      'Handsome to look at, but the storm is the only thing in it with any life; everything else is solemn and inert.',
    );
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
