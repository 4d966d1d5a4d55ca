// @vitest-environment jsdom
/**
 * Every selector in selectors.ts is exercised by a real saved page of its site: a fallback that
 * matches nothing in the real pages is either dead or untested. When a site changes, add a real
 * saved page of the new markup and a selector for it; this test then shows which old ones are still
 * used. Fixtures written by hand (NOT_YET_REAL below) do not count: a selector with no real page is in
 * WITHOUT_SAVED_PAGE, and must match none of the real ones. And no adapter test reads a site page
 * written by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  SITE_SELECTORS,
  WITHOUT_SAVED_PAGE,
  type SiteSelectors,
} from '../../../extension/src/content/adapters/selectors.ts';
import { adapterFor, siteAdapters } from '../../../extension/src/content/adapters/index.ts';
import { FIXTURE_NAMES, HAND_WRITTEN_SITE_PAGES, INVENTED_PAGES, fixtureHtml, loadFixture } from './fixtures.ts';

const PREFIX: Readonly<Record<keyof typeof SITE_SELECTORS, string>> = {
  imdb: 'imdb-',
  rottentomatoes: 'rotten-tomatoes-',
  letterboxd: 'letterboxd-',
  metacritic: 'metacritic-',
};

/**
 * Fixtures that are not real saved pages: the pages invented for the generic adapter, and site pages
 * written by hand that the browser tests, the marker test and the extension bench still read
 * (fixtures.ts). Each must say so in its leading comment; every other fixture is a real page and names
 * its source URL and capture date (YYYY-MM-DD). Only real pages verify selectors, and no adapter test
 * reads a site page written by hand.
 */
const NOT_YET_REAL: readonly string[] = [...INVENTED_PAGES, ...HAND_WRITTEN_SITE_PAGES];

const sites = Object.entries(SITE_SELECTORS) as [keyof typeof SITE_SELECTORS, SiteSelectors][];

function documentsOf(site: keyof typeof SITE_SELECTORS): Document[] {
  return FIXTURE_NAMES.filter((name) => name.startsWith(PREFIX[site]) && !NOT_YET_REAL.includes(name)).map(loadFixture);
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

  const verified = cases.filter(([, , selector]) => !WITHOUT_SAVED_PAGE.has(selector));
  const unverified = cases.filter(([, , selector]) => WITHOUT_SAVED_PAGE.has(selector));

  it.each(unverified)(
    '%s %s selector %s, kept without a real saved page, matches no real saved page',
    (site, _kind, selector) => {
      expect(documentsOf(site).every((doc) => doc.querySelector(selector) === null)).toBe(true);
    },
  );

  it.each(verified)('%s %s selector %s matches in a real saved page of its site', (site, kind, selector) => {
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
  )('%s text attribute %s is on a real saved page of its site', (site, attribute) => {
    expect(documentsOf(site).some((doc) => doc.querySelector(`[${attribute}]`) !== null)).toBe(true);
  });
});

function leadingComment(name: string): string | undefined {
  return /^\s*(?:<!doctype html>\s*)?<!--([\s\S]*?)-->/i.exec(fixtureHtml(name))?.[1];
}

describe('tests/fixtures/sites', () => {
  it.each(FIXTURE_NAMES.filter((name) => !NOT_YET_REAL.includes(name)))(
    '%s starts with a comment giving its source URL and capture date',
    (name) => {
      const comment = leadingComment(name);
      expect(comment, 'no leading comment').toBeDefined();
      expect(comment).toMatch(/Source URL: https?:\/\/\S+/);
      expect(comment).toMatch(/Captured: (?:19|20)\d\d-\d\d-\d\d\b/);
    },
  );

  it.each(NOT_YET_REAL.filter((name) => FIXTURE_NAMES.includes(name)))(
    '%s, not yet a real saved page, says it was written by hand',
    (name) => {
      expect(leadingComment(name)).toMatch(/written\s+by\s+hand/i);
    },
  );
});

describe('adapter tests', () => {
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(dir).filter((name) => name.endsWith('.test.ts') && name !== 'selectors.test.ts');

  it.each(files)('%s reads no site page written by hand', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    // A page is read by its name in a string; comments may name one.
    for (const name of HAND_WRITTEN_SITE_PAGES) {
      for (const quote of ["'", '"', '`']) expect(source).not.toContain(`${quote}${name}${quote}`);
    }
  });
});
