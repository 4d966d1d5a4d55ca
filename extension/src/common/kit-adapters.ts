/**
 * The extension's message types as the UI kit's inputs (ui/verdict.ts, ui/problem.ts): the kit
 * knows nothing of Classification or Problem, so the popup and the popover adapt them here.
 */
import type { Problem as KitProblem } from '../../../ui/problem.ts';
import type { Verdict } from '../../../ui/verdict.ts';
import type { Classification, Problem } from './messages/types.ts';

/**
 * The first (for the popup and the popover, the only) result, or undefined when there is none.
 * `text` is the text that was scored (exactly): with the result's explanation, the verdict shows
 * what decided it on that text (`explanationAs`: the text tinted, or its deciding sentences quoted).
 */
export function verdictOf(
  classification: Classification,
  extra: Pick<Verdict, 'elapsedMs' | 'text' | 'explanationAs'> = {},
): Verdict | undefined {
  const [result] = classification.results;
  if (result === undefined) return undefined;
  return {
    result,
    model: classification.model,
    scoredBy: classification.scorer,
    note: classification.note,
    ...extra,
  };
}

export function problemOf(problem: Problem): KitProblem {
  return { title: 'Could not analyse', message: problem.message, code: problem.code };
}
