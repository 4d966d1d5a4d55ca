/**
 * The content script. Declared in the manifest for the four sites' review pages, and injected
 * on the user's click anywhere else (the popup's "Analyse this page", or a selection). On a
 * site the user has switched on, it marks the reviews at once and follows the page; it answers
 * the popup (page summary), the background (selection popover) and follows the site switch.
 */
import browser from 'webextension-polyfill';
import { failed, ok, problemFrom } from '../common/messages/reply.ts';
import { toBackground } from '../common/messages/send.ts';
import { emptySummary, type ContentReplies, type ContentRequest, type Reply } from '../common/messages/types.ts';
import { parseContentRequest } from '../common/messages/validate.ts';
import { siteEnabled, type Settings } from '../common/settings/settings.ts';
import { loadSettings, onSettingsChanged } from '../common/settings/storage.ts';
import { adapterFor, genericAdapter } from './adapters/index.ts';
import { BADGE_ATTRIBUTE, LABEL_ATTRIBUTE, SCORE_ATTRIBUTE } from './badge.ts';
import { PageMarker } from './marker.ts';
import { selectedText, showPopover } from './popover.ts';

const startedAt = performance.now();
const siteAdapter = adapterFor(new URL(location.href));
let marker: PageMarker | undefined;

const classify = async (texts: readonly string[]) => toBackground({ type: 'classify', texts });

/**
 * Badges left by an earlier copy of this script (the extension was updated or reloaded), with the
 * marks on their reviews. Only elements that hold one of our badges are touched: a page may use
 * data-reelsense-* attributes itself (the ReelSense website does).
 */
function removeLeftovers(): void {
  for (const host of document.querySelectorAll(`[${BADGE_ATTRIBUTE}]`)) {
    const review = host.parentElement;
    host.remove();
    review?.removeAttribute(LABEL_ATTRIBUTE);
    review?.removeAttribute(SCORE_ATTRIBUTE);
  }
}

function startMarking(adapter: NonNullable<typeof siteAdapter>): Promise<void> {
  marker?.stop();
  marker = new PageMarker(document, adapter, classify, { startedAt });
  return marker.start();
}

function applySettings(settings: Settings): void {
  if (siteAdapter === undefined) return;
  const on = siteEnabled(settings, siteAdapter.id);
  if (on && (marker === undefined || marker.stopped)) void startMarking(siteAdapter);
  if (!on && marker !== undefined && marker.adapter === siteAdapter) marker.stop();
}

async function answer(request: ContentRequest): Promise<ContentReplies[keyof ContentReplies]> {
  switch (request.type) {
    case 'ping':
      return { ready: true };
    case 'page-summary':
      return marker?.summary() ?? emptySummary(siteAdapter, siteAdapter !== undefined && !(marker?.stopped ?? false));
    case 'mark-page':
      // On request: the page's own adapter if it has one and is on, the generic one otherwise.
      if (marker === undefined || marker.stopped) await startMarking(siteAdapter ?? genericAdapter);
      await marker?.settled();
      return marker?.summary() ?? emptySummary(siteAdapter, false);
    case 'read-selection':
      return { text: selectedText(document) };
    case 'show-selection':
      showPopover(document, request.answer);
      return { shown: true };
  }
}

async function handle(message: unknown): Promise<Reply<ContentReplies[keyof ContentReplies]>> {
  const parsed = parseContentRequest(message);
  if (!parsed.ok) return failed(parsed.problem);
  try {
    return ok(await answer(parsed.request));
  } catch (error) {
    return failed(problemFrom(error, 'ReelSense could not do that on this page.'));
  }
}

function main(): void {
  removeLeftovers();
  browser.runtime.onMessage.addListener((message: unknown) => handle(message));
  if (siteAdapter === undefined) return;
  void loadSettings().then(applySettings);
  onSettingsChanged(applySettings);
}

// The script may be injected into a page that already runs it (a site page, a second click).
const FLAG = Symbol.for('reelsense.content');
const scope = globalThis as { [FLAG]?: true };
if (scope[FLAG] === undefined) {
  scope[FLAG] = true;
  main();
}
