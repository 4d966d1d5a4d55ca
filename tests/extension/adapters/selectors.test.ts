// @vitest-environment jsdom
/**
 * Every selector in selectors.ts is exercised by a saved page of its site: a fallback that
 * matches nothing in the fixtures is either dead or untested. When a site changes, add a fixture
 * for the new markup and a selector for it; this test then shows which old ones are still used.
 */
import { describe, expect, it } from 'vitest';
import { SITE_SELECTORS, type SiteSelectors } from '../../../extension/src/content/adapters/selectors.ts';
import { adapterFor, siteAdapters } from '../../../extension/src/content/adapters/index.ts';
import { FIXTURE_NAMES, loadFixture } from './fixtures.ts';

const PREFIX: Readonly<Record<keyof typeof SITE_SELECTORS, string>> = {
  imdb: 'imdb-',
  rottentomatoes: 'rotten-tomatoes-',
  letterboxd: 'letterboxd-',
  metacritic: 'metacritic-',
};

const sites = Object.entries(SITE_SELECTORS) as [keyof typeof SITE_SELECTORS, SiteSelectors][];

function documentsOf(site: keyof typeof SITE_SELECTORS): Document[] {
  return FIXTURE_NAMES.filter((name) => name.startsWith(PREFIX[site])).map(loadFixture);
}

describe('selectors.ts', () => {
  it('has selectors for every site adapter and no other', () => {
    expect(sites.map(([site]) => site).sort()).toEqual(siteAdapters.map((adapter) => adapter.id).sort());
    expect(adapterFor('https://www.imdb.com/title/tt0111161/')?.id).toBe('imdb');
  });

  const cases = sites.flatMap(([site, selectors]) => [
    ...selectors.review.map((selector) => [site, 'review', selector] as const),
    ...selectors.text.map((selector) => [site, 'text', selector] as const),
  ]);

  it.each(cases)('%s %s selector %s matches in a saved page of its site', (site, kind, selector) => {
    const docs = documentsOf(site);
    const matches = docs.reduce((count, doc) => count + doc.querySelectorAll(selector).length, 0);
    expect(matches).toBeGreaterThan(0);
    if (kind === 'review') {
      // And some review the adapter finds is that very element: the fallback is used, not shadowed.
      const adapter = siteAdapters.find((candidate) => candidate.id === site);
      const found = docs.flatMap((doc) => adapter?.find(doc) ?? []);
      expect(found.some((review) => review.element.matches(selector))).toBe(true);
    }
  });

  it.each(
    sites.flatMap(([site, selectors]) =>
      (selectors.textAttributes ?? []).map((attribute) => [site, attribute] as const),
    ),
  )('%s text attribute %s is on a saved page of its site', (site, attribute) => {
    expect(documentsOf(site).some((doc) => doc.querySelector(`[${attribute}]`) !== null)).toBe(true);
  });
});
