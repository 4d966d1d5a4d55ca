/**
 * Small DOM helpers the adapters share. Realm-free on purpose: they compare node types and
 * namespaces, not classes, so they work on documents from DOMParser, iframes and tests alike.
 */

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const ELEMENT_NODE = 1;
const DOCUMENT_NODE = 9;
/** Node.DOCUMENT_POSITION_FOLLOWING. */
const FOLLOWING = 4;

export function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

/** An HTML element (not SVG or MathML): the only kind a badge can go on. */
export function isHTMLElement(node: Node): node is HTMLElement {
  return isElement(node) && node.namespaceURI === HTML_NAMESPACE;
}

/** The document `root` belongs to (itself when it is one). */
export function documentOf(root: ParentNode): Document | null {
  return root.nodeType === DOCUMENT_NODE ? (root as Document) : root.ownerDocument;
}

/** The elements under `root` that match `selector`, `root` itself included when it matches. */
export function queryAll(root: ParentNode, selector: string): Element[] {
  const found = Array.from(root.querySelectorAll(selector));
  if (isElement(root) && root.matches(selector)) found.unshift(root);
  return found;
}

/** The elements that no other element of the list contains. */
export function outermost<T extends Element>(elements: readonly T[]): T[] {
  const set = new Set<Element>(elements);
  return elements.filter((element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (set.has(parent)) return false;
    }
    return true;
  });
}

/** Whether one of the two contains the other (or they are the same element). */
export function overlaps(a: Node, b: Node): boolean {
  return a.contains(b) || b.contains(a);
}

/** Sorted in document order (a copy). */
export function inDocumentOrder<T extends { readonly element: Element }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    if (a.element === b.element) return 0;
    return a.element.compareDocumentPosition(b.element) & FOLLOWING ? -1 : 1;
  });
}
