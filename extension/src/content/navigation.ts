/**
 * Follows the page's address through same-document navigations: a single-page app (IMDb runs on
 * Next.js) going from a title to its reviews calls `history.pushState` and swaps the DOM, with no
 * new document and so no new content script. `onChange` is called with the new URL once per change
 * of address (the fragment aside: a "#reviews" jump is not a new page), until the signal aborts.
 *
 * Why these signals, and not others: a content script runs in an isolated world, so wrapping the
 * page's `history.pushState` would wrap our copy, not the page's; and the background's
 * `webNavigation.onHistoryStateUpdated` would cost the "webNavigation" permission (a new install
 * warning) for what the page itself can tell us. So, with no permission at all, three signals,
 * each only prompting a look at `location.href` (a change is acted on once, whichever saw it first):
 *
 * - the Navigation API's `currententrychange` (Chrome 102+, Firefox 147+): fires for pushState,
 *   replaceState and back/forward, at once, whoever called them, content scripts included;
 * - `popstate`, for back/forward where the Navigation API is missing (Firefox 140–146, the oldest
 *   Firefox the manifest allows);
 * - any DOM mutation: a route change always changes the DOM (the new page has to be drawn), so a
 *   pushState the two events above cannot see (Firefox before 147) is seen when the new page
 *   appears. The check is one string comparison per batch of mutations.
 */

/** The part of the Navigation API used here (TypeScript's DOM library does not declare it yet). */
interface NavigationLike {
  addEventListener(type: 'currententrychange', listener: () => void): void;
  removeEventListener(type: 'currententrychange', listener: () => void): void;
}

export interface WatchOptions {
  readonly signal: AbortSignal;
}

/** The address without its fragment: what tells one page from another. */
function pageAddress(href: string): string {
  const hash = href.indexOf('#');
  return hash === -1 ? href : href.slice(0, hash);
}

export function watchNavigation(
  view: Window & typeof globalThis,
  onChange: (url: URL) => void,
  options: WatchOptions,
): void {
  const { signal } = options;
  if (signal.aborted) return;
  let last = pageAddress(view.location.href);
  const check = (): void => {
    if (signal.aborted) return;
    const href = view.location.href;
    const address = pageAddress(href);
    if (address === last) return;
    last = address;
    onChange(new URL(href));
  };
  const { navigation } = view as Window & { navigation?: NavigationLike };
  navigation?.addEventListener('currententrychange', check);
  view.addEventListener('popstate', check);
  const observer = new view.MutationObserver(check);
  observer.observe(view.document, { childList: true, subtree: true });
  // Taken off by hand, not by addEventListener's `signal` option: the signal may come from another
  // realm than the page's window (a Firefox content script's sandbox; jsdom in the tests).
  signal.addEventListener(
    'abort',
    () => {
      navigation?.removeEventListener('currententrychange', check);
      view.removeEventListener('popstate', check);
      observer.disconnect();
    },
    { once: true },
  );
}
