/**
 * The public API client's failures (public-api/client.ts) as problems to show: a title per kind,
 * the client's own sentence, and "Change the API URL" where the URL is the likely culprit.
 */
import type { ApiFailure, FailureKind } from '../public-api/client.ts';
import type { Problem } from './problem.ts';

const TITLES: Readonly<Record<FailureKind, string>> = {
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

/** Kinds where a wrong API URL is the likely cause. */
const URL_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>(['unreachable', 'invalid']);

/** `changeApiUrl`, when the app has a setting for it, is offered for the kinds a wrong URL causes. */
export function problemOfFailure(failure: ApiFailure, changeApiUrl?: () => void): Problem {
  return {
    title: TITLES[failure.kind],
    message: failure.message,
    kind: failure.kind,
    code: failure.code,
    action:
      changeApiUrl !== undefined && URL_KINDS.has(failure.kind)
        ? { label: 'Change the API URL', run: changeApiUrl }
        : undefined,
  };
}
