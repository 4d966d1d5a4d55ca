/**
 * The mark a scored review gets: `data-reelsense-label` and `data-reelsense-score` on its element
 * (DESIGN.md), and a small badge as the element's first child. The badge lives in a shadow root,
 * so the site's CSS cannot restyle it and its CSS cannot leak into the site; its host is one small
 * inline box, the only space it takes. It says the label in words, with an icon (not colour
 * alone), the confidence (none for "mixed" and "unreadable": their tooltip says why), and, in its
 * tooltip, the model version and who scored it.
 */
import type { SentimentResult } from '../../../public-api/contract.ts';
import type { Scorer } from '../common/messages/types.ts';
import { el } from '../../../ui/dom.ts';
import { describe, labelName, percent } from '../../../ui/format.ts';
import { icon } from '../../../ui/icons.ts';
import { LABEL_ATTRIBUTE, SCORE_ATTRIBUTE } from '../../../ui/marks.ts';

export { LABEL_ATTRIBUTE, SCORE_ATTRIBUTE };
/** Marks the badge's host, so the extension can tell its own nodes from the page's. */
export const BADGE_ATTRIBUTE = 'data-reelsense-badge';

export interface BadgeInfo {
  readonly result: SentimentResult;
  readonly model: string;
  readonly scorer: Scorer;
  readonly note?: string | undefined;
}

// Sized in px: the badge should look the same whatever the site's font size. The host's rules are
// !important: for important declarations the shadow root's win over the page's, even over
// \`[data-reelsense-badge] { display: none !important }\` or an inline style, so a page cannot hide,
// move or shrink the badge by its CSS.
const BADGE_CSS = `
:host {
  all: initial !important; display: inline-block !important; vertical-align: middle !important;
  margin: 0 6px 2px 0 !important;
}
.badge {
  display: inline-flex; align-items: center; gap: 4px; box-sizing: border-box;
  padding: 1px 7px 1px 4px; border: 1px solid; border-radius: 999px;
  font: 600 12px/18px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; white-space: nowrap; cursor: default;
}
.badge-button { all: unset; display: inline-block; border-radius: 999px; cursor: pointer; }
.badge-button .badge { cursor: pointer; }
.badge-button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
.badge--positive { color: #0a5a1c; background: #e7f5eb; border-color: #0a5a1c; }
.badge--negative { color: #8f1d1d; background: #fdeeee; border-color: #8f1d1d; }
.badge--mixed, .badge--unreadable { color: #3d4451; background: #f1f2f4; border-color: #3d4451; }
.icon { width: 14px; height: 14px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
.percent { font-weight: 400; font-variant-numeric: tabular-nums; }
@media (prefers-color-scheme: dark) {
  .badge--positive { color: #b9f0c6; background: #123a1e; border-color: #b9f0c6; }
  .badge--negative { color: #ffc9c9; background: #4a1515; border-color: #ffc9c9; }
  .badge--mixed, .badge--unreadable { color: #d5d9e0; background: #2a2e35; border-color: #d5d9e0; }
}
@media (forced-colors: active) { .badge { border-color: CanvasText; } }
`;

export function tooltip(info: BadgeInfo): string {
  const scorer = info.scorer === 'on-device' ? 'on-device' : 'by the ReelSense API';
  // An unreadable text's score means little: its tooltip gives how much of it the model could read instead.
  const figure =
    info.result.label === 'unreadable'
      ? `${Math.round(info.result.readable * 100)}% of its words known to the model`
      : `P(positive) = ${info.result.score.toFixed(3)}`;
  const lines = [`ReelSense: ${describe(info.result)}`, `${figure}, model ${info.model}, scored ${scorer}`];
  if (info.note !== undefined) lines.push(info.note);
  return lines.join('\n');
}

export function createBadge(doc: Document, info: BadgeInfo): HTMLElement {
  const host = el(doc, 'span', { [BADGE_ATTRIBUTE]: '' });
  const root = host.attachShadow({ mode: 'open' });
  const { result } = info;
  const badge = el(
    doc,
    'span',
    {
      class: `badge badge--${result.label}`,
      role: 'note',
      'aria-label': `ReelSense: ${describe(result)} (model ${info.model})`,
      title: tooltip(info),
    },
    icon(doc, result.label),
    el(doc, 'span', { class: 'label' }, labelName(result)),
    percent(result) !== '' && el(doc, 'span', { class: 'percent' }, percent(result)),
  );
  // The badge in a button: a press (a click, Enter or Space) opens the popover with what decided
  // the verdict and highlights it in the review (review-popover.ts).
  const button = el(
    doc,
    'button',
    {
      type: 'button',
      class: 'badge-button',
      'aria-expanded': 'false',
      'aria-label': `ReelSense: ${describe(result)}. Show what decided it`,
    },
    badge,
  );
  root.append(el(doc, 'style', {}, BADGE_CSS), button);
  return host;
}

/** Marks `element` and puts the badge first inside it; returns the badge's host. */
export function markReview(element: HTMLElement, info: BadgeInfo): HTMLElement {
  const host = createBadge(element.ownerDocument, info);
  element.setAttribute(LABEL_ATTRIBUTE, info.result.label);
  element.setAttribute(SCORE_ATTRIBUTE, String(info.result.score));
  element.prepend(host);
  return host;
}

/** Undoes markReview: the page is as it was. */
export function unmarkReview(element: HTMLElement, host: HTMLElement): void {
  host.remove();
  element.removeAttribute(LABEL_ATTRIBUTE);
  element.removeAttribute(SCORE_ATTRIBUTE);
}

export function isBadgeNode(node: Node): boolean {
  return node.nodeType === ELEMENT_NODE && (node as Element).hasAttribute(BADGE_ATTRIBUTE);
}

const ELEMENT_NODE = 1;
