/**
 * The deciding sentences of a review, highlighted in place with the CSS Custom Highlight API
 * (Chrome 105+, Firefox 140+): each span of the scored text becomes a DOM Range over the review's
 * own text nodes (adapters/traced.ts) and joins a named Highlight, painted by `::highlight()`
 * rules. Nothing in the page changes: no element wraps the text, so the site's scripts, layout and
 * the review's markup are left as they were, and the text is only ever text. The rules are in a
 * constructed style sheet adopted by the document (no element either; a <style> of ours only
 * where a browser refuses the adoption from a content script). Without the API, nothing is
 * highlighted and the popover alone says what decided the verdict.
 *
 * Not by colour alone: toward positive is green with a solid underline, toward negative red with
 * a wavy one, as in the UI kit's explanation view.
 */
import type { Push } from '../../../ui/explanation.ts';
import type { ExplanationSpan } from '../../../public-api/contract.ts';
import { rangeOf, type TextOrigin } from './adapters/traced.ts';
import { BADGE_ATTRIBUTE } from './badge.ts';

/** The highlights' names, one per side: `CSS.highlights.get(HIGHLIGHT.positive)`. */
export const HIGHLIGHT: Readonly<Record<Push, string>> = {
  positive: 'reelsense-positive',
  negative: 'reelsense-negative',
};

const HIGHLIGHT_CSS = `
::highlight(${HIGHLIGHT.positive}) {
  background-color: rgb(34 197 94 / 0.28); color: inherit;
  text-decoration: underline solid rgb(21 128 61); text-decoration-thickness: 2px;
}
::highlight(${HIGHLIGHT.negative}) {
  background-color: rgb(239 68 68 / 0.24); color: inherit;
  text-decoration: underline wavy rgb(185 28 28); text-decoration-thickness: 1.5px;
}
`;

/** The parts of the API used here, as far as a browser has them. */
interface HighlightApi {
  readonly registry: Map<string, unknown>;
  readonly Highlight: new (...ranges: Range[]) => unknown;
}

function highlightApi(doc: Document): HighlightApi | undefined {
  // Typed as possibly absent: TypeScript's DOM types have both, browsers before 2022 neither.
  const view = doc.defaultView as {
    CSS?: { highlights?: HighlightApi['registry'] };
    Highlight?: HighlightApi['Highlight'];
  } | null;
  const registry = view?.CSS?.highlights;
  if (registry === undefined || view?.Highlight === undefined) return undefined;
  return { registry, Highlight: view.Highlight };
}

/** Whether this browser can highlight text in place. */
export function canHighlight(doc: Document): boolean {
  return highlightApi(doc) !== undefined;
}

const styled = new WeakSet<Document>();

function ensureStyles(doc: Document): void {
  if (styled.has(doc)) return;
  styled.add(doc);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(HIGHLIGHT_CSS);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch {
    // A content script's own sheet refused by the document (Firefox's Xray wrappers): a <style>
    // of ours instead, marked so that a reloaded extension removes it with its badges.
    const style = doc.createElement('style');
    style.setAttribute(BADGE_ATTRIBUTE, '');
    style.textContent = HIGHLIGHT_CSS;
    doc.documentElement.append(style);
  }
}

/**
 * Highlights `spans` of the review whose text is `origin`, each on its side's highlight, in place
 * of any highlighted before. Returns how many spans were highlighted (0 without the API, or where
 * the text is not on the page or has changed since it was read).
 */
export function highlightSpans(
  doc: Document,
  origin: TextOrigin | undefined,
  spans: readonly (ExplanationSpan & { readonly push: Push })[],
): number {
  clearHighlights(doc);
  const api = highlightApi(doc);
  if (api === undefined || origin === undefined) return 0;
  let count = 0;
  for (const push of ['positive', 'negative'] as const) {
    const ranges = spans
      .filter((span) => span.push === push)
      .map((span) => rangeOf(doc, origin, span.start, span.end))
      .filter((range) => range !== undefined);
    if (ranges.length === 0) continue;
    ensureStyles(doc);
    api.registry.set(HIGHLIGHT[push], new api.Highlight(...ranges));
    count += ranges.length;
  }
  return count;
}

export function clearHighlights(doc: Document): void {
  const registry = highlightApi(doc)?.registry;
  for (const name of Object.values(HIGHLIGHT)) registry?.delete(name);
}
