// @vitest-environment jsdom
/** The problem view in both layouts, and the public API client's failures as problems. */
import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../public-api/client.ts';
import { problemOfFailure } from '../../ui/api-failure.ts';
import { renderProblem } from '../../ui/problem.ts';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

describe('renderProblem', () => {
  it('full: a focusable box named by its heading, kind and code as data, the message as text', () => {
    const node = renderProblem(
      document,
      { title: 'Too many requests', message: XSS, kind: 'throttled', code: 'THROTTLED' },
      'full',
    );
    expect(node.className).toBe('problem problem--throttled problem--full');
    expect(node.tabIndex).toBe(-1);
    expect(node.getAttribute('aria-labelledby')).toBe('problem-title');
    expect(node.dataset.errorKind).toBe('throttled');
    expect(node.dataset.errorCode).toBe('THROTTLED');
    const title = node.querySelector('h2.problem__title');
    expect(title?.id).toBe('problem-title');
    expect(title?.textContent).toBe('Too many requests');
    expect(title?.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
    expect(node.querySelector('.problem__message')?.textContent).toBe(XSS);
    expect(node.querySelector('img, script, button')).toBeNull();
  });

  it('compact: "Could not analyse" as the extension says it, with data-problem-code', () => {
    const node = renderProblem(
      document,
      { title: 'Could not analyse', message: 'No model.', code: 'MODEL' },
      'compact',
    );
    expect(node.className).toBe('problem problem--compact');
    expect(node.dataset.problemCode).toBe('MODEL');
    expect(node.hasAttribute('tabindex')).toBe(false);
    expect(node.textContent).toBe('Could not analyseNo model.');
  });

  it('offers its one action as a button', () => {
    const run = vi.fn();
    const node = renderProblem(document, { title: 'x', message: 'y', action: { label: 'Fix it', run } }, 'full');
    const button = node.querySelector('button');
    expect(button?.type).toBe('button');
    expect(button?.className).toBe('link-button');
    expect(button?.textContent).toBe('Fix it');
    button?.click();
    expect(run).toHaveBeenCalledOnce();
  });
});

describe('problemOfFailure', () => {
  it('titles each kind and keeps the client sentence and code', () => {
    const problem = problemOfFailure(
      new ApiFailure('server', 'The model is down.', { status: 503, code: 'ENDPOINT_UNAVAILABLE' }),
    );
    expect(problem).toMatchObject({
      title: 'The model had a problem',
      message: 'The model is down.',
      kind: 'server',
      code: 'ENDPOINT_UNAVAILABLE',
      action: undefined,
    });
  });

  it('offers "Change the API URL" only where the URL is the likely culprit, and only when the app can', () => {
    const change = (): void => undefined;
    expect(problemOfFailure(new ApiFailure('unreachable', 'x'), change).action?.label).toBe('Change the API URL');
    expect(problemOfFailure(new ApiFailure('invalid', 'x'), change).action?.run).toBe(change);
    expect(problemOfFailure(new ApiFailure('timeout', 'x'), change).action).toBeUndefined();
    expect(problemOfFailure(new ApiFailure('unreachable', 'x')).action).toBeUndefined();
  });
});
