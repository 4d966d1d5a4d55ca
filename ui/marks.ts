/**
 * The data attributes that carry a result on an element (DESIGN.md, "Extension"): on each marked
 * review, and on every verdict the kit renders, so tests, user styles and assistive tools read the
 * result the same way from the website, the popup and a review page.
 */
export const LABEL_ATTRIBUTE = 'data-reelsense-label';
export const SCORE_ATTRIBUTE = 'data-reelsense-score';
