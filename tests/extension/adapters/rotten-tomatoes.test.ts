// @vitest-environment jsdom
/**
 * The Rotten Tomatoes adapter on a real saved page: the movie page of 2022-2024, critic quote
 * balloons and audience bubbles (captured 2024-04-20). rotten-tomatoes-movie.html (2024 cards) and
 * rotten-tomatoes-legacy.html (2020-2022 balloons, 2019-2023 audience rows) are written by hand and
 * stay for the browser tests, so their tests stay too; the selectors they exercise have no real
 * saved page (selectors.ts, WITHOUT_SAVED_PAGE). The 2022-2024 reviews pages ([data-qa="review-item"])
 * had only a hand-written fixture, now gone with its test.
 */
import { describe, expect, it } from 'vitest';
import { rottenTomatoes } from '../../../extension/src/content/adapters/rotten-tomatoes.ts';
import { fixtureHtml, fragment, ids, loadFixture, markedIds, one, parse, textOf } from './fixtures.ts';

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

describe('Rotten Tomatoes movie page, 2024, written by hand (rotten-tomatoes-movie.html)', () => {
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

describe('Rotten Tomatoes older generations, written by hand (rotten-tomatoes-legacy.html)', () => {
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
