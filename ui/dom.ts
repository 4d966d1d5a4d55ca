/**
 * The kit's one DOM helper: elements from createElement, attributes and text nodes only, so no
 * review text, server message or setting ever becomes markup. It takes the document to build in,
 * so the website, the extension's pages, its content scripts (shadow roots) and jsdom tests share it.
 */

/** A child to append; `undefined` and `false` are skipped, so optional parts read inline. */
export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}

/** An element the page's HTML must have, of the expected type: a missing one is a bug, said early. */
export function elementById<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The page has no #${id} ${type.name}.`);
  return found;
}
