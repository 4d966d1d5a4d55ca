/**
 * CORS headers for the public API, so the website and the extension can call it. They go on every
 * answer: success, each error and the preflight, or a browser hides the error from the page.
 */

/** `*`, or the exact origins allowed (scheme://host[:port], as browsers send them). */
export type CorsPolicy =
  { readonly allowAll: true } | { readonly allowAll: false; readonly origins: ReadonlySet<string> };

export const ALLOW_ALL: CorsPolicy = { allowAll: true };

/** REELSENSE_ALLOWED_ORIGINS: comma-separated origins; unset, empty or containing `*` allows all. */
export function corsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): CorsPolicy {
  const origins = (env.REELSENSE_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map(normalizeOrigin)
    .filter((origin) => origin !== '');
  if (origins.length === 0 || origins.includes('*')) return ALLOW_ALL;
  return { allowAll: false, origins: new Set(origins) };
}

export function corsHeaders(policy: CorsPolicy, requestOrigin: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key',
    'Access-Control-Max-Age': '600',
  };
  if (policy.allowAll) return { 'Access-Control-Allow-Origin': '*', ...headers };
  // The answer depends on the Origin header, so caches must keep one copy per origin.
  headers.Vary = 'Origin';
  if (requestOrigin !== undefined && policy.origins.has(normalizeOrigin(requestOrigin))) {
    headers['Access-Control-Allow-Origin'] = requestOrigin;
  }
  return headers;
}

// Scheme and host are case-insensitive, and people paste origins with a trailing slash.
function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}
