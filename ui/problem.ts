/**
 * The problem view: why there is no verdict, with the warning icon, a title, the message (server
 * text, shown as text) and at most one way out. Each app turns its own failures into a `Problem`
 * (api-failure.ts does it for the public API client's).
 */
import { el } from './dom.ts';
import { icon } from './icons.ts';
import type { Layout } from './layout.ts';

export interface Problem {
  /** What went wrong, in a few words: "Can't reach the API". */
  readonly title: string;
  /** The sentence to show. */
  readonly message: string;
  /** A stable name for the kind of failure: the class `problem--<kind>` and `data-error-kind`. */
  readonly kind?: string | undefined;
  /** The machine-readable error code, when there is one. */
  readonly code?: string | undefined;
  /** One button that leads out of the problem. */
  readonly action?: { readonly label: string; readonly run: () => void } | undefined;
}

const TITLE_ID = 'problem-title';
/** Each surface keeps the attribute name it has always had for the code. */
const CODE_ATTRIBUTE: Readonly<Record<Layout, string>> = { full: 'data-error-code', compact: 'data-problem-code' };

export function renderProblem(doc: Document, problem: Problem, layout: Layout): HTMLElement {
  const { title, message, kind, code, action } = problem;
  const attributes: Record<string, string> = {
    class: ['problem', kind !== undefined && `problem--${kind}`, `problem--${layout}`].filter(Boolean).join(' '),
  };
  if (kind !== undefined) attributes['data-error-kind'] = kind;
  if (code !== undefined) attributes[CODE_ATTRIBUTE[layout]] = code;
  if (layout === 'full') {
    attributes.tabindex = '-1';
    attributes['aria-labelledby'] = TITLE_ID;
  }
  const heading =
    layout === 'full'
      ? el(doc, 'h2', { class: 'problem__title', id: TITLE_ID }, icon(doc, 'problem'), el(doc, 'span', {}, title))
      : el(doc, 'p', { class: 'problem__title' }, icon(doc, 'problem'), title);
  const box = el(doc, 'div', attributes, heading, el(doc, 'p', { class: 'problem__message' }, message));
  if (action !== undefined) {
    const button = el(doc, 'button', { class: 'link-button', type: 'button' }, action.label);
    button.addEventListener('click', action.run);
    box.append(button);
  }
  return box;
}
