/**
 * Puts the content script into a tab that has none yet: a page outside the four sites, on the
 * user's click (activeTab grants this tab for this gesture only). The file is the one the manifest
 * declares for the sites, so the built path is read from the manifest rather than guessed.
 */
import browser from 'webextension-polyfill';
import { toTab } from '../common/messages/send.ts';

/** The main content script's built path: the one that runs at document_idle. */
export function contentScriptFile(): string {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  const file = scripts.find((script) => script.run_at === 'document_idle')?.js?.[0];
  if (file === undefined) throw new Error('The manifest declares no document_idle content script.');
  return file;
}

export async function ensureContentScript(tabId: number, frameId = 0): Promise<void> {
  try {
    await toTab(tabId, { type: 'ping' }, frameId);
    return;
  } catch {
    // Not there yet.
  }
  await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [contentScriptFile()] });
}
