/**
 * Building DOM without HTML strings: createElement, attributes and text nodes only, so no review
 * text, server message or setting ever becomes markup (the lint rule in eslint.config.js forbids
 * the alternatives). Takes the document to build in, so content scripts, extension pages and
 * jsdom tests share it.
 */

type Child = Node | string | undefined | false;

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

const SVG = 'http://www.w3.org/2000/svg';

/** The website's faces (a smile, a frown) and a warning sign: the verdict never rests on colour alone. */
const ICON_PATHS = {
  positive: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M7.5 14a5 5 0 0 0 9 0', 'M9 9.5v.5', 'M15 9.5v.5'],
  negative: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M7.5 17a5 5 0 0 1 9 0', 'M9 9.5v.5', 'M15 9.5v.5'],
  problem: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.5'],
} as const;

export function icon(doc: Document, kind: keyof typeof ICON_PATHS): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  for (const d of ICON_PATHS[kind]) {
    const path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
