/**
 * Where the page sends reviews. In order: `?api=<url>` in the page's address (a link can point
 * the page at any deployment), the URL the user saved in the settings (localStorage), or the
 * default: the API a deployment wrote into the page (`<meta name="reelsense-api-url">`, put there
 * by backend/infra's website stack), else the local gateway on the page's own host,
 * `http://<hostname>:3000`. A `?api=` value is used but not remembered: following a shared link
 * should not change the page for good.
 */

import { API_URL_META_NAME, DEFAULT_API_PORT, parseApiUrl, type ParsedApiUrl } from '../../public-api/api-url.ts';

export const QUERY_PARAMETER = 'api';
export const STORAGE_KEY = 'reelsense.apiUrl';

export type ApiUrlSource = 'query' | 'stored' | 'default';

export interface ApiUrlSetting {
  readonly url: string;
  readonly source: ApiUrlSource;
  /** A value that was present but refused, so the page can say why it was not used. */
  readonly ignored?: { readonly source: 'query' | 'stored'; readonly value: string; readonly reason: string };
}

export interface SettingsEnvironment {
  readonly location: Pick<Location, 'search' | 'hostname'>;
  readonly storage: Storage | undefined;
  readonly defaultPort?: number;
}

/** The API URL a deployment wrote into the page, if there is a valid one. */
export function deployedApiUrl(page: Pick<Document, 'querySelector'> | undefined = pageDocument()): string | undefined {
  const content = page?.querySelector(`meta[name="${API_URL_META_NAME}"]`)?.getAttribute('content');
  if (content === null || content === undefined) return undefined;
  const parsed = parseApiUrl(content);
  return parsed.ok ? parsed.url : undefined;
}

/**
 * The deployment's API (see deployedApiUrl), else the local gateway on the host that served the
 * page (127.0.0.1 for a page opened from a file).
 */
export function defaultApiUrl(
  hostname: string,
  port: number = DEFAULT_API_PORT,
  page: Pick<Document, 'querySelector'> | undefined = pageDocument(),
): string {
  const deployed = deployedApiUrl(page);
  if (deployed !== undefined) return deployed;
  const host = hostname === '' ? '127.0.0.1' : hostname;
  // URL.hostname keeps IPv6 brackets; add them if a caller passed a bare address.
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

export function resolveApiUrl(env: SettingsEnvironment = browserEnvironment()): ApiUrlSetting {
  let ignored: ApiUrlSetting['ignored'];
  const fromQuery = new URLSearchParams(env.location.search).get(QUERY_PARAMETER);
  if (fromQuery !== null) {
    const parsed = parseApiUrl(fromQuery);
    if (parsed.ok) return { url: parsed.url, source: 'query' };
    ignored = { source: 'query', value: fromQuery, reason: parsed.reason };
  }
  const stored = readStorage(env.storage);
  if (stored !== undefined) {
    const parsed = parseApiUrl(stored);
    if (parsed.ok)
      return ignored === undefined
        ? { url: parsed.url, source: 'stored' }
        : { url: parsed.url, source: 'stored', ignored };
    ignored ??= { source: 'stored', value: stored, reason: parsed.reason };
  }
  const url = defaultApiUrl(env.location.hostname, env.defaultPort);
  return ignored === undefined ? { url, source: 'default' } : { url, source: 'default', ignored };
}

/** Validates and saves the URL; an invalid one is refused and nothing is saved. */
export function rememberApiUrl(raw: string, storage: Storage | undefined = browserStorage()): ParsedApiUrl {
  const parsed = parseApiUrl(raw);
  if (!parsed.ok) return parsed;
  try {
    storage?.setItem(STORAGE_KEY, parsed.url);
  } catch {
    // Storage full or blocked: the URL still applies to this visit.
  }
  return parsed;
}

export function forgetApiUrl(storage: Storage | undefined = browserStorage()): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget where storage is blocked.
  }
}

function readStorage(storage: Storage | undefined): string | undefined {
  try {
    return storage?.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** localStorage, or undefined where the browser blocks it (reading the property itself can throw). */
export function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The page's document, if there is one. */
function pageDocument(): Document | undefined {
  return (globalThis as { document?: Document }).document;
}

function browserEnvironment(): SettingsEnvironment {
  return { location: globalThis.location, storage: browserStorage() };
}
