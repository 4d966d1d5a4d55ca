// @vitest-environment jsdom
/**
 * The IMDb adapter on real saved pages only: the legacy reviews page (2017-2024 "lister" design,
 * captured 2023-06-20), the title page of 2023 (captured 2023-05-26) and of 2021 (captured
 * 2021-05-28), and the JSON-LD fallback on them when the markup is unknown. No real saved page of
 * the 2024- reviews page was found (selectors.ts, WITHOUT_SAVED_PAGE). imdb-reviews-25.html and
 * imdb-title.html, written by hand, are for the browser tests, the marker test and the extension
 * bench; no test here reads them.
 */
import { describe, expect, it } from 'vitest';
import { imdb } from '../../../extension/src/content/adapters/imdb.ts';
import { fixtureHtml, fragment, loadFixture, one, parse } from './fixtures.ts';

describe('IMDb reviews page, 2017-2024 lister design (imdb-reviews-2023.html)', () => {
  const doc = loadFixture('imdb-reviews-2023.html');
  const found = imdb.find(doc);

  it('finds the 25 reviews, spoilers included, in order, each once, and nothing else', () => {
    expect(found).toHaveLength(25);
    expect(found.map((review) => review.element)).toEqual([...doc.querySelectorAll('div.review-container')]);
    const spoilers = found.filter((review) => review.element.closest('.with-spoiler') !== null);
    expect(spoilers.map((review) => found.indexOf(review))).toEqual([3, 7, 9, 11, 12]);
  });

  it('reads only the review text: no title, rating, author, date, votes, permalink or spoiler warning', () => {
    expect(found[0]?.text).toBe(
      "Cringe content... i have so many many issues that i can't diacuss all of them . in short the acting, dialogue, camera work was horrible. i wonder how this movie collected that much money!. china has a lot of very wonderful movies that i love. this movie only has some ok action scenes.although some of them are pointless.",
    );
    expect(found[4]?.text).toBe('This movie is absolutely a waste of time full of stereotypes');
    for (const { text } of found) {
      expect(text).not.toMatch(/found this helpful|Permalink|Sign in|Warning: Spoilers|shop of overacting|rupokrp/);
    }
  });

  it('keeps <br><br> as a paragraph break', () => {
    expect(found[6]?.text).toMatch(
      /^I had heard that this movie had rave reviews\. .*Africa I've ever seen\.\n\nWhat a mess; between the poor writing/s,
    );
    expect(found[6]?.text.split('\n\n')).toHaveLength(4);
  });

  it("reads a spoiler review's text, which is in the DOM behind its warning", () => {
    expect(found[3]?.text).toMatch(
      /^The blockbuster sequel shows .*Check out more of this review and others at swilliky\.com$/s,
    );
  });

  it('does not find the list header ("98 Reviews", filters, sort) or the load-more data', () => {
    for (const selector of ['div.header', 'div.load-more-data']) {
      const lookalike = one(doc, selector);
      expect(found.some((review) => lookalike.contains(review.element) || review.element.contains(lookalike))).toBe(
        false,
      );
    }
  });

  it('finds only a review added later ("Load More")', () => {
    const page = loadFixture('imdb-reviews-2023.html');
    const item = one(page, 'div.imdb-user-review');
    // A copy of a real review, as "Load More" appends the next ones.
    const added = fragment(page, item.outerHTML);
    page.body.append(added);
    expect(imdb.find(added)).toHaveLength(1);
    expect(imdb.find(page)).toHaveLength(26);
  });
});

describe('IMDb title page, 2023 (imdb-title-2023.html)', () => {
  const doc = loadFixture('imdb-title-2023.html');
  const found = imdb.find(doc);
  const TEXT = "This film doesn't age, it will be contemporary even in 2030 or 2040. Wachowski's best one, by far.";

  it('finds the one featured review, its text box being the container (the card has no hook)', () => {
    expect(found).toHaveLength(1);
    expect(found[0]?.element).toBe(one(doc, '[data-testid="review-overflow"]'));
    expect(found[0]?.element.closest('section[data-testid="UserReviews"]')).not.toBeNull();
  });

  it('reads the review only: no "Featured review", rating, summary, votes, author or date', () => {
    expect(found[0]?.text).toBe(TEXT);
  });

  it('does not find "Did you know", though it uses the same text markup', () => {
    const trivia = one(doc, 'section[data-testid="DidYouKnow"]');
    expect(trivia.querySelectorAll('.ipc-html-content-inner-div').length).toBeGreaterThan(0);
    expect(found.some((review) => trivia.contains(review.element))).toBe(false);
  });

  it("does not take the JSON-LD's review, which is not on the page, when the markup is unknown", () => {
    const html = fixtureHtml('imdb-title-2023.html').replace(/data-testid="review-overflow"/g, '');
    expect(fixtureHtml('imdb-title-2023.html')).toContain('"reviewBody":"The Matrix - 1999');
    expect(imdb.find(parse(html))).toEqual([]);
  });
});

describe('IMDb title page, 2021 (imdb-title-2021.html)', () => {
  const doc = loadFixture('imdb-title-2021.html');
  const found = imdb.find(doc);
  const TEXT =
    'Confidently directed, dark, brooding, and packed with impressive action sequences and a complex story, The Dark Knight includes a career-defining turn from Heath Ledger as well as other Oscar worthy performances, TDK remains not only the best Batman movie, but comic book movie ever created.';

  it('finds the one featured review, its text box being the container (the card has no hook)', () => {
    expect(found).toHaveLength(1);
    expect(found[0]?.element).toBe(one(doc, '[data-testid="review-overflow"]'));
  });

  it('reads the review only: no "Top review", rating, summary, author or date', () => {
    expect(found[0]?.text).toBe(TEXT);
  });

  it('finds the same review through the JSON-LD when the markup is unknown', () => {
    const html = fixtureHtml('imdb-title-2021.html').replace(/data-testid="review-overflow"/g, '');
    const fallback = imdb.find(parse(html));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]?.text).toBe(TEXT);
    expect(fallback[0]?.element.closest('.ipc-list-card--base')).not.toBeNull();
  });
});

describe('imdb.matches', () => {
  it.each([
    'https://www.imdb.com/title/tt0111161/reviews/?ref_=tt_urv_sm',
    'https://www.imdb.com/title/tt0111161/reviews?spoilers=EXCLUDE&sort=submission_date',
    'https://www.imdb.com/title/tt0111161/',
    'https://www.imdb.com/title/tt0111161',
    'https://m.imdb.com/title/tt0111161/reviews',
    'https://imdb.com/title/tt15398776/?ref_=hm_top_tt_i_1',
    'https://www.imdb.com/fr/title/tt0111161/reviews/',
    'https://www.imdb.com/review/rw1234567/',
  ])('matches %s', (url) => {
    expect(imdb.matches(new URL(url))).toBe(true);
  });

  it.each([
    'https://www.imdb.com/',
    'https://www.imdb.com/chart/top/',
    'https://www.imdb.com/name/nm0000151/',
    'https://www.imdb.com/title/tt0111161/fullcredits/',
    'https://www.imdb.com/title/tt0111161/plotsummary/',
    'https://www.imdb.com.evil.example/title/tt0111161/reviews',
    'https://notimdb.com/title/tt0111161/',
    'ftp://www.imdb.com/title/tt0111161/',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption',
  ])('does not match %s', (url) => {
    expect(imdb.matches(new URL(url))).toBe(false);
  });
});
