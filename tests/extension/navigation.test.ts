/**
 * navigation.ts in jsdom: a single-page app's route change (history.pushState, then the new page
 * drawn) is reported once, with the new URL; so are back and forward (popstate) and the Navigation
 * API's currententrychange where the browser has it; a fragment jump is not a new page; nothing is
 * reported once the signal aborts.
 */
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { watchNavigation } from '../../extension/src/content/navigation.ts';

const TITLE = 'https://www.imdb.com/title/tt0000001/';
const REVIEWS = 'https://www.imdb.com/title/tt0000001/reviews/';

type View = Window & typeof globalThis;

let controller = new AbortController();
afterEach(() => {
  controller.abort();
});

function app(): { view: View; seen: string[]; draw: (text: string) => void } {
  controller = new AbortController();
  const { window } = new JSDOM('<!doctype html><body><main><p>title</p></main></body>', { url: TITLE });
  const view = window as unknown as View;
  const seen: string[] = [];
  watchNavigation(view, (url) => seen.push(url.href), { signal: controller.signal });
  const draw = (text: string): void => {
    const main = view.document.querySelector('main');
    const p = view.document.createElement('p');
    p.textContent = text;
    main?.replaceChildren(p);
  };
  return { view, seen, draw };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('watchNavigation', () => {
  it('reports a pushState once the app draws the new page, once', async () => {
    const { view, seen, draw } = app();
    view.history.pushState({}, '', '/title/tt0000001/reviews/');
    await tick();
    // No Navigation API in jsdom, no popstate for pushState: the DOM change tells.
    expect(seen).toEqual([]);
    draw('reviews');
    await tick();
    draw('reviews, more');
    await tick();
    expect(seen).toEqual([REVIEWS]);
  });

  it('reports back and forward (popstate)', async () => {
    const { view, seen, draw } = app();
    view.history.pushState({}, '', '/title/tt0000001/reviews/');
    draw('reviews');
    await tick();
    view.history.back();
    await tick();
    expect(seen).toEqual([REVIEWS, TITLE]);
    view.history.forward();
    await tick();
    expect(seen).toEqual([REVIEWS, TITLE, REVIEWS]);
  });

  it("uses the Navigation API's currententrychange where there is one", () => {
    controller = new AbortController();
    const { window } = new JSDOM('<!doctype html><body></body>', { url: TITLE });
    const navigation = new window.EventTarget();
    Object.defineProperty(window, 'navigation', { value: navigation });
    const seen: string[] = [];
    watchNavigation(window as unknown as View, (url) => seen.push(url.href), { signal: controller.signal });
    window.history.replaceState({}, '', '/title/tt0000001/reviews/');
    navigation.dispatchEvent(new window.Event('currententrychange'));
    expect(seen).toEqual([REVIEWS]);
  });

  it('ignores a fragment jump, and stops when the signal aborts', async () => {
    const { view, seen, draw } = app();
    view.location.hash = '#reviews';
    draw('scrolled');
    await tick();
    expect(seen).toEqual([]);
    controller.abort();
    view.history.pushState({}, '', '/title/tt0000001/reviews/');
    draw('reviews');
    await tick();
    expect(seen).toEqual([]);
  });
});
