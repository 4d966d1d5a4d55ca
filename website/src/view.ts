/**
 * The page's own states, around the UI kit's views (ui/): the review field's status and the answer
 * region (idle, loading, the kit's verdict with what decided it, the kit's problem). Built with
 * createElement and textContent only, so neither a review nor a server's message can become markup.
 */
import type { SentimentResponse, SentimentResult } from '../../public-api/contract.ts';
import type { ApiFailure } from '../../public-api/client.ts';
import { problemOfFailure } from '../../ui/api-failure.ts';
import { el } from '../../ui/dom.ts';
import { formatCount } from '../../ui/format.ts';
import { renderProblem } from '../../ui/problem.ts';
import { renderTextChanged } from '../../ui/text-bound.ts';
import { renderVerdict } from '../../ui/verdict.ts';

export type AnswerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'changed' }
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'result';
      readonly response: SentimentResponse;
      readonly elapsedMs: number;
      /** The review as sent: the explanation's offsets are into exactly this text. */
      readonly text?: string;
    }
  | { readonly kind: 'error'; readonly failure: ApiFailure };

// ---- The review field -------------------------------------------------------------------------

export interface ReviewStatus {
  readonly kind: 'empty' | 'ok' | 'over';
  /** "1,234 / 20,000 characters" */
  readonly counter: string;
  /** What to tell the user, or '' when all is well. Stable while typing, as it is announced. */
  readonly message: string;
}

/** Length in UTF-16 code units, as the API counts it (contract.ts, Limits.maxReviewChars). */
export function reviewStatus(text: string, maxChars: number): ReviewStatus {
  const counter = `${formatCount(text.length)} / ${formatCount(maxChars)} characters`;
  if (text.trim() === '') return { kind: 'empty', counter, message: 'Write or paste a review to analyse it.' };
  if (text.length > maxChars) {
    return {
      kind: 'over',
      counter: `${counter} (${formatCount(text.length - maxChars)} over)`,
      message: `The review is over the ${formatCount(maxChars)}-character limit: shorten it to analyse it.`,
    };
  }
  return { kind: 'ok', counter, message: '' };
}

// ---- The answer region ------------------------------------------------------------------------

/** What the page can do from inside an answer, without view.ts knowing the page's wiring. */
export interface AnswerActions {
  /** Offered in an error box where the API URL is the likely culprit. */
  readonly openSettings?: () => void;
}

/** Replaces the region's content; returns the element that should take focus, if any. */
export function renderAnswer(
  region: HTMLElement,
  state: AnswerState,
  actions: AnswerActions = {},
): HTMLElement | undefined {
  const doc = region.ownerDocument;
  region.setAttribute('aria-busy', String(state.kind === 'loading'));
  region.dataset.state = state.kind;
  let focus: HTMLElement | undefined;
  switch (state.kind) {
    case 'idle':
      region.replaceChildren(el(doc, 'p', { class: 'answer__idle' }, 'The verdict will appear here.'));
      break;
    case 'changed':
      region.replaceChildren(renderTextChanged(doc));
      break;
    case 'loading':
      region.replaceChildren(el(doc, 'p', { class: 'answer__pending' }, 'Reading the review…'));
      break;
    case 'result': {
      // The client checked that exactly one result came back.
      const result = state.response.results[0] as SentimentResult;
      // With the result's explanation, the kit shows the review with its deciding sentences tinted.
      focus = renderVerdict(
        doc,
        { result, model: state.response.model, elapsedMs: state.elapsedMs, text: state.text },
        'full',
      );
      break;
    }
    case 'error':
      focus = renderProblem(doc, problemOfFailure(state.failure, actions.openSettings), 'full');
      break;
  }
  if (focus !== undefined) region.replaceChildren(focus);
  return focus;
}
