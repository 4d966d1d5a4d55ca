/**
 * Whether a page the site adapter found no review on still shows review-like blocks: the
 * schema.org Review JSON-LD, or an element whose test or QA hook names a review and holds
 * enough text to be one. That is the sign of a redesign the selectors do not know yet, and the
 * popup says so ("layout not recognised") instead of "no reviews". Nothing on the page changes.
 */
import { queryAll } from './dom.ts';
import { jsonLdReviewBodies } from './json-ld.ts';
import { REVIEW_LIKE } from './selectors.ts';

/** Fewer characters than this, a hooked element is a header, a count or a button, not a review. */
const MIN_REVIEW_CHARS = 80;

export function hasReviewLikeBlocks(doc: Document): boolean {
  if (jsonLdReviewBodies(doc).length > 0) return true;
  return queryAll(doc, REVIEW_LIKE).some((element) => visibleChars(element) >= MIN_REVIEW_CHARS);
}

/** Letters and digits of the element's text (markup and white space do not count). */
function visibleChars(element: Element): number {
  return element.textContent.replace(/[^\p{L}\p{N}]/gu, '').length;
}
