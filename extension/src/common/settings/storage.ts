/** Reading, writing and following the settings in storage.local (see settings.ts). */
import browser from 'webextension-polyfill';
import { parseSettings, SETTINGS_KEY, type Settings } from './settings.ts';

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return parseSettings(stored[SETTINGS_KEY]);
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}

export async function updateSettings(change: (current: Settings) => Settings): Promise<Settings> {
  const next = change(await loadSettings());
  await saveSettings(next);
  return next;
}

/** Calls `listener` with the new settings whenever they change; stops when `signal` aborts. */
export function onSettingsChanged(listener: (settings: Settings) => void, signal?: AbortSignal): void {
  const handle = (changes: Record<string, browser.Storage.StorageChange>, area: string): void => {
    const change = changes[SETTINGS_KEY];
    if (area === 'local' && change !== undefined) listener(parseSettings(change.newValue));
  };
  browser.storage.onChanged.addListener(handle);
  signal?.addEventListener('abort', () => {
    browser.storage.onChanged.removeListener(handle);
  });
}
