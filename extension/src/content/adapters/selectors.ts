/**
 * Every selector the adapters use, in one place. These sites change their markup often, so each
 * list is ordered newest markup first, and each entry names the markup generation it came from.
 * Each entry is exercised by a real saved page in tests/fixtures/sites/ (tests/extension/adapters/
 * selectors.test.ts fails when one matches nothing there), or is listed in WITHOUT_SAVED_PAGE; when a
 * site changes, add the new markup at the top and a real saved page of it, and keep the old entry
 * until it is gone for good.
 *
 * Sources: the sites' own pages as public scrapers from 2023 to 2026 describe them.
 */

/** Where a site's reviews are. */
export interface SiteSelectors {
  /**
   * A review's container: the element the badge goes on. All entries are tried (a page can carry
   * two generations at once, and one page can list two kinds, for example critic and audience
   * cards); a match inside another match is the same review, and a match that holds two or more
   * others is a list, not a review.
   */
  readonly review: readonly string[];
  /**
   * The review's text inside its container (the container itself may be it). The first entry
   * that yields text wins.
   */
  readonly text: readonly string[];
  /** Attributes of the container that hold the text when no text element does. */
  readonly textAttributes?: readonly string[];
  /** Labels a site writes into the text element itself; removed from the text. */
  readonly labels?: readonly RegExp[];
}

// IMDb: real saved pages of the 2021 and 2023 title pages (imdb-title-2021.html, captured
// 2021-05-28; imdb-title-2023.html, 2023-05-26) and of the legacy reviews page (imdb-reviews-2023.html,
// 2023-06-20). No real page of the 2024– reviews page was found, so its selectors are unverified
// (WITHOUT_SAVED_PAGE below). imdb-reviews-25.html and imdb-title.html, written by hand, stay for the
// browser tests, the marker test and the extension bench; no adapter test reads them.
export const IMDB = {
  review: [
    // 2024– redesign of /title/tt…/reviews ("ipc" design system): one <article> per review,
    // holding the card below. No real saved page was found: unverified.
    'article.user-review-item',
    // The card inside the article above, as scrapers of the 2024– reviews page describe it; they say
    // later title pages use it for the featured reviews too. No real saved page has it: the real title
    // page of May 2023 (imdb-title-2023.html) has no such hook (see review-overflow below). Unverified.
    '[data-testid="review-card-parent"]',
    // 2017–2024 legacy "lister" reviews page: div.lister-item.imdb-user-review > div.review-container,
    // for every review, spoilers included. Saved page: imdb-reviews-2023.html (captured 2023-06-20).
    'div.review-container',
    // 2021 and 2023 title pages: the featured review's card (div.ipc-list-card, in 2023
    // div.ipc-list-card--border-speech) has no hook of its own, so its text box is the container.
    // Should the box be inside one of the containers above, that one wins (a match inside another is
    // the same review). Saved pages: imdb-title-2021.html, imdb-title-2023.html.
    '[data-testid="review-overflow"]',
  ],
  text: [
    // 2023– the HTML body inside the clamped "overflow" box. Saved page: imdb-title-2023.html.
    '[data-testid="review-overflow"] .ipc-html-content-inner-div',
    // A card's HTML body without the overflow box (2024– cards, as scrapers describe them). On
    // imdb-title-2023.html it matches the review's body, which the entry above reads first, and the
    // "Did you know" texts outside any review; a card without the box has no saved page.
    '.ipc-html-content-inner-div',
    // 2021 and 2024– the overflow box itself: in 2021 its body was a plain <div> (no inner-div
    // class), and should the inner div be renamed again. Saved page: imdb-title-2021.html.
    '[data-testid="review-overflow"]',
    // 2017–2024 legacy: the whole text is in the DOM, CSS clamps it ("show-more"). Saved page:
    // imdb-reviews-2023.html.
    'div.text.show-more__control',
  ],
} as const satisfies SiteSelectors;

