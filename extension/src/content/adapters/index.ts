/**
 * The site adapters, one file per site, and the lookup the content script starts with. The
 * generic adapter is not in the list: it runs only on request, on any page.
 */
import { imdb } from './imdb.ts';
import { letterboxd } from './letterboxd.ts';
import { metacritic } from './metacritic.ts';
import { rottenTomatoes } from './rotten-tomatoes.ts';
import type { SiteAdapter } from './types.ts';

export type { FoundReview, SiteAdapter } from './types.ts';
export { genericAdapter } from './generic.ts';
export { imdb, letterboxd, metacritic, rottenTomatoes };

/** Every site adapter; ids are unique and are the keys of the per-site switches. */
export const siteAdapters: readonly SiteAdapter[] = [imdb, rottenTomatoes, letterboxd, metacritic];

/** The site adapter for a page, if its site and path are supported (a string that is not a URL has none). */
export function adapterFor(url: URL | string): SiteAdapter | undefined {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return undefined;
  }
  return siteAdapters.find((adapter) => adapter.matches(parsed));
}
