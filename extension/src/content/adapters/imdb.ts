/**
 * IMDb user reviews: the reviews page of a title and the featured reviews on the title page.
 * Test URLs: https://www.imdb.com/title/tt0111161/reviews/?ref_=tt_urv_sm
 *            https://www.imdb.com/title/tt0111161/
 *            https://m.imdb.com/title/tt0111161/reviews
 */
import { IMDB } from './selectors.ts';
import { defineSiteAdapter } from './site.ts';

/** IMDb serves the same pages under a language prefix: /fr/title/…, /es-es/title/…. */
const LANGUAGE = String.raw`(?:/[a-z]{2}(?:-[a-z]{2})?)?`;

export const imdb = defineSiteAdapter({
  id: 'imdb',
  name: 'IMDb',
  hosts: ['imdb.com'],
  paths: [
    // The reviews page (sorting and spoiler filters are in the query).
    new RegExp(String.raw`^${LANGUAGE}/title/tt\d+/reviews/?$`, 'i'),
    // The title page: featured user reviews.
    new RegExp(String.raw`^${LANGUAGE}/title/tt\d+/?$`, 'i'),
    // A single review's permalink.
    new RegExp(String.raw`^${LANGUAGE}/review/rw\d+/?$`, 'i'),
  ],
  selectors: IMDB,
});
