/**
 * The content script. Declared in the manifest for the four sites' review pages, and injected
 * on the user's click anywhere else (the popup's "Analyse this page", or a selection). On a
 * site the user has switched on, it marks the reviews at once and follows the page, across the
 * site's own in-app navigation too (navigation.ts); it answers the popup (page summary), the
 * background (selection popover) and follows the site switch.
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
import type { SiteAdapter } from './adapters/types.ts';
import { PageMarker } from './marker.ts';
import { watchNavigation } from './navigation.ts';
import { selectedText, showPopover } from './popover.ts';
import { closeBadgePopover, followBadges } from './review-popover.ts';

/** When the page began: the script's start, or the last in-app navigation (the summary's markedAfterMs). */
let startedAt = performance.now();
/** The site adapter for the page's current address; it changes when a single-page app navigates. */
let siteAdapter = adapterFor(new URL(location.href));
let marker: PageMarker | undefined;
/** The settings last read, to decide whether to mark a page the app navigated to. */
let settings: Settings | undefined;

const classify = async (texts: readonly string[]) => toBackground({ type: 'classify', texts });
const explain = async (text: string) => toBackground({ type: 'explain', text });

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

function startMarking(adapter: SiteAdapter): Promise<void> {
  closeBadgePopover();
  marker?.stop();
  marker = new PageMarker(document, adapter, classify, { startedAt });
  return marker.start();
}

function applySettings(latest: Settings): void {
  settings = latest;
  if (siteAdapter === undefined) return;
  const on = siteEnabled(latest, siteAdapter.id);
  if (on && (marker === undefined || marker.stopped)) void startMarking(siteAdapter);
  if (!on && marker !== undefined && marker.adapter === siteAdapter) {
    closeBadgePopover();
    marker.stop();
  }
}

/**
 * The app went to `url` without loading a page. The same adapter (IMDb's title page to its
 * reviews): the marker stays, keeps the marks of reviews still shown and marks the new ones. Another
 * site adapter: the old marks go and the new page is marked if its site is on. No site adapter:
 * a site's marker stops quietly; a marker the user started on request (the generic adapter) keeps
 * following the page, as it did before.
 */
function followNavigation(url: URL): void {
  const next = adapterFor(url);
  siteAdapter = next;
  startedAt = performance.now();
  if (marker !== undefined) {
    // A stopped marker (the site switched off) stays, so the popup still says so.
    if (marker.adapter === next) {
      void marker.navigated(startedAt);
      return;
    }
    if (next === undefined && marker.adapter === genericAdapter && !marker.stopped) return;
    closeBadgePopover();
    marker.stop();
    marker = undefined;
  }
  if (settings !== undefined) applySettings(settings);
}

/** Whether the page's site adapter is there and switched on (as far as the settings are read yet). */
function siteOn(): boolean {
  return siteAdapter !== undefined && (settings === undefined || siteEnabled(settings, siteAdapter.id));
}

async function answer(request: ContentRequest): Promise<ContentReplies[keyof ContentReplies]> {
  switch (request.type) {
    case 'ping':
      return { ready: true };
    case 'page-summary':
      return marker?.summary() ?? emptySummary(siteAdapter, siteOn());
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
  // A badge pressed: its popover, with what decided the verdict highlighted in the review.
  followBadges(document, (host) => marker?.reviewOf(host), explain, new AbortController().signal);
  // Followed on every page the script runs on: a page no adapter handles (IMDb's cast list) may
  // navigate in-app to one that is (the title's reviews).
  watchNavigation(window, followNavigation, { signal: new AbortController().signal });
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
