/**
 * A review's badge, pressed (a click, or Enter or Space: it is a button): a popover under it with
 * the verdict and the two or three sentences that decided it, quoted, strongest first; and those
 * sentences highlighted in the review itself, green toward positive, red toward negative
 * (highlight.ts: the CSS Custom Highlight API, no change to the page). The explanation comes from
 * the background (an `explain` message: on-device or through the API, the same spans), for
 * exactly the text that was scored, so its offsets land on the review's own characters
 * (adapters/traced.ts). Escape, the popover's close button, a click elsewhere or a second press
 * on the badge closes the popover and removes the highlights.
 */
import { decidingSpans } from '../../../ui/explanation.ts';
import { renderProblem } from '../../../ui/problem.ts';
import { renderVerdict } from '../../../ui/verdict.ts';
import { el } from '../../../ui/dom.ts';
import { problemOf, verdictOf } from '../common/kit-adapters.ts';
import { MessageError } from '../common/messages/reply.ts';
import type { Classification } from '../common/messages/types.ts';
import { isExplanationFor } from '../common/messages/validate.ts';
import { BADGE_ATTRIBUTE } from './badge.ts';
import { canHighlight, clearHighlights, highlightSpans } from './highlight.ts';
import type { MarkedReview } from './marker.ts';
import { anchorForElement, closePopover, openPopover, openPopoverNow, POPOVER_ATTRIBUTE } from './popover.ts';

export type ExplainText = (text: string) => Promise<Classification>;

/** The badge's button inside its host's shadow root. */
function buttonOf(host: Element): HTMLElement | null {
  return host.shadowRoot?.querySelector<HTMLElement>('.badge-button') ?? null;
}

/** The badge's own verdict, as the popover shows it until the explanation comes. */
function badgeVerdict(review: MarkedReview): Classification {
  const { result, model, scorer, note } = review.info;
  return { results: [result], model, scorer, ...(note !== undefined && { note }) };
}

/** A badge's host (the popover's host carries the badge attribute too, as the extension's own node). */
function isBadgeHost(target: EventTarget): target is HTMLElement {
  const element = target as Partial<Element>;
  return (
    element.nodeType === 1 &&
    element.hasAttribute?.(BADGE_ATTRIBUTE) === true &&
    !element.hasAttribute(POPOVER_ATTRIBUTE)
  );
}

/**
 * Puts the box above the badge where the window has room for it, so that it does not cover the
 * review it explains (the review's text is below its badge); under the badge otherwise.
 */
function placeAboveBadge(doc: Document, box: HTMLElement, badgeHost: HTMLElement): void {
  const height = box.shadowRoot?.querySelector('.box')?.getBoundingClientRect().height ?? 0;
  const badgeTop = badgeHost.getBoundingClientRect().top;
  const top =
    height > 0 && badgeTop - height - 6 >= 0
      ? badgeTop - height - 6 + (doc.defaultView?.scrollY ?? 0)
      : anchorForElement(badgeHost).top;
  box.style.setProperty('--reelsense-top', `${top}px`, 'important');
}

/** Opens the badge's popover and asks for the explanation; the popover and highlights follow it. */
async function open(doc: Document, host: HTMLElement, review: MarkedReview, explainText: ExplainText): Promise<void> {
  const button = buttonOf(host);
  const verdict = verdictOf(badgeVerdict(review));
  const pending = el(doc, 'p', { class: 'pending', 'aria-busy': 'true' }, 'Reading what decided it…');
  const popover = openPopover(
    doc,
    [...(verdict === undefined ? [] : [renderVerdict(doc, verdict, 'compact')]), pending],
    anchorForElement(host),
    {
      owner: host,
      onClose: () => {
        clearHighlights(doc);
        button?.setAttribute('aria-expanded', 'false');
      },
    },
  );
  button?.setAttribute('aria-expanded', 'true');
  placeAboveBadge(doc, popover.host, host);
  let answer: Classification;
  try {
    answer = await explainText(review.text);
    if (!isExplanationFor(answer, review.text)) {
      throw new MessageError('BAD_EXPLANATION', 'ReelSense got an explanation of another text; try again.');
    }
  } catch (error) {
    if (openPopoverNow() !== popover) return;
    const problem =
      error instanceof MessageError
        ? { code: error.code, message: error.message }
        : { code: 'INTERNAL', message: 'ReelSense could not explain this verdict.' };
    popover.setContent([renderProblem(doc, problemOf(problem), 'compact')]);
    placeAboveBadge(doc, popover.host, host);
    return;
  }
  // Closed, or another badge opened, while the background was reading.
  if (openPopoverNow() !== popover) return;
  const [result] = answer.results;
  const deciding = result === undefined ? [] : decidingSpans(result, review.text);
  const shown = highlightSpans(doc, review.origin, deciding);
  const explained = verdictOf(answer, { text: review.text, explanationAs: 'quotes' });
  // Why the review shows no highlight although sentences decided it.
  const where =
    shown > 0 || deciding.length === 0
      ? undefined
      : !canHighlight(doc)
        ? 'This browser cannot highlight them in the review.'
        : review.origin === undefined
          ? 'This review’s text is not on the page as scored, so it is not highlighted.'
          : 'The review has changed on the page since it was scored, so it is not highlighted.';
  popover.host.setAttribute('data-highlighted', String(shown));
  popover.setContent([
    ...(explained === undefined ? [] : [renderVerdict(doc, explained, 'compact')]),
    ...(where === undefined ? [] : [el(doc, 'p', { class: 'pending' }, where)]),
  ]);
  placeAboveBadge(doc, popover.host, host);
}

/**
 * Follows presses on the badges of `reviewOf`'s marks: one open popover at a time, a second press
 * on its badge closes it. Presses on a badge do not reach the page (a review card that is a link
 * stays where it is). Stops with `signal`.
 */
export function followBadges(
  doc: Document,
  reviewOf: (host: Element) => MarkedReview | undefined,
  explainText: ExplainText,
  signal: AbortSignal,
): void {
  doc.addEventListener(
    'click',
    (event) => {
      const host = event.composedPath().find(isBadgeHost);
      if (host === undefined) return;
      const review = reviewOf(host);
      if (review === undefined) return;
      event.preventDefault();
      event.stopPropagation();
      if (openPopoverNow()?.owner === host) {
        closePopover();
        return;
      }
      void open(doc, host, review, explainText);
    },
    { capture: true, signal },
  );
}

/** Closes a badge's popover (not a selection's), as when the badges go (the site switched off). */
export function closeBadgePopover(): void {
  if (openPopoverNow()?.owner !== undefined) closePopover();
}
