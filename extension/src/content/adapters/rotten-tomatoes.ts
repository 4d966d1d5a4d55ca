/**
 * Rotten Tomatoes critic and audience reviews: a movie's page and its reviews pages.
 * Test URLs: https://www.rottentomatoes.com/m/the_shawshank_redemption
 *            https://www.rottentomatoes.com/m/the_shawshank_redemption/reviews?type=top_critics
 *            https://www.rottentomatoes.com/m/the_shawshank_redemption/reviews/all-audiences
 */
import { ROTTEN_TOMATOES } from './selectors.ts';
import { defineSiteAdapter } from './site.ts';

export const rottenTomatoes = defineSiteAdapter({
  id: 'rottentomatoes',
  name: 'Rotten Tomatoes',
  hosts: ['rottentomatoes.com'],
  paths: [
    // The movie page: top critic cards and audience cards.
    /^\/m\/[^/]+\/?$/i,
    // Reviews pages: ?type=user / ?type=top_critics, or /reviews/all-audiences and the like.
    /^\/m\/[^/]+\/reviews(?:\/[a-z-]+)?\/?$/i,
  ],
  selectors: ROTTEN_TOMATOES,
});
