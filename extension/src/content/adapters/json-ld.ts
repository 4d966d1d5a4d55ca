/**
 * schema.org Review objects in a page's JSON-LD, matched back to the page element that shows
 * their text (a review needs an element for its badge: one whose text is not on the page is
 * skipped). The site adapters fall back on this when none of their selectors match; the generic
 * adapter always uses it. JSON-LD is read with JSON.parse from the script's text; nothing runs.
 */
import { documentOf, inDocumentOrder, isElement, isHTMLElement, overlaps } from './dom.ts';
import { JSON_LD } from './selectors.ts';
import { decodeEntities } from '../../../../model/text/index.ts';
import { textFromHtmlString, traceReviewText } from './text.ts';
import { TextSource } from './traced.ts';
import type { FoundReview } from './types.ts';

/** schema.org types whose objects are reviews (Review and its subtypes for works). */
const REVIEW_TYPES = new Set(['Review', 'CriticReview', 'UserReview']);

/** Guards against hostile or broken pages. */
const MAX_DEPTH = 12;
const MAX_REVIEWS = 500;
const MAX_SCRIPT_CHARS = 2_000_000;

/** Shorter than this (letters and digits), a text could match anywhere. */
const MIN_MATCH = 12;
/** When a page shows only the start of a review, match this much of it. */
const PREFIXES = [200, 60];

/** Text nodes inside these are not what a reader sees. */
const HIDDEN_TEXT = new Set(['script', 'style', 'template', 'noscript', 'textarea', 'head', 'title']);

/** The text (reviewBody) of each schema.org Review in the JSON-LD of `doc`, in page order. */
export function jsonLdReviewBodies(doc: ParentNode): string[] {
  const bodies: string[] = [];
  for (const script of doc.querySelectorAll(JSON_LD)) {
    const source = script.textContent;
    if (source.length > MAX_SCRIPT_CHARS) continue;
    const data = parseJson(source);
    if (data !== undefined) collect(data, bodies, 0);
    if (bodies.length >= MAX_REVIEWS) break;
  }
  return [...new Set(bodies)].slice(0, MAX_REVIEWS);
}

function parseJson(source: string): unknown {
  // Some sites wrap JSON-LD in an HTML comment or a CDATA section (Letterboxd: /* <![CDATA[ */ … /* ]]> */).
  const cleaned = source
    .trim()
    .replace(/^(?:<!--|(?:\/\*\s*|\/\/\s*)?<!\[CDATA\[(?:\s*\*\/)?)/, '')
    .replace(/(?:-->|(?:\/\*\s*|\/\/\s*)?\]\]>(?:\s*\*\/)?)$/, '')
    .trim();
  try {
    return JSON.parse(cleaned) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Review", "schema:Review", "https://schema.org/Review", or a list holding one of them. */
function isReviewType(type: unknown): boolean {
  const types = Array.isArray(type) ? (type as unknown[]) : [type];
  return types.some(
    (t) => typeof t === 'string' && REVIEW_TYPES.has(t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf(':')) + 1)),
  );
}

/** A string, a list of strings, or a value object ({"@value": "..."}). */
function textValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (Array.isArray(value)) {
    const parts = value.map(textValue).filter((part) => part !== undefined);
    return parts.length > 0 ? parts.join('\n\n') : undefined;
  }
  if (isRecord(value)) return textValue(value['@value']);
  return undefined;
}

/** Walks any shape: a single object, an array, @graph, a Movie's `review` or `reviews`, nested entities. */
function collect(value: unknown, bodies: string[], depth: number): void {
  if (depth > MAX_DEPTH || bodies.length >= MAX_REVIEWS) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, bodies, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  if (isReviewType(value['@type'])) {
    const body = textValue(value.reviewBody) ?? textValue(value.text);
    if (body !== undefined) bodies.push(body);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key !== '@context') collect(child, bodies, depth + 1);
  }
}

