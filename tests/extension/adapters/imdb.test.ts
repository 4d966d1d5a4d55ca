// @vitest-environment jsdom
/**
 * The IMDb adapter on the one real saved page found, the 2021 title page (captured 2021-05-28),
 * and on pages written by hand: the 2024 reviews page (25 reviews) and the 2023 title page's
 * featured reviews, kept because the browser tests, the marker test and the extension bench read
 * them; and the JSON-LD fallback when the markup is unknown. No real saved page of the reviews
 * page (any generation) or of the 2023- title page was found (selectors.ts, WITHOUT_SAVED_PAGE);
 * the legacy reviews page's hand-written fixture and its test are gone.
 */
import { describe, expect, it } from 'vitest';
import { imdb } from '../../../extension/src/content/adapters/imdb.ts';
import { fixtureHtml, ids, loadFixture, markedIds, one, parse, textOf } from './fixtures.ts';

describe('IMDb reviews page, 2024 redesign, written by hand (imdb-reviews-25.html)', () => {
  const doc = loadFixture('imdb-reviews-25.html');
  const found = imdb.find(doc);

  it('finds the 25 reviews, in order, each once, and nothing else', () => {
    expect(found).toHaveLength(25);
    expect(ids(found)).toEqual(markedIds(doc));
    expect(ids(found)).toEqual(Array.from({ length: 25 }, (_, i) => `r${String(i + 1).padStart(2, '0')}`));
    for (const review of found) expect(review.element.matches('article.user-review-item')).toBe(true);
  });

  it('carries the expected label of every review for the end-to-end test', () => {
    const labels = found.map((review) => review.element.dataset.expectedLabel);
    expect(labels.filter((label) => label === 'positive')).toHaveLength(13);
    expect(labels.filter((label) => label === 'negative')).toHaveLength(12);
  });

  it('reads only the review text: no title, author, votes, permalink or controls', () => {
    for (const { text } of found) {
      expect(text.length).toBeGreaterThan(50);
      expect(text).not.toMatch(/Helpful|Permalink|Read more|Spoiler|Review options|\/10/);
    }
    expect(textOf(found, 'r01')).not.toContain('A quiet triumph');
    expect(textOf(found, 'r01')).not.toContain('cinephile_88');
  });

  it('keeps <br><br> as a paragraph break', () => {
    expect(textOf(found, 'r01')).toBe(
      'This is one of the best films I have seen in years. The performances are superb, the photography is gorgeous, and the score stays with you long after the credits roll.\n\n' +
        "Elena Marsh gives a wonderful, generous performance as the keeper's daughter, and every scene she shares with Tomas Reyes is a joy to watch. I loved every minute of it and cannot wait to see it again. Highly recommended.",
    );
  });

  it('includes the text of a spoiler review, without the "Spoiler" button', () => {
    expect(textOf(found, 'r06')).toMatch(/^The worst ending I have seen in a long time\..*I hated it\.$/s);
  });

  it('reads escaped HTML in a review as text', () => {
    expect(textOf(found, 'r08')).toContain('posted <script>alert(1)</script> as a joke review');
  });

  it('reads a clamped review whole, without the "Read more" label', () => {
    expect(textOf(found, 'r09')).toMatch(/^I went in with low expectations.*biggest screen you can find\.$/s);
  });

  it('does not find the AI review summary, which looks like a review card', () => {
    const summary = one(doc, '[data-testid="tturv-review-summary"]');
    expect(found.some((review) => review.element.contains(summary) || summary.contains(review.element))).toBe(false);
    expect(found.some((review) => review.text.includes('Reviewers say'))).toBe(false);
  });

  it('finds only the new reviews in a subtree added later ("25 more")', () => {
    const page = loadFixture('imdb-reviews-25.html');
    const before = imdb.find(page);
    const list = one(page, '[data-testid="tturv-review-list"]');
    const chunk = page.createElement('div');
    chunk.append(laterReviews(page));
    list.append(chunk);

    expect(ids(imdb.find(chunk))).toEqual(['later-26', 'later-27']);
    const single = one(chunk, '[data-test-review="later-27"]');
    expect(ids(imdb.find(single))).toEqual(['later-27']);
    expect(imdb.find(page)).toHaveLength(before.length + 2);
  });
});

/** The reviews in the fixture's <template>, as nodes of `doc`. */
function laterReviews(doc: Document): DocumentFragment {
  const template = one(doc, 'template#later-reviews') as HTMLTemplateElement;
  return doc.importNode(template.content, true);
}

describe('IMDb title page, featured reviews, written by hand (imdb-title.html)', () => {
  const doc = loadFixture('imdb-title.html');
  const found = imdb.find(doc);

  it('finds the two featured review cards and nothing else', () => {
    expect(ids(found)).toEqual(['title-1', 'title-2']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it('does not find the plot, the storyline or the FAQ, though they use the same text markup', () => {
    for (const selector of ['[data-testid="plot"]', '[data-testid="Storyline"]', '[data-testid="FAQ"]']) {
      const lookalike = one(doc, selector);
      expect(found.some((review) => lookalike.contains(review.element) || review.element.contains(lookalike))).toBe(
        false,
      );
    }
    expect(found.some((review) => /Skerry Rock|original screenplay|estranged/.test(review.text))).toBe(false);
  });

  it('reads the featured review and the spoiler review as text only', () => {
    expect(textOf(found, 'title-1')).toBe(
      "I didn't expect much from a film about a lighthouse, but this is a quietly magnificent piece of work. Elena Marsh is extraordinary as the daughter, and the final scene on the gallery deck is as moving as anything I have seen this decade.\n\n" +
        'Beautifully shot, wonderfully acted, and it trusts its audience. A must-see.',
    );
    expect(textOf(found, 'title-2')).toBe(
      'The daughter dies in the storm, and the film never recovers from it. I admired the photography, but the last half hour is cruel and pointless.',
    );
    expect((window as unknown as Record<string, unknown>).__reelsensePwned).toBeUndefined();
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

describe('IMDb JSON-LD fallback, written by hand', () => {
  it('finds the featured review through the JSON-LD when the card markup is unknown', () => {
    // A redesign: the test ids and the ipc classes are gone, so no selector matches.
    const html = fixtureHtml('imdb-title.html')
      .replace(/data-testid="[^"]*"/g, '')
      .replace(/ipc-html-content-inner-div/g, 'rv-body');
    const doc = parse(html);
    const found = imdb.find(doc);
    expect(found).toHaveLength(1);
    const [review] = found;
    expect(review?.element.closest<HTMLElement>('[data-test-review]')?.dataset.testReview).toBe('title-1');
    expect(review?.element.classList.contains('rv-body')).toBe(true);
    expect(review?.text).toMatch(/^I didn't expect much from a film about a lighthouse.*A must-see\.$/s);
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
