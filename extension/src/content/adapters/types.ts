/**
 * What a site adapter gives the content script: the reviews on a page, each as the element the
 * badge goes beside (and that carries data-reelsense-label / data-reelsense-score) and its text.
 * Adapters only read the page; they never change it.
 */
import type { TextOrigin } from './traced.ts';

export interface FoundReview {
  /** The review's container on the page: the badge is placed in or beside it, the data attributes go on it. */
  readonly element: HTMLElement;
  /** The review's text as a reader sees it (spoiler text included, "read more" joined, quotes kept). */
  readonly text: string;
  /**
   * Where each character of `text` is on the page (traced.ts), when it was read from the page's
   * text nodes; absent when it was not (a JSON-LD body shown only in part).
   */
  readonly origin?: TextOrigin;
}

export interface SiteAdapter {
  /** Stable id, also the key of the per-site switch: 'imdb', 'rottentomatoes', 'letterboxd', 'metacritic', 'generic'. */
  readonly id: string;
  /** Shown to people: 'IMDb', 'Rotten Tomatoes', ... */
  readonly name: string;
  /** Whether this adapter handles pages at this URL (the generic adapter handles any page, on request). */
  matches(url: URL): boolean;
  /**
   * The reviews under `root` (a document or an element that was added later), in document
   * order, each element once; an element inside another found review is not a review.
   */
  find(root: ParentNode): FoundReview[];
}