export const ROTTEN_TOMATOES = {
  review: [
    // 2024– movie page (/m/…): critic cards, web components with light-DOM slots. No real saved
    // page was found (rotten-tomatoes-movie.html, written by hand, is for the browser tests only):
    // unverified, as is the audience card below and their text selectors (WITHOUT_SAVED_PAGE below).
    'media-review-card-critic',
    // 2024– movie page: audience cards.
    'media-review-card-audience',
    // 2022– reviews pages (/m/…/reviews, critics and audience): one row per review. Saved page:
    // rotten-tomatoes-audience-reviews.html (captured 2023-06-20), where it is the audience row
    // below; no real page of the critics' rows was found.
    '[data-qa="review-item"]',
    // 2019–2023 audience reviews page (/m/…/reviews?type=user): one row per review. Same saved page.
    'div.audience-review-row',
    // 2022–2024 movie page: critic quotes in a web component that renders the quote from its
    // reviewquote attribute. Saved page: rotten-tomatoes-movie-balloons.html (captured 2024-04-20).
    'review-speech-balloon-deprecated',
    // 2022–2024 movie page: audience reviews, li.review-bubble. Same saved page.
    '[data-qa="quote-bubble"]',
    // 2020–2022 movie page: the same web component under its first name. No real saved page was
    // found (rotten-tomatoes-legacy.html, written by hand, is for the browser tests only): kept
    // unverified (WITHOUT_SAVED_PAGE below).
    'review-speech-balloon',
  ],
  text: [
    // 2024– cards: <drawer-more><rt-text slot="content" data-qa="review-text">.
    'rt-text[data-qa="review-text"]',
    // 2022– audience rows and 2024 audience cards (a <p> or an <rt-text>). Saved page (the rows'
    // <p>, in a <drawer-more> beside its "Show More" button): rotten-tomatoes-audience-reviews.html.
    '[data-qa="review-text"]',
    // 2022–2024 critic rows: div.review-text-container > p.review-text. Unverified (no real saved
    // page), as is the rt-text entry above.
    'p.review-text',
    // 2019–2023 audience rows: p.audience-reviews__review.js-review-text (the entry above reads the
    // same <p> first on the saved page, which has its data-qa; older rows had none).
    // Saved page: rotten-tomatoes-audience-reviews.html.
    'p.audience-reviews__review',
    // 2022–2024 audience bubbles: <drawer-more><p class="review" slot="content">, beside the
    // "Show Less" / "Show More" buttons.
    '[data-qa="quote-bubble-review"] p.review',
  ],
  // 2020–2024 <review-speech-balloon(-deprecated) reviewquote="…">: the quote is rendered from the
  // attribute; the light DOM holds only the critic's name, the publication and a link.
  textAttributes: ['reviewquote'],
} as const satisfies SiteSelectors;

export const LETTERBOXD = {
  review: [
    // 2024– film page ("Popular reviews") and /film/…/reviews/: article.production-viewing. Saved
    // page: letterboxd-film-popular-reviews.html (captured 2026-01-08).
    'article.production-viewing',
    // 2016–2023 lists: ul.film-popular-review / ul.film-list > li.film-detail. No real saved page
    // was found, so no fixture: kept unverified (WITHOUT_SAVED_PAGE below).
    'li.film-detail',
    // A single review page (/user/film/…/): section.review.js-review hosts the one review. No real
    // saved page was found either: unverified.
    'section.js-review',
  ],
  text: [
    // All generations since 2019: the body Letterboxd translates and expands (js- hook). Same
    // saved page.
    'div.js-review-body',
    // Older lists: div.film-detail-content > div.body-text.-prose.collapsible-text.
    'div.body-text',
  ],
} as const satisfies SiteSelectors;

export const METACRITIC = {
  review: [
    // 2025– review cards on /movie/… pages and the critic-reviews and user-reviews pages: styled
    // with utility classes only, so the site's test hook is the one stable name. Saved pages:
    // metacritic-critic-reviews.html, metacritic-user-reviews.html (captured 2026-09-07).
    '[data-testid="review-card"]',
    // 2023–2025 redesign: div.c-siteReview. No real saved page of this generation was found, so
    // no fixture: kept unverified (WITHOUT_SAVED_PAGE below).
    '.c-siteReview',
    // Before 2023, user reviews pages: one div.review row per review (100 a page). No real saved
    // page was found, so no fixture: kept unverified (WITHOUT_SAVED_PAGE below).
    'div.review',
    // Before 2023, critic and user lists: li.review.critic_review, li.review.user_review. No real
    // saved page was found either: unverified.
    'li.review',
  ],
  text: [
    // 2025– the quote inside the card (the score is in .c-siteReviewScore's aria-label, not text).
    '[data-testid="review-quote-text"]',
    // 2023–2025: div.c-siteReview_quote > span. Unverified (no real saved page).
    '.c-siteReview_quote',
    // Before 2023: div.review_body; a long user review holds a collapsed and an expanded blurb
    // (span.blurb_collapsed, span.blurb_expanded: see COLLAPSED_TEXT), read once. Unverified.
    'div.review_body',
  ],
  // 2023–2025 the quote of a review marked as a spoiler was only this label (the text opened in a
  // modal); such a review has no text and is not found.
  labels: [/\[SPOILER ALERT: This review contains spoilers\.\]/gi],
} as const satisfies SiteSelectors;

/**
 * Selectors kept for a markup generation of which no real saved page could be found (fixtures
 * are real pages only, never markup written to match the selectors). selectors.test.ts checks
 * that they match nothing in the real saved pages (fixtures still written by hand do not count); when a
 * real page of theirs is saved, add it and take them out of this list.
 */
export const WITHOUT_SAVED_PAGE: ReadonlySet<string> = new Set([
  // IMDb: the 2024– reviews page.
  'article.user-review-item',
  '[data-testid="review-card-parent"]',
  // Rotten Tomatoes: the 2024 cards, the critics' rows of the reviews pages, the 2020–2022 balloon.
  'media-review-card-critic',
  'media-review-card-audience',
  'review-speech-balloon',
  'rt-text[data-qa="review-text"]',
  'p.review-text',
  // Letterboxd: the 2016–2023 lists and the single review page.
  'li.film-detail',
  'section.js-review',
  // Metacritic: the 2023–2025 and pre-2023 generations.
  '.c-siteReview',
  '.c-siteReview_quote',
  'div.review',
  'li.review',
  'div.review_body',
]);

