/**
 * The answer to "ReelSense: analyse sentiment" on a selection, shown in place: a small box under
 * the selection, in a shadow root, with the UI kit's compact verdict or problem view inside. It is
 * announced (role="status"), closes with its button, Escape or a click elsewhere, and a new answer
 * replaces it.
 */
import type { SelectionAnswer } from '../common/messages/types.ts';
import { problemOf, verdictOf } from '../common/kit-adapters.ts';
import { el } from '../../../ui/dom.ts';
import { renderProblem } from '../../../ui/problem.ts';
import { renderVerdict } from '../../../ui/verdict.ts';
import { BADGE_ATTRIBUTE } from './badge.ts';

export const POPOVER_ATTRIBUTE = 'data-reelsense-popover';
const WIDTH = 280;

// Pinned with !important like the badge's host (badge.ts), so page CSS cannot hide or move it; the
// position comes in custom properties set inline as important, which no page style sheet outranks.
// The kit's classes (ui/kit.css) styled here in the popover's own sizes and colours: the page's
// style sheets and custom properties must not reach into the box, so it sets every token itself.
const POPOVER_CSS = `
:host {
  all: initial !important; position: absolute !important; z-index: 2147483647 !important;
  left: var(--reelsense-left) !important; top: var(--reelsense-top) !important;
}
.box {
  box-sizing: border-box; width: ${WIDTH}px; padding: 10px 12px; border: 1px solid #555; border-radius: 8px;
  background: #fff; color: #111; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.head { display: flex; align-items: center; justify-content: space-between; margin: 0 0 4px; font-weight: 600; }
.verdict--positive { --tone: #0a5a1c; }
.verdict--negative { --tone: #8f1d1d; }
.problem { --tone: #7a4a00; }
.verdict__title, .problem__title {
  display: flex; align-items: center; gap: 6px; margin: 0; font-size: 15px; font-weight: 600; color: var(--tone);
}
.icon {
  flex: none; width: 18px; height: 18px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round;
  stroke-linejoin: round;
}
.verdict__meta, .problem__message, .note { margin: 4px 0 0; color: #444; font-size: 12px; overflow-wrap: anywhere; }
.note { color: #7a4a00; }
button { all: unset; cursor: pointer; padding: 0 4px; border-radius: 4px; font-size: 16px; line-height: 1; }
button:focus-visible { outline: 2px solid #1a73e8; }
@media (prefers-color-scheme: dark) {
  .box { background: #202124; color: #eee; border-color: #888; }
  .verdict--positive { --tone: #b9f0c6; } .verdict--negative { --tone: #ffc9c9; }
  .verdict__meta, .problem__message { color: #bbb; }
}
`;

export interface Anchor {
  /** Page coordinates (scroll included) of the point under the selection. */
  readonly left: number;
  readonly top: number;
}

/** Where to put the box: under the selection, kept inside the page's width. */
export function anchorForSelection(doc: Document): Anchor {
  const view = doc.defaultView;
  const scrollX = view?.scrollX ?? 0;
  const scrollY = view?.scrollY ?? 0;
  const viewport = doc.documentElement.clientWidth || WIDTH;
  const selection = doc.getSelection();
  let rect: DOMRect | undefined;
  if (selection !== null && selection.rangeCount > 0) rect = selection.getRangeAt(0).getBoundingClientRect();
  if (rect === undefined || (rect.width === 0 && rect.height === 0)) {
    // A selection inside a text field has no range rectangle: use the field's.
    rect = doc.activeElement?.getBoundingClientRect();
  }
  const left = Math.max(8, Math.min((rect?.left ?? 8) + scrollX, scrollX + viewport - WIDTH - 8));
  const top = (rect === undefined ? 8 : rect.bottom + 6) + scrollY;
  return { left, top };
}

function content(doc: Document, { outcome }: SelectionAnswer): HTMLElement[] {
  if (!outcome.ok) return [renderProblem(doc, problemOf(outcome.problem), 'compact')];
  const verdict = verdictOf(outcome.value);
  return verdict === undefined ? [] : [renderVerdict(doc, verdict, 'compact')];
}

let current: { host: HTMLElement; controller: AbortController } | undefined;

export function closePopover(): void {
  current?.controller.abort();
  current?.host.remove();
  current = undefined;
}

export function showPopover(
  doc: Document,
  answer: SelectionAnswer,
  anchor: Anchor = anchorForSelection(doc),
): HTMLElement {
  closePopover();
  const host = el(doc, 'div', { [BADGE_ATTRIBUTE]: '', [POPOVER_ATTRIBUTE]: '' });
  host.style.setProperty('--reelsense-left', `${anchor.left}px`, 'important');
  host.style.setProperty('--reelsense-top', `${anchor.top}px`, 'important');
  const root = host.attachShadow({ mode: 'open' });
  const close = el(doc, 'button', { type: 'button', 'aria-label': 'Close ReelSense answer', title: 'Close' }, '×');
  const box = el(
    doc,
    'div',
    { class: 'box', role: 'status', 'aria-live': 'polite' },
    el(doc, 'div', { class: 'head' }, el(doc, 'span', {}, 'ReelSense'), close),
    ...content(doc, answer),
  );
  root.append(el(doc, 'style', {}, POPOVER_CSS), box);
  doc.documentElement.append(host);

  const controller = new AbortController();
  const { signal } = controller;
  close.addEventListener('click', closePopover, { signal });
  doc.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape') closePopover();
    },
    { signal },
  );
  doc.addEventListener(
    'pointerdown',
    (event) => {
      if (!event.composedPath().includes(host)) closePopover();
    },
    { signal, capture: true },
  );
  current = { host, controller };
  return host;
}

/** The selected text: the page's selection, or the selected part of a focused text field. */
export function selectedText(doc: Document): string {
  const active = doc.activeElement;
  if (active !== null && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')) {
    const field = active as HTMLInputElement | HTMLTextAreaElement;
    const { selectionStart, selectionEnd } = field;
    if (selectionStart !== null && selectionEnd !== null && selectionEnd > selectionStart) {
      return field.value.slice(selectionStart, selectionEnd);
    }
  }
  return doc.getSelection()?.toString() ?? '';
}