/** Letters and digits only, lower case: what survives any markup, punctuation or spacing. */
function skeleton(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The skeleton of every visible text node under `root`, and where each starts in the whole. */
interface TextIndex {
  readonly text: string;
  readonly nodes: readonly Node[];
  readonly starts: readonly number[];
}

function indexText(root: ParentNode): TextIndex {
  const nodes: Node[] = [];
  const starts: number[] = [];
  const parts: string[] = [];
  let length = 0;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (node.nodeType === 3 /* TEXT_NODE */) {
      const part = skeleton(node.nodeValue ?? '');
      if (part !== '') {
        nodes.push(node);
        starts.push(length);
        parts.push(part);
        length += part.length;
      }
      continue;
    }
    if (isElement(node) && HIDDEN_TEXT.has(node.localName)) continue;
    for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return { text: parts.join(''), nodes, starts };
}

/** The text node holding skeleton offset `offset`. */
function nodeAt(index: TextIndex, offset: number): Node | undefined {
  let low = 0;
  let high = index.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((index.starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return index.nodes[low];
}

/** The smallest element that contains both nodes. */
function commonAncestor(a: Node, b: Node): Element | null {
  for (let element = a.parentElement; element; element = element.parentElement) {
    if (element.contains(b)) return element;
  }
  return null;
}

/** What to look for, best first: the whole text (as text, then as written), then its start. */
function needles(body: string): { readonly needle: string; readonly whole: boolean }[] {
  const asText = skeleton(textFromHtmlString(body));
  const asWritten = skeleton(decodeEntities(body));
  const wholes = [...new Set([asText, asWritten])].map((needle) => ({ needle, whole: true }));
  const starts = PREFIXES.filter((size) => asText.length > size).map((size) => ({
    needle: asText.slice(0, size),
    whole: false,
  }));
  return [...wholes, ...starts].filter(({ needle }) => needle.length >= MIN_MATCH);
}

/** Where the page shows `body`: the element, and whether it shows all of it or only its start. */
interface Shown {
  readonly element: HTMLElement;
  readonly whole: boolean;
}

function elementShowing(index: TextIndex, root: ParentNode, body: string): Shown | undefined {
  for (const { needle, whole } of needles(body)) {
    const start = index.text.indexOf(needle);
    if (start < 0) continue;
    const first = nodeAt(index, start);
    const last = nodeAt(index, start + needle.length - 1);
    if (first === undefined || last === undefined) continue;
    const element = commonAncestor(first, last);
    if (element === null || !isHTMLElement(element) || !root.contains(element)) return undefined;
    // A review the size of the page is not a block a badge can mark.
    if (element.localName === 'html' || element.localName === 'body') return undefined;
    return { element, whole };
  }
  return undefined;
}

/**
 * The JSON-LD reviews of the page whose text is shown under `root` (the document, or a subtree
 * added later), in document order, each element once. The element is the smallest one showing
 * the review's text. The text is the element's, as a reader sees it, when it shows the whole
 * review; when it shows only the start (a clamped or truncated page), the JSON-LD's whole text.
 */
export function findJsonLdReviews(root: ParentNode): FoundReview[] {
  const doc = documentOf(root);
  if (doc === null) return [];
  const bodies = jsonLdReviewBodies(doc);
  if (bodies.length === 0) return [];
  const index = indexText(root);
  const found: FoundReview[] = [];
  for (const body of bodies) {
    const shown = elementShowing(index, root, body);
    if (shown === undefined) continue;
    const { element, whole } = shown;
    if (found.some((review) => overlaps(review.element, element))) continue;
    if (whole) {
      const source = new TextSource();
      const traced = traceReviewText(element, {}, source);
      if (traced.text !== '') found.push({ element, text: traced.text, origin: { traced, source } });
    } else {
      // Only its start is on the page: the whole text is scored, with no page position to show.
      const text = textFromHtmlString(body);
      if (text !== '') found.push({ element, text });
    }
  }
  return inDocumentOrder(found);
}