/** The sites above, by adapter id. */
export const SITE_SELECTORS = {
  imdb: IMDB,
  rottentomatoes: ROTTEN_TOMATOES,
  letterboxd: LETTERBOXD,
  metacritic: METACRITIC,
} as const satisfies Record<string, SiteSelectors>;

// ---- Text extraction (text.ts) ------------------------------------------------------------

/**
 * Controls inside review text whose own labels are not the review: "read more", "show more",
 * "see more", spoiler reveals, helpful votes. Links and spans labelled only "read more" and the
 * like are dropped too, whatever their class (text.ts).
 */
export const CONTROLS = [
  'button',
  '[role="button"]',
  'label',
  // IMDb 2024– expander of the clamped box; legacy .ipl-expander and its icon wrapper.
  '[data-testid*="expander"]',
  '.ipl-expander',
  '.expander-icon-wrapper',
  // Blogs (WordPress "more" link) and generic read-more links.
  'a.more-link',
  '.read-more',
  // Letterboxd: "more" link of a truncated review and the spoiler placeholder's reveal.
  '.js-reveal',
  // Letterboxd: "This review may contain spoilers. I can handle the truth." placeholder.
  '.contains-spoilers',
  // IMDb legacy "Warning: Spoilers" label.
  '.spoiler-warning',
  // Rotten Tomatoes 2024– <drawer-more>'s "See more" / "See less" links.
  '[slot="ctaOpen"]',
  '[slot="ctaClose"]',
  // Metacritic –2023 "Expand" toggle.
  '.toggle_expand_collapse',
  // ReelSense's own badge and popover (extension/src/content/badge.ts, popover.ts), when inside a review.
  '[data-reelsense-badge]',
  '[data-reelsense-popover]',
].join(', ');

/**
 * A truncated copy of a text whose full version is a sibling, hidden until "read more" or
 * "expand": the collapsed copy is skipped when an expanded sibling is there, so the full text is
 * read once. Metacritic –2023 user reviews: span.blurb_collapsed + span.blurb_expanded;
 * Letterboxd: div.collapsed-text + div.expanded-text (the hidden full text of spoiler reviews is
 * div.hidden-spoilers.expanded-text). Letterboxd's long reviews otherwise hold only the start of
 * the text, with the rest fetched from data-full-text-url when "more" is clicked: that rest is
 * not on the page, and the adapter reads what is.
 */
export const COLLAPSED_TEXT = '.blurb_collapsed, .collapsed-text';
export const EXPANDED_TEXT = '.blurb_expanded, .expanded-text';

// ---- Any page (generic.ts, json-ld.ts) ------------------------------------------------------

/** schema.org data in JSON-LD. */
export const JSON_LD = 'script[type="application/ld+json"]';

/** schema.org items in microdata; generic.ts keeps those whose type is a review (below). */
export const MICRODATA_ITEM = '[itemscope][itemtype]';

/** A Review item's type (http or https, and the Review subtypes for works), one word of itemtype. */
export const MICRODATA_REVIEW_TYPE = /^https?:\/\/schema\.org\/(?:Review|CriticReview|UserReview)$/;

/** A microdata review's text, in order of preference (a <meta> carries it in `content`). */
export const MICRODATA_BODY = ['[itemprop~="reviewBody"]', '[itemprop~="description"]'];

/**
 * Blog posts and comments: <article>s, and blocks whose class or id has a word saying review or
 * comment ("user-review", "reviewBody", "comment-content", "c-siteReview"; not "preview").
 * Matched in script rather than by selector: a case-insensitive substring selector is slow on
 * big pages in some engines and cannot tell "preview" from "review".
 */
export const BLOG_BLOCK_TAGS = ['article', 'section', 'div', 'li', 'p', 'blockquote', 'main'];
export const BLOG_CLASS_WORDS = [/(?:^|[-_])(?:review|comment)/i, /[a-z0-9](?:Review|Comment)/];

/** Page furniture: no review is inside these, and a review's text leaves them out. */
export const NOT_CONTENT = {
  tags: ['nav', 'header', 'footer', 'aside', 'form', 'dialog'],
  roles: ['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog'],
} as const;

/** Not counted as a blog block's own text: headings and bylines. */
export const NOT_OWN_TEXT = {
  tags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'time', 'figcaption'],
  classWord: /byline|meta/i,
} as const;

/**
 * Hooks that say "a review is here" on any of the sites, whatever the generation: the stable
 * test and QA attributes (Metacritic's `review-card`, Rotten Tomatoes' `data-qa="review-item"`,
 * IMDb's `review-card-parent`). Only used to tell "no reviews" from "reviews we cannot read"
 * (review-like.ts), never to mark anything.
 */
export const REVIEW_LIKE = '[data-testid*="review" i], [data-qa*="review" i]';
