/**
 * The user's settings, kept in storage.local under one key: the mode (on-device, the default, or
 * the public API at a URL the user gives, with an optional API key), and a switch per site. What
 * storage holds is `unknown` until parsed; anything unreadable falls back to the default, so a
 * damaged value never stops the extension. The API key is never logged or sent anywhere but the
 * configured API.
 */
import { parseApiUrl } from '../../../../public-api/api-url.ts';

export type Mode = 'on-device' | 'api';

export interface Settings {
  readonly mode: Mode;
  /** The API's base URL (POST {apiUrl}/sentiment); '' until the user sets one. */
  readonly apiUrl: string;
  /** Sent as X-Api-Key to apiUrl only; '' for none. */
  readonly apiKey: string;
  /** Per-site switches by adapter id; a site not listed is on. */
  readonly sites: Readonly<Record<string, boolean>>;
}

export const SETTINGS_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = { mode: 'on-device', apiUrl: '', apiKey: '', sites: {} };

export function parseSettings(value: unknown): Settings {
  if (typeof value !== 'object' || value === null) return DEFAULT_SETTINGS;
  const raw = value as Record<string, unknown>;
  const apiUrl = typeof raw.apiUrl === 'string' && parseApiUrl(raw.apiUrl).ok ? raw.apiUrl : '';
  const sites: Record<string, boolean> = {};
  if (typeof raw.sites === 'object' && raw.sites !== null) {
    for (const [id, on] of Object.entries(raw.sites)) if (typeof on === 'boolean') sites[id] = on;
  }
  return {
    // API mode needs a URL; without one the extension stays on-device.
    mode: raw.mode === 'api' && apiUrl !== '' ? 'api' : 'on-device',
    apiUrl,
    apiKey: typeof raw.apiKey === 'string' ? raw.apiKey : '',
    sites,
  };
}

export function siteEnabled(settings: Settings, siteId: string): boolean {
  return settings.sites[siteId] ?? true;
}

export function withSite(settings: Settings, siteId: string, on: boolean): Settings {
  return { ...settings, sites: { ...settings.sites, [siteId]: on } };
}

/** The host permission an API URL needs: its scheme and host (match patterns carry no port). */
export function originPattern(apiUrl: string): string {
  const url = new URL(apiUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
