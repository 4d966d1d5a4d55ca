/**
 * A review's text as a reader sees it, read from the DOM as text only (textContent of text
 * nodes; never an HTML parser, never anything that runs or loads): whitespace collapsed, paragraphs
 * and <br> as line breaks, spoiler text included (sites hide it with CSS or behind a button, but
 * it is in the DOM), the labels of "read more" and similar controls left out, quotes kept, and
 * script, style, template and the like skipped. The result is capped at the API's limit.
 * `traceReviewText` gives the same text with where each character is on the page (traced.ts),
 * so a span of it can be highlighted there; `reviewText` is its text.
 */
import { decodeEntities } from '../../../../model/text/index.ts';
import { DEFAULT_LIMITS } from '../../../../public-api/contract.ts';
import { isElement } from './dom.ts';
import { COLLAPSED_TEXT, CONTROLS, EXPANDED_TEXT } from './selectors.ts';
import { added, concat, plain, replace, slice, TextSource, trim, type Traced } from './traced.ts';

/** The API's default limit on one review: a longer text would be refused, not scored. */
export const MAX_REVIEW_CHARS = DEFAULT_LIMITS.maxReviewChars;

export interface TextOptions {
  /** Elements left out with their contents: a CSS selector list. */
  readonly exclude?: string;
  /** Elements left out with their contents: a predicate (for elements a selector cannot name). */
  readonly skip?: (element: Element) => boolean;
}

/** Never text a reader reads as the review: code, embedded objects, media, form fields (buttons: see CONTROLS). */
const NEVER_TEXT = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'audio',
  'video',
  'img',
  'picture',
  'input',
  'select',
  'textarea',
  'head',
  'title',
  'meta',
  'link',
]);

/** Blocks with a margin: a blank line before and after. */
const PARAGRAPHS = new Set([
  'p',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'pre',
  'figure',
  'table',
  'hr',
]);

/** Other blocks: a line break before and after. */
const LINES = new Set([
  'div',
  'li',
  'dd',
  'dt',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'main',
  'nav',
  'figcaption',
  'address',
  'caption',
  'details',
  'summary',
  'form',
  'fieldset',
  'center',
]);

/** The whole label of a "read more" style control, whatever its markup. */
const READ_MORE =
  /^[\s.…([{«‹]*(?:(?:read|show|see|view|load)\s+(?:the\s+)?(?:more|less|all|full(?:\s+(?:review|text))?)|more|less|expand|collapse|continue\s+reading)[\s.…)\]}»›>]*$/i;

/** Elements that can be such a control: links (a span saying "more" is more likely prose). */
const MAYBE_CONTROL = new Set(['a', 'rt-link', 'rt-button']);

/** True when the text is nothing but a "read more" style label. */
export function isReadMoreLabel(text: string): boolean {
  return READ_MORE.test(text.trim());
}

/**
 * The elements under `element` left out with their contents: controls, what the caller excludes,
 * and collapsed copies whose full text is a sibling. Found with one query each, not by matching
 * every element against long selector lists.
 */
function excludedUnder(element: Element, options: TextOptions): Set<Element> {
  const selector = options.exclude === undefined ? CONTROLS : `${CONTROLS}, ${options.exclude}`;
  const excluded = new Set<Element>(element.querySelectorAll(selector));
  for (const collapsed of element.querySelectorAll(COLLAPSED_TEXT)) {
    if (hasExpandedSibling(collapsed)) excluded.add(collapsed);
  }
  return excluded;
}

function isNotText(element: Element, excluded: ReadonlySet<Element>, options: TextOptions): boolean {
  if (NEVER_TEXT.has(element.localName) || excluded.has(element)) return true;
  if (options.skip?.(element)) return true;
  return MAYBE_CONTROL.has(element.localName) && isReadMoreLabel(element.textContent);
}

function hasExpandedSibling(element: Element): boolean {
  for (const sibling of element.parentElement?.children ?? []) {
    if (sibling !== element && sibling.matches(EXPANDED_TEXT)) return true;
  }
  return false;
}

/** What the walk emits: text (a <br> is '\n'), or a block boundary of 1 (line) or 2 (paragraph) newlines. */
type Piece = Traced | { readonly newlines: 1 | 2 };

const isBoundary = (piece: Piece): piece is { readonly newlines: 1 | 2 } => 'newlines' in piece;

/**
 * The text of `element` as a reader sees it. `element` itself is always read (even when it
 * would be skipped inside another); its descendants follow the rules above.
 */
