/**
 * Review-like blocks on any other page, when the user asks: schema.org reviews first (microdata,
 * then JSON-LD matched back to the element showing them), then a heuristic for blog posts and
 * comments. It never runs by itself on a page: the content script calls it on request.
 * Test URLs: a blog's review post; a blog post with reader comments.
 */
import { documentOf, inDocumentOrder, isHTMLElement, outermost, overlaps, queryAll } from './dom.ts';
import { findJsonLdReviews } from './json-ld.ts';
import {
  BLOG_BLOCK_TAGS,
  BLOG_CLASS_WORDS,
  MICRODATA_BODY,
  MICRODATA_ITEM,
  MICRODATA_REVIEW_TYPE,
  NOT_CONTENT,
  NOT_OWN_TEXT,
} from './selectors.ts';
import { capTraced, reviewText, tidyTraced, traceReviewText } from './text.ts';
import { added, joinWith, plain, TextSource, type TextOrigin } from './traced.ts';
import type { FoundReview, SiteAdapter } from './types.ts';

/** A blog block is a review when it holds at least this much text of its own. */
export const MIN_BLOG_REVIEW_CHARS = 200;

const BLOCKS = new Set<string>(BLOG_BLOCK_TAGS);
const FURNITURE_TAGS = new Set<string>(NOT_CONTENT.tags);
const FURNITURE_ROLES = new Set<string>(NOT_CONTENT.roles);
const NOT_OWN_TAGS = new Set<string>(NOT_OWN_TEXT.tags);

/** Navigation, a header or footer, a sidebar, a form or a dialog. */
function isFurniture(element: Element): boolean {
  return FURNITURE_TAGS.has(element.localName) || FURNITURE_ROLES.has(element.getAttribute('role') ?? '');
}

function inFurniture(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) if (isFurniture(node)) return true;
  return false;
}

/** A heading or a byline: not counted as a block's own text. */
function isHeadingOrByline(element: Element): boolean {
  return NOT_OWN_TAGS.has(element.localName) || NOT_OWN_TEXT.classWord.test(element.getAttribute('class') ?? '');
}

/** A class or id word that says review or comment: "user-review", "reviewBody", "c-siteReview"; not "preview". */
function saysReview(word: string): boolean {
  return BLOG_CLASS_WORDS.some((pattern) => pattern.test(word));
}

function isBlogCandidate(element: Element): element is HTMLElement {
  if (!isHTMLElement(element) || !BLOCKS.has(element.localName)) return false;
  if (element.localName !== 'article' && ![...element.classList, element.id].some(saysReview)) return false;
  return !inFurniture(element);
}

/** Microdata reviews: the element with the itemtype, its text in its own reviewBody. */
export function findMicrodataReviews(root: ParentNode): FoundReview[] {
  const items = queryAll(root, MICRODATA_ITEM).filter((item) =>
    (item.getAttribute('itemtype') ?? '').split(/\s+/).some((type) => MICRODATA_REVIEW_TYPE.test(type)),
  );
  const found: FoundReview[] = [];
  for (const element of outermost(items)) {
    if (!isHTMLElement(element)) continue;
    const origin = microdataText(element);
    if (origin.traced.text !== '') found.push({ element, text: origin.traced.text, origin });
  }
  return found;
}

function microdataText(item: Element): TextOrigin {
  const source = new TextSource();
  for (const selector of MICRODATA_BODY) {
    // The item's own property, not one of an item nested in it (the movie it reviews, say).
    const properties = [...item.querySelectorAll(selector)].filter(
      (property) => property.parentElement?.closest('[itemscope]') === item,
    );
    const parts = outermost(properties)
      .map((property) =>
        property.localName === 'meta'
          ? tidyTraced(plain(property.getAttribute('content') ?? ''))
          : traceReviewText(property, {}, source),
      )
      .filter((part) => part.text !== '');
    const traced = capTraced(joinWith(parts, '\n\n'));
    if (traced.text !== '') return { traced, source };
  }
  return { traced: added(''), source };
}

/**
 * Blog posts and comments: <article>s and blocks named review or comment, outside navigation,
 * headers, footers, sidebars and forms, that hold at least MIN_BLOG_REVIEW_CHARS of text of
 * their own (not counting blocks of the same kind inside them, headings or bylines). So a list
 * that merely holds comments is not a review, the innermost block with the text is; and a block
 * inside another that qualifies is part of it.
 */
export function findBlogReviews(root: ParentNode): FoundReview[] {
  const candidates = queryAll(root, '*').filter(isBlogCandidate);
  const isCandidate = new Set<Element>(candidates);
  const ownText = (element: HTMLElement): string =>
    reviewText(element, {
      skip: (inner) => isFurniture(inner) || isHeadingOrByline(inner) || isCandidate.has(inner),
    });
  const qualifying = candidates.filter((element) => ownText(element).length >= MIN_BLOG_REVIEW_CHARS);
  const isQualifying = new Set<Element>(qualifying);
  return outermost(qualifying).map((element) => {
    const source = new TextSource();
    const skip = (inner: Element): boolean => isFurniture(inner) || isQualifying.has(inner);
    const traced = traceReviewText(element, { skip }, source);
    return { element, text: traced.text, origin: { traced, source } };
  });
}

/** Everything above under `root`, each element once: structured data first, then the heuristic. */
export function findGenericReviews(root: ParentNode): FoundReview[] {
  const found: FoundReview[] = [];
  const sources = [findMicrodataReviews, findJsonLdReviews, findBlogReviews];
  for (const source of sources) {
    for (const review of source(root)) {
      if (!found.some((other) => overlaps(other.element, review.element))) found.push(review);
    }
  }
  return inDocumentOrder(found);
}

export const genericAdapter: SiteAdapter = {
  id: 'generic',
  name: 'Other pages',
  matches(url: URL): boolean {
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'file:';
  },
  find(root: ParentNode): FoundReview[] {
    return documentOf(root) === null ? [] : findGenericReviews(root);
  },
};
