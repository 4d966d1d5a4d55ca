/**
 * Letterboxd reviews: a film's popular reviews, its reviews lists, a member's reviews and a
 * single review page.
 * Test URLs: https://letterboxd.com/film/parasite-2019/
 *            https://letterboxd.com/film/parasite-2019/reviews/by/activity/
 *            https://letterboxd.com/someone/film/parasite-2019/
 */
import { LETTERBOXD } from './selectors.ts';
import { defineSiteAdapter } from './site.ts';

export const letterboxd = defineSiteAdapter({
  id: 'letterboxd',
  name: 'Letterboxd',
  hosts: ['letterboxd.com'],
  paths: [
    // A film's page ("Popular reviews").
    /^\/film\/[^/]+\/?$/i,
    // A film's reviews, everyone's or a member's friends' (/…/film/…/reviews/by/activity/page/2/).
    /^(?:\/[^/]+)*\/film\/[^/]+\/reviews(?:\/.*)?$/i,
    // A single review (/member/film/slug/, or /member/film/slug/2/ for a second viewing).
    /^\/[^/]+\/film\/[^/]+(?:\/\d+)?\/?$/i,
    // A member's reviews (/member/films/reviews/, with sorting and pages).
    /^\/[^/]+\/films\/reviews(?:\/.*)?$/i,
  ],
  selectors: LETTERBOXD,
});
