/**
 * A classification as the popup and the options page show it: the verdict in words with its
 * icon, the confidence, the model and who scored it, and any note (the API fallback). Text only.
 */
import type { Classification, Problem } from '../common/messages/types.ts';
import { el, icon } from './dom.ts';
import { describe } from './format.ts';

export function renderVerdict(doc: Document, classification: Classification, elapsedMs?: number): HTMLElement {
  const { results, model, scorer, note } = classification;
  const [result] = results;
  const verdict = el(doc, 'div', { class: 'verdict' });
  if (result === undefined) return verdict;
  verdict.classList.add(`verdict--${result.label}`);
  verdict.setAttribute('data-reelsense-label', result.label);
  verdict.setAttribute('data-reelsense-score', String(result.score));
  if (elapsedMs !== undefined) verdict.setAttribute('data-elapsed-ms', elapsedMs.toFixed(1));
  const how = scorer === 'on-device' ? 'on-device' : 'through the API';
  const timing = elapsedMs === undefined ? '' : `, ${Math.round(elapsedMs)} ms`;
  verdict.append(
    el(doc, 'p', { class: 'verdict__title' }, icon(doc, result.label), describe(result)),
    el(doc, 'p', { class: 'verdict__meta' }, `Model ${model}, ${how}${timing}`),
  );
  if (note !== undefined) verdict.append(el(doc, 'p', { class: 'note', 'data-note': '' }, note));
  return verdict;
}

export function renderProblem(doc: Document, problem: Problem): HTMLElement {
  return el(
    doc,
    'div',
    { class: 'problem', 'data-problem-code': problem.code },
    el(doc, 'p', { class: 'verdict__title' }, icon(doc, 'problem'), 'Could not analyse'),
    el(doc, 'p', { class: 'verdict__meta' }, problem.message),
  );
}