export function reviewText(element: Element, options: TextOptions = {}): string {
  return traceReviewText(element, options, new TextSource()).text;
}

/** reviewText, traced to the text nodes it read (recorded in `source`). */
export function traceReviewText(element: Element, options: TextOptions, source: TextSource): Traced {
  const pieces: Piece[] = [];
  let length = 0;
  // Stop walking well past the cap: the text shrinks when whitespace is collapsed.
  const budget = MAX_REVIEW_CHARS * 4;
  const excluded = excludedUnder(element, options);
  const stack: (Node | Piece)[] = childrenReversed(element);

  while (stack.length > 0 && length < budget) {
    const step = stack.pop();
    if (step === undefined) break;
    if (!('nodeType' in step)) {
      pieces.push(step);
      continue;
    }
    if (step.nodeType === 3 /* TEXT_NODE */ || step.nodeType === 4 /* CDATA_SECTION_NODE */) {
      const text = replace(source.read(step), /[\t\n\f\r \u00a0]+/g, ' ');
      pieces.push(text);
      length += text.text.length;
      continue;
    }
    if (!isElement(step) || isNotText(step, excluded, options)) continue;

    const name = step.localName;
    if (name === 'br') {
      pieces.push(added('\n'));
      continue;
    }
    const newlines = PARAGRAPHS.has(name) ? 2 : LINES.has(name) ? 1 : 0;
    if (newlines !== 0) {
      const boundary = { newlines } as const;
      pieces.push(boundary);
      stack.push(boundary);
    }
    if (name === 'q') stack.push(added('\u201d'));
    stack.push(...childrenReversed(step));
    if (name === 'q') stack.push(added('\u201c'));
  }
  return capTraced(join(pieces));
}

function childrenReversed(node: Node): Node[] {
  const children: Node[] = [];
  for (let child = node.lastChild; child; child = child.previousSibling) children.push(child);
  return children;
}

/**
 * Text as rendered: the breaks of adjacent block boundaries do not add up (the larger one wins,
 * as in innerText), a <br> always adds its line, and no break leads the text.
 */
function join(pieces: readonly Piece[]): Traced {
  const parts: Traced[] = [];
  let pending = 0;
  let empty = true;
  for (const piece of pieces) {
    if (isBoundary(piece)) {
      pending = Math.max(pending, piece.newlines);
      continue;
    }
    if (pending > 0 && /^ *$/.test(piece.text)) continue;
    if (pending > 0 && !empty) parts.push(added('\n'.repeat(pending)));
    pending = 0;
    parts.push(piece);
    empty &&= piece.text === '';
  }
  return tidyTraced(concat(parts));
}

/**
 * Whitespace as a reader sees it: runs of spaces and tabs as one space, each line trimmed, at
 * most one blank line in a row, nothing at either end. Line breaks are kept.
 */
export function tidyWhitespace(text: string): string {
  return tidyTraced(plain(text)).text;
}

/** tidyWhitespace, traced. */
export function tidyTraced(text: Traced): Traced {
  let tidy = replace(text, /\r\n?/g, '\n');
  tidy = replace(tidy, /[\t\f\v \u00a0]+/g, ' ');
  // Each line trimmed: whitespace other than a line break at a line's start or end.
  tidy = replace(tidy, /(?<=^|\n)[^\S\n]+|[^\S\n]+(?=\n|$)/g, '');
  tidy = replace(tidy, /\n{3,}/g, '\n\n');
  return trim(tidy);
}

/** At most MAX_REVIEW_CHARS characters, never half a surrogate pair. */
export function capText(text: string, max: number = MAX_REVIEW_CHARS): string {
  return capTraced(plain(text), max).text;
}

/** capText, traced. */
export function capTraced(text: Traced, max: number = MAX_REVIEW_CHARS): Traced {
  if (text.text.length <= max) return text;
  let end = max;
  const last = text.text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return replace(slice(text, 0, end), /\s+$/, '');
}

/**
 * Text written as HTML in a string (JSON-LD review bodies often are): <br> and paragraphs as
 * line breaks, other tags dropped, character references decoded (by the text pipeline's decoder,
 * model/text), then tidied and capped. Nothing is parsed as HTML: this is string work only.
 */
export function textFromHtmlString(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|blockquote|li|h[1-6])(?:\s[^<>]*)?>/gi, '\n\n')
    .replace(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi, '');
  return capText(tidyWhitespace(decodeEntities(text)));
}
