// @vitest-environment jsdom
/** The page's glue around the kit: the review field's status and the answer region's states. */
import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../public-api/client.ts';
import { renderAnswer, reviewStatus } from '../../website/src/view.ts';

describe('reviewStatus', () => {
  it('counts against the limit', () => {
    expect(reviewStatus('  ', 20_000)).toEqual({
      kind: 'empty',
      counter: '2 / 20,000 characters',
      message: 'Write or paste a review to analyse it.',
    });
    expect(reviewStatus('x'.repeat(20_000), 20_000)).toMatchObject({
      kind: 'ok',
      counter: '20,000 / 20,000 characters',
    });
    expect(reviewStatus('x'.repeat(20_005), 20_000)).toEqual({
      kind: 'over',
      counter: '20,005 / 20,000 characters (5 over)',
      message: 'The review is over the 20,000-character limit: shorten it to analyse it.',
    });
  });
});

describe('renderAnswer', () => {
  it('shows idle and loading without taking focus, marking the region busy while loading', () => {
    const region = document.createElement('section');
    expect(renderAnswer(region, { kind: 'loading' })).toBeUndefined();
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(region.dataset.state).toBe('loading');
    expect(region.textContent).toBe('Reading the review…');
    expect(renderAnswer(region, { kind: 'idle' })).toBeUndefined();
    expect(region.querySelector('.answer__idle')?.textContent).toBe('The verdict will appear here.');
    expect(region.getAttribute('aria-busy')).toBe('false');
  });

  it('shows the full verdict and hands it back for focus', () => {
    const region = document.createElement('section');
    const focus = renderAnswer(region, {
      kind: 'result',
      response: { results: [{ label: 'positive', score: 0.97, readable: 1 }], model: 'rnn-v3' },
      elapsedMs: 12,
    });
    expect(region.dataset.state).toBe('result');
    expect(focus?.matches('article.verdict[data-reelsense-label="positive"]')).toBe(true);
    expect(region.firstElementChild).toBe(focus);
  });

  it('shows the problem, with the way to the API URL setting where it helps', () => {
    const region = document.createElement('section');
    const openSettings = vi.fn();
    const focus = renderAnswer(
      region,
      { kind: 'error', failure: new ApiFailure('unreachable', "Can't reach the ReelSense API at x.") },
      { openSettings },
    );
    expect(region.dataset.state).toBe('error');
    expect(focus?.dataset.errorKind).toBe('unreachable');
    expect(focus?.querySelector('.problem__title')?.textContent).toBe("Can't reach the API");
    focus?.querySelector('button')?.click();
    expect(openSettings).toHaveBeenCalledOnce();
  });
});
