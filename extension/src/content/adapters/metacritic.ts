/**
 * Metacritic critic and user reviews of movies: the movie page and its two reviews pages.
 * Test URLs: https://www.metacritic.com/movie/oppenheimer/
 *            https://www.metacritic.com/movie/oppenheimer/critic-reviews/
 *            https://www.metacritic.com/movie/oppenheimer/user-reviews/?sort-by=Recently%20Added
 */
import { METACRITIC } from './selectors.ts';
import { defineSiteAdapter } from './site.ts';

export const metacritic = defineSiteAdapter({
  id: 'metacritic',
  name: 'Metacritic',
  hosts: ['metacritic.com'],
  paths: [
    // The movie page: a few critic and user review cards.
    /^\/movie\/[^/]+\/?$/i,
    // All critic reviews, all user reviews.
    /^\/movie\/[^/]+\/(?:critic|user)-reviews\/?$/i,
  ],
  selectors: METACRITIC,
});
