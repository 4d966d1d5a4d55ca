/**
 * Follows a page that adds reviews later (infinite scroll, "load more", a client-side render):
 * one MutationObserver on the document, calling back `delayMs` after the first addition of a burst
 * (so a page that never stops changing still gets scanned), until the signal aborts. Additions that are only the extension's own
 * nodes (badges, the popover) are ignored, so marking a review does not trigger another scan.
 */
export interface ObserveOptions {
  readonly signal: AbortSignal;
  /** Ignore added nodes for which this is true. */
  readonly ignore?: (node: Node) => boolean;
  readonly delayMs?: number;
}

export const DELAY_MS = 100;
const DOCUMENT_NODE = 9;

export function observeAdditions(root: Node, onAdded: () => void, options: ObserveOptions): void {
  const { signal, ignore = () => false, delayMs = DELAY_MS } = options;
  if (signal.aborted) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const doc = root.nodeType === DOCUMENT_NODE ? (root as Document) : root.ownerDocument;
  const view = doc?.defaultView ?? globalThis;
  const observer = new view.MutationObserver((records) => {
    const relevant = records.some((record) => [...record.addedNodes].some((node) => !ignore(node)));
    if (!relevant || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      onAdded();
    }, delayMs);
  });
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      clearTimeout(timer);
    },
    { once: true },
  );
}
