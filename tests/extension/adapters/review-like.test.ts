// @vitest-environment jsdom
/**
 * "Layout not recognised": review-like blocks on a page where the site adapter finds nothing.
 * The redesigned page is a real saved Metacritic page whose card hook is renamed, as a redesign
 * would; the marker then reports it to the popup, and marks nothing.
 */
import { describe, expect, it } from 'vitest';
import { metacritic } from '../../../extension/src/content/adapters/metacritic.ts';
import { hasReviewLikeBlocks } from '../../../extension/src/content/adapters/review-like.ts';
import { PageMarker } from '../../../extension/src/content/marker.ts';
import { fixtureHtml, loadFixture, parse } from './fixtures.ts';

/** The real page with its review card hook renamed: the adapter's selectors no longer match. */
function redesigned(): Document {
  return parse(fixtureHtml('metacritic-critic-reviews.html').replaceAll('"review-card"', '"critic-review-tile"'));
}

const neverCalled = (): Promise<never> => Promise.reject(new Error('nothing should be scored'));

describe('hasReviewLikeBlocks', () => {
  it('sees the review hooks of a redesign the adapter does not read', () => {
    const doc = redesigned();
    expect(metacritic.find(doc)).toEqual([]);
    expect(hasReviewLikeBlocks(doc)).toBe(true);
  });

  it('sees schema.org Review JSON-LD', () => {
    expect(hasReviewLikeBlocks(loadFixture('blog-json-ld.html'))).toBe(true);
  });

  it('is false on a page without reviews', () => {
    expect(hasReviewLikeBlocks(loadFixture('no-reviews.html'))).toBe(false);
  });

  it('does not take a short hooked element (a header, a count) for a review', () => {
    const doc = parse(
      '<section><h2 data-testid="reviews-header">User reviews</h2><a data-qa="review-count">1.2K reviews</a></section>',
    );
    expect(hasReviewLikeBlocks(doc)).toBe(false);
  });
});

describe('PageMarker summary', () => {
  it('says the layout is not recognised when the adapter finds nothing on a page of review blocks', async () => {
    const doc = redesigned();
    const marker = new PageMarker(doc, metacritic, neverCalled, { startedAt: 0 });
    await marker.start();
    expect(marker.summary()).toMatchObject({ siteId: 'metacritic', found: 0, layoutUnrecognised: true });
    expect(doc.querySelectorAll('[data-reelsense-badge]')).toHaveLength(0);
    marker.stop();
  });

  it('does not say so once the reviews are read', async () => {
    const doc = loadFixture('metacritic-critic-reviews.html');
    const classify = (texts: readonly string[]) =>
      Promise.resolve({
        results: texts.map(() => ({ label: 'positive' as const, score: 0.9, readable: 1 })),
        model: 'test',
        scorer: 'on-device' as const,
      });
    const marker = new PageMarker(doc, metacritic, classify, { startedAt: 0 });
    await marker.start();
    expect(marker.summary()).toMatchObject({ found: 5, layoutUnrecognised: false });
    marker.stop();
  });
});
