/**
 * The background: Chrome's MV3 service worker, Firefox's MV3 event page (the same code). It owns
 * the model (on-device mode), the API client (API mode), the context menu and the keyboard
 * command. Listeners are registered synchronously at the top level, as MV3 requires, so the
 * browser can wake the worker for any of them.
 */
import browser, { type Menus, type Runtime, type Tabs } from 'webextension-polyfill';
import { handleMessage } from './router.ts';
import { analyseSelection, analyseSelectionInTab, COMMAND, createMenus, MENU_ID } from './selection.ts';

async function onMenuClicked(info: Menus.OnClickData, tab: Tabs.Tab | undefined): Promise<void> {
  if (info.menuItemId !== MENU_ID) return;
  await analyseSelection(info.selectionText ?? '', tab?.id, info.frameId ?? 0);
}

async function onCommand(command: string, tab: Tabs.Tab | undefined): Promise<void> {
  if (command !== COMMAND) return;
  const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId !== undefined) await analyseSelectionInTab(tabId);
}

browser.runtime.onInstalled.addListener(() => void createMenus());
browser.runtime.onStartup.addListener(() => void createMenus());
browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  handleMessage(message, sender),
);

// The listeners themselves, for the worker's console and the end-to-end test, which cannot open
// a native context menu or press a browser shortcut: reelsense.onMenuClicked({menuItemId, selectionText}, tab).
Object.assign(globalThis, { reelsense: { onMenuClicked, onCommand } });
