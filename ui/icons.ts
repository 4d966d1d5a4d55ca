/**
 * The kit's icons: a face per label (a smile, a frown, a level mouth; a question mark in the circle
 * for a text the model cannot read) and a warning sign, so a verdict never rests on colour alone.
 * Inline SVG built node by node (no markup strings), hidden from assistive technology, which reads
 * the words beside it; drawn in currentColor, sized by the `.icon` class.
 */
import type { SentimentLabel } from '../public-api/contract.ts';

export type IconName = SentimentLabel | 'problem';

const SVG = 'http://www.w3.org/2000/svg';
const FACE = 'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20';

const ICON_PATHS: Readonly<Record<IconName, readonly string[]>> = {
  positive: [FACE, 'M7.5 14a5 5 0 0 0 9 0', 'M9 9.5v.5', 'M15 9.5v.5'],
  negative: [FACE, 'M7.5 17a5 5 0 0 1 9 0', 'M9 9.5v.5', 'M15 9.5v.5'],
  mixed: [FACE, 'M8 15.5h8', 'M9 9.5v.5', 'M15 9.5v.5'],
  unreadable: [FACE, 'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6', 'M12 17v.5'],
  problem: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.5'],
};

export function icon(doc: Document, name: IconName): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  for (const d of ICON_PATHS[name]) {
    const path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
