// @vitest-environment jsdom
/**
 * The adapter registry (extension/src/content/adapters/index.ts): which adapter a page gets, and the
 * promises every adapter keeps on every saved page.
 */
import { describe, expect, it } from 'vitest';
import { adapterFor, genericAdapter, siteAdapters } from '../../../extension/src/content/adapters/index.ts';
import { SITE_SELECTORS } from '../../../extension/src/content/adapters/selectors.ts';
import { findBySelectors } from '../../../extension/src/content/adapters/site.ts';
import { ADAPTER_FIXTURE_NAMES, loadFixture } from './fixtures.ts';

/** The fixtures of each site, by the prefix of their file names. */
const FIXTURE_PREFIX: Readonly<Record<string, string>> = {
  imdb: 'imdb-',
  rottentomatoes: 'rotten-tomatoes-',
  letterboxd: 'letterboxd-',
  metacritic: 'metacritic-',
};

describe('adapterFor', () => {
  it.each([
    ['https://www.imdb.com/title/tt0111161/reviews/', 'imdb'],
    ['https://m.imdb.com/title/tt0111161/', 'imdb'],
    ['https://www.rottentomatoes.com/m/dune_part_two/reviews?type=user', 'rottentomatoes'],
    ['https://letterboxd.com/film/parasite-2019/reviews/', 'letterboxd'],
    ['https://www.metacritic.com/movie/oppenheimer/user-reviews/', 'metacritic'],
  ])('gives %s the %s adapter', (url, id) => {
    expect(adapterFor(url)?.id).toBe(id);
    expect(adapterFor(new URL(url))?.id).toBe(id);
  });

  it.each([
    'https://blog.example/2024/03/the-lighthouse-keeper-review/',
    'https://www.imdb.com/chart/top/',
    'https://www.metacritic.com/game/elden-ring/',
    'chrome://extensions/',
    'not a url',
    '',
  ])('gives %j no site adapter (the generic one is only on request)', (url) => {
    expect(adapterFor(url)).toBeUndefined();
  });
});

describe('siteAdapters', () => {
  it('lists the four sites, with unique ids and names, and not the generic adapter', () => {
    expect(siteAdapters.map((adapter) => adapter.id)).toEqual(['imdb', 'rottentomatoes', 'letterboxd', 'metacritic']);
    expect(new Set(siteAdapters.map((adapter) => adapter.name)).size).toBe(siteAdapters.length);
    expect(siteAdapters).not.toContain(genericAdapter);
    expect(genericAdapter.id).toBe('generic');
  });

  // Real saved pages only (Letterboxd has one; the pages written by hand do not count).
  it.each(siteAdapters.map((adapter) => [adapter.id] as const))('%s has a real saved page', (id) => {
    const prefix = FIXTURE_PREFIX[id] ?? `${id}-`;
    expect(ADAPTER_FIXTURE_NAMES.filter((name) => name.startsWith(prefix)).length).toBeGreaterThanOrEqual(1);
  });

  it.each(ADAPTER_FIXTURE_NAMES)(
    'on %s, no adapter finds an element twice, inside another, or without text',
    (name) => {
      const doc = loadFixture(name);
      for (const adapter of [...siteAdapters, genericAdapter]) {
        const found = adapter.find(doc);
        expect(new Set(found.map((review) => review.element)).size).toBe(found.length);
        for (const review of found) {
          expect(review.text.trim()).not.toBe('');
          expect(found.some((other) => other !== review && other.element.contains(review.element))).toBe(false);
        }
      }
    },
  );

  it.each(ADAPTER_FIXTURE_NAMES.filter((name) => !name.startsWith('blog-')))(
    "on %s, only its own site's selectors find reviews (the others' JSON-LD fallback aside)",
    (name) => {
      const doc = loadFixture(name);
      for (const [id, selectors] of Object.entries(SITE_SELECTORS)) {
        const own = name.startsWith(FIXTURE_PREFIX[id] ?? '\0');
        expect(findBySelectors(doc, selectors).length > 0).toBe(own);
      }
    },
  );
});
