/**
 * A small box on the page, in a shadow root, with the UI kit's compact views inside: the answer to
 * "ReelSense: analyse sentiment" on a selection (under the selection: the verdict and the text
 * with its deciding words tinted), and a review's badge's popover (review-popover.ts). It is
 * announced (role="status"), closes with its button, Escape or a click elsewhere, and a new one
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
.pending { margin: 6px 0 0; color: #444; font-size: 12px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; border: 0;
}
.explanation { margin: 8px 0 0; }
.explanation__legend { margin: 0 0 4px; color: #444; font-size: 12px; }
.explanation__legend .explained { white-space: nowrap; }
.explanation__text {
  margin: 0; padding: 4px 8px; border-left: 3px solid var(--tone, #555); white-space: pre-wrap;
  overflow-wrap: anywhere; max-height: 160px; overflow: auto;
}
.explanation__quotes { margin: 0; padding-left: 18px; }
.explanation__quotes > li { margin: 4px 0; }
.explained { border-radius: 3px; text-decoration-line: underline; text-decoration-thickness: 2px; text-underline-offset: 3px; }
.explanation__quotes > li.explained { background: none; text-decoration: none; }
.explanation__quotes q { text-decoration-line: underline; text-decoration-thickness: 2px; text-underline-offset: 3px; }
.explained--positive { color: #0a5a1c; background: #d3f0dc; text-decoration-style: solid; }
.explained--negative { color: #8f1d1d; background: #fbdcdc; text-decoration-style: wavy; }
.explained--positive q { text-decoration-style: solid; }
.explained--negative q { text-decoration-style: wavy; }
button { all: unset; cursor: pointer; padding: 0 4px; border-radius: 4px; font-size: 16px; line-height: 1; }
button:focus-visible { outline: 2px solid #1a73e8; }
@media (prefers-color-scheme: dark) {
  .box { background: #202124; color: #eee; border-color: #888; }
  .verdict--positive { --tone: #b9f0c6; } .verdict--negative { --tone: #ffc9c9; }
  .verdict__meta, .problem__message, .pending, .explanation__legend { color: #bbb; }
  .explained--positive { color: #b9f0c6; background: #123a1e; }
  .explained--negative { color: #ffc9c9; background: #4a1515; }
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

/** Where to put the box for an element (a badge): under it, kept inside the page's width. */
export function anchorForElement(element: Element): Anchor {
  const doc = element.ownerDocument;
  const view = doc.defaultView;
  const rect = element.getBoundingClientRect();
  const scrollX = view?.scrollX ?? 0;
  const viewport = doc.documentElement.clientWidth || WIDTH;
  return {
    left: Math.max(8, Math.min(rect.left + scrollX, scrollX + viewport - WIDTH - 8)),
    top: rect.bottom + 6 + (view?.scrollY ?? 0),
  };
}

function selectionContent(doc: Document, { outcome, text }: SelectionAnswer): HTMLElement[] {
  if (!outcome.ok) return [renderProblem(doc, problemOf(outcome.problem), 'compact')];
  // With an explanation (of exactly this text), the verdict shows the text with its deciding words.
  const verdict = verdictOf(outcome.value, { text });
  return verdict === undefined ? [] : [renderVerdict(doc, verdict, 'compact')];
}

/** The box that is open, if any. */
export interface OpenPopover {
  readonly host: HTMLElement;
  /** The element that opened it (a badge), if any. */
  readonly owner: Element | undefined;
  /** Replaces what the box shows under its heading. */
  setContent(parts: readonly Node[]): void;
}

export interface PopoverOptions {
  /** The element that opened it: a press on it is not "elsewhere" (the owner toggles the box itself). */
  readonly owner?: Element;
  /** Runs once when the box closes, however it closes. */
  readonly onClose?: () => void;
  /** The box's accessible name's first word, shown in its heading. */
  readonly title?: string;
}

let current: { open: OpenPopover; controller: AbortController; onClose: (() => void) | undefined } | undefined;

export function closePopover(): void {
  const closing = current;
  current = undefined;
  closing?.controller.abort();
  closing?.open.host.remove();
  closing?.onClose?.();
}

/** The box now open, if any. */
export function openPopoverNow(): OpenPopover | undefined {
  return current?.open;
}

/** Opens a box at `anchor` showing `parts`, in place of any box open before. */
export function openPopover(
  doc: Document,
  parts: readonly Node[],
  anchor: Anchor,
  options: PopoverOptions = {},
): OpenPopover {
  closePopover();
  const host = el(doc, 'div', { [BADGE_ATTRIBUTE]: '', [POPOVER_ATTRIBUTE]: '' });
  host.style.setProperty('--reelsense-left', `${anchor.left}px`, 'important');
  host.style.setProperty('--reelsense-top', `${anchor.top}px`, 'important');
  const root = host.attachShadow({ mode: 'open' });
  const close = el(doc, 'button', { type: 'button', 'aria-label': 'Close ReelSense answer', title: 'Close' }, '×');
  const body = el(doc, 'div', { class: 'body' }, ...parts);
  const box = el(
    doc,
    'div',
    { class: 'box', role: 'status', 'aria-live': 'polite' },
    el(doc, 'div', { class: 'head' }, el(doc, 'span', {}, options.title ?? 'ReelSense'), close),
    body,
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
      const path = event.composedPath();
      if (!path.includes(host) && (options.owner === undefined || !path.includes(options.owner))) closePopover();
    },
    { signal, capture: true },
  );
  const open: OpenPopover = {
    host,
    owner: options.owner,
    setContent: (next) => {
      body.replaceChildren(...next);
    },
  };
  current = { open, controller, onClose: options.onClose };
  return open;
}

/** The answer to a selection, under the selection. */
export function showPopover(
  doc: Document,
  answer: SelectionAnswer,
  anchor: Anchor = anchorForSelection(doc),
): HTMLElement {
  return openPopover(doc, selectionContent(doc, answer), anchor).host;
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
