/**
 * Saved pages for the adapter tests (tests/fixtures/sites/), parsed the way a content script
 * meets them but inert: DOMParser documents run no script and load nothing.
 * The pages invented for the generic adapter mark the elements it must find with
 * data-test-review="<id>"; the real saved pages carry no marks of ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FoundReview } from '../../../extension/src/content/adapters/types.ts';

/** A path, not a URL: under jsdom, URL is jsdom's, which node:fs does not take. */
export const SITES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/sites');

/** Every fixture's file name. */
export const FIXTURE_NAMES: readonly string[] = readdirSync(SITES_DIR)
  .filter((name) => name.endsWith('.html'))
  .sort();

/**
 * Pages invented for the generic adapter (blog.example, cinema.example): no site's markup, written by
 * hand as test data for the heuristics.
 */
export const INVENTED_PAGES: readonly string[] = [
  'blog-json-ld.html',
  'blog-microdata.html',
  'blog-plain.html',
  'no-reviews.html',
];

/**
 * Site pages written by hand, not yet replaced by real saved pages: kept only because tests outside the
 * adapter tests read them by name (the browser tests, the marker test, the extension bench). No adapter
 * test reads them (selectors.test.ts checks), and no selector counts as verified by them.
 */
export const HAND_WRITTEN_SITE_PAGES: readonly string[] = [
  'imdb-reviews-25.html',
  'imdb-title.html',
  'letterboxd-film.html',
  'rotten-tomatoes-legacy.html',
  'rotten-tomatoes-movie.html',
];

/** The fixtures adapter tests run on: the real saved pages and the pages invented for the generic adapter. */
export const ADAPTER_FIXTURE_NAMES: readonly string[] = FIXTURE_NAMES.filter(
  (name) => !HAND_WRITTEN_SITE_PAGES.includes(name),
);

export function fixtureHtml(name: string): string {
  return readFileSync(join(SITES_DIR, name), 'utf8');
}

export function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

export function loadFixture(name: string): Document {
  return parse(fixtureHtml(name));
}

/** The test ids of what was found, in order (undefined for an element the fixture did not mark). */
export function ids(found: readonly FoundReview[]): (string | undefined)[] {
  return found.map((review) => review.element.dataset.testReview);
}

/** The test ids the fixture marks, in document order. */
export function markedIds(root: ParentNode): (string | undefined)[] {
  return [...root.querySelectorAll<HTMLElement>('[data-test-review]')].map((element) => element.dataset.testReview);
}

/** The text found for the review marked `id`. */
export function textOf(found: readonly FoundReview[], id: string): string {
  const review = found.find((item) => item.element.dataset.testReview === id);
  if (review === undefined) throw new Error(`no review ${id} was found`);
  return review.text;
}

/** The one element matching `selector` (the test fails loudly if there is none). */
export function one(root: ParentNode, selector: string): HTMLElement {
  const element = root.querySelector<HTMLElement>(selector);
  if (element === null) throw new Error(`fixture has no ${selector}`);
  return element;
}

/** An element made from HTML in `doc`, not yet attached (what a page's "load more" appends). */
export function fragment(doc: Document, html: string): HTMLElement {
  const holder = doc.createElement('div');
  // Test-owned markup in an inert document: the adapters themselves never parse HTML.
  const parsed = parse(`<body>${html}</body>`);
  holder.append(...[...parsed.body.childNodes].map((node) => doc.importNode(node, true)));
  return holder;
}
