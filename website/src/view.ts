/**
 * Renders the page's states into the DOM: the review field's status and the answer region
 * (idle, loading, result, error). Everything is built with createElement and textContent, never
 * from HTML strings, so neither a review nor a server's message can become markup.
 */
import type { SentimentResponse, SentimentResult } from '../../public-api/contract.ts';
import type { ApiFailure, FailureKind } from '../../public-api/client.ts';

export type AnswerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'result'; readonly response: SentimentResponse; readonly elapsedMs: number }
  | { readonly kind: 'error'; readonly failure: ApiFailure };

/** Below this confidence the page says the model is unsure. */
const UNSURE_BELOW = 0.6;

const numberFormat = new Intl.NumberFormat('en-US');

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
  const counter = `${numberFormat.format(text.length)} / ${numberFormat.format(maxChars)} characters`;
  if (text.trim() === '') return { kind: 'empty', counter, message: 'Write or paste a review to analyse it.' };
  if (text.length > maxChars) {
    return {
      kind: 'over',
      counter: `${counter} (${numberFormat.format(text.length - maxChars)} over)`,
      message: `The review is over the ${numberFormat.format(maxChars)}-character limit: shorten it to analyse it.`,
    };
  }
  return { kind: 'ok', counter, message: '' };
}

// ---- The answer region ------------------------------------------------------------------------

/** P(positive) for a positive verdict, P(negative) for a negative one. */
export function confidenceOf(result: SentimentResult): number {
  return result.label === 'positive' ? result.score : 1 - result.score;
}

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
  region.setAttribute('aria-busy', String(state.kind === 'loading'));
  region.dataset.state = state.kind;
  switch (state.kind) {
    case 'idle':
      region.replaceChildren(el('p', { className: 'answer__idle' }, 'The verdict will appear here.'));
      return undefined;
    case 'loading':
      region.replaceChildren(el('p', { className: 'answer__pending' }, 'Reading the review…'));
      return undefined;
    case 'result': {
      const verdict = renderVerdict(state.response, state.elapsedMs);
      region.replaceChildren(verdict);
      return verdict;
    }
    case 'error': {
      const problem = renderProblem(state.failure, actions);
      region.replaceChildren(problem);
      return problem;
    }
  }
}

function renderVerdict(response: SentimentResponse, elapsedMs: number): HTMLElement {
  // The client checked that exactly one result came back.
  const result = response.results[0] as SentimentResult;
  const confidence = confidenceOf(result);
  const percent = Math.round(confidence * 100);
  const name = result.label === 'positive' ? 'Positive' : 'Negative';

  const verdict = el('article', { className: `verdict verdict--${result.label}` });
  verdict.tabIndex = -1;
  verdict.dataset.reelsenseLabel = result.label;
  verdict.dataset.reelsenseScore = String(result.score);
  verdict.setAttribute('aria-labelledby', 'verdict-title');

  const title = el('h2', { className: 'verdict__title' });
  title.id = 'verdict-title';
  title.append(icon(result.label), el('span', {}, name));

  const meterId = 'verdict-confidence';
  const meter = el('meter', { className: 'verdict__meter' });
  meter.id = meterId;
  meter.min = 0;
  meter.max = 100;
  meter.value = percent;
  meter.textContent = `${percent}%`;
  const meterLabel = el('label', { className: 'verdict__meter-label' }, 'Confidence');
  meterLabel.htmlFor = meterId;

  verdict.append(
    el('p', { className: 'verdict__kicker' }, 'Verdict'),
    title,
    el(
      'p',
      { className: 'verdict__summary' },
      `The model reads this review as ${result.label}, with ${percent}% confidence.`,
    ),
    el(
      'div',
      { className: 'verdict__confidence' },
      meterLabel,
      meter,
      el('span', { className: 'verdict__percent' }, `${percent}%`),
    ),
  );
  if (confidence < UNSURE_BELOW) {
    verdict.append(
      el(
        'p',
        { className: 'verdict__unsure' },
        'The model is unsure: the review may be mixed, sarcastic, or not about a movie.',
      ),
    );
  }
  const model = el('code', { className: 'verdict__model' }, response.model);
  model.dataset.model = response.model;
  verdict.append(
    el(
      'p',
      { className: 'verdict__meta' },
      'Model ',
      model,
      ` · answered in ${numberFormat.format(Math.round(elapsedMs))} ms`,
    ),
  );
  return verdict;
}

const PROBLEM_TITLES: Record<FailureKind, string> = {
  unreachable: "Can't reach the API",
  timeout: 'No answer in time',
  aborted: 'Cancelled',
  'too-long': 'The review is too long',
  empty: 'Nothing to analyse',
  invalid: 'The request was refused',
  throttled: 'Too many requests',
  server: 'The model had a problem',
  'bad-answer': 'An unexpected answer',
};

function renderProblem(failure: ApiFailure, actions: AnswerActions): HTMLElement {
  const problem = el('div', { className: `problem problem--${failure.kind}` });
  problem.tabIndex = -1;
  problem.dataset.errorKind = failure.kind;
  if (failure.code !== undefined) problem.dataset.errorCode = failure.code;
  problem.setAttribute('aria-labelledby', 'problem-title');

  const title = el('h2', { className: 'problem__title' });
  title.id = 'problem-title';
  title.append(icon('problem'), el('span', {}, PROBLEM_TITLES[failure.kind]));
  problem.append(title, el('p', { className: 'problem__message' }, failure.message));

  const { openSettings } = actions;
  if (openSettings !== undefined && (failure.kind === 'unreachable' || failure.kind === 'invalid')) {
    const button = el('button', { className: 'link-button' }, 'Change the API URL');
    button.type = 'button';
    button.addEventListener('click', openSettings);
    problem.append(button);
  }
  return problem;
}

// ---- Small DOM helpers ------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string },
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className !== undefined) node.className = props.className;
  node.append(...children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A face (smile or frown) or a warning sign: the verdict never rests on colour alone. */
function icon(kind: 'positive' | 'negative' | 'problem'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  const paths: Record<typeof kind, string[]> = {
    positive: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M7.5 14a5 5 0 0 0 9 0', 'M9 9.5v.5', 'M15 9.5v.5'],
    negative: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M7.5 17a5 5 0 0 1 9 0', 'M9 9.5v.5', 'M15 9.5v.5'],
    problem: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.5'],
  };
  for (const d of paths[kind]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
