/**
 * The API's host permission, asked for at run time when the user sets an API URL, and given
 * back when it is no longer used. The manifest only lists it as optional
 * (`optional_host_permissions`), so installing the extension grants no host beyond the four
 * sites' content scripts. Match patterns carry no port: the grant covers the host.
 */
import browser from 'webextension-polyfill';
import { originPattern } from './settings.ts';

/**
 * Must be called straight from the user's click (Firefox refuses it after an await).
 * Resolves to whether the permission is held.
 */
export function requestApiPermission(apiUrl: string): Promise<boolean> {
  return browser.permissions.request({ origins: [originPattern(apiUrl)] });
}

export async function releaseApiPermission(apiUrl: string): Promise<void> {
  if (apiUrl === '') return;
  try {
    await browser.permissions.remove({ origins: [originPattern(apiUrl)] });
  } catch {
    // Not held, or a pattern the browser no longer knows: nothing to give back.
  }
}
