/**
 * The public API's address, as every client takes it: a typed or deployed URL is checked the same
 * way by the website, the extension's options and the CDK website stack (which writes the meta
 * tag). Browser-safe.
 */

/** The meta tag in which a deployment gives the page its API URL. */
export const API_URL_META_NAME = 'reelsense-api-url';
/** The local gateway's port (REELSENSE_API_PORT in the local stack). */
export const DEFAULT_API_PORT = 3000;

export type ParsedApiUrl =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

const EXAMPLE = 'http://localhost:3000';

/** Checks a typed or linked API URL: absolute http(s), no credentials, query or fragment. */
export function parseApiUrl(raw: string): ParsedApiUrl {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: `Enter the API URL, for example ${EXAMPLE}.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `That is not a full URL; it should look like ${EXAMPLE}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'The API URL must start with http:// or https://.' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'The API URL must not carry a user name or password.' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, reason: 'The API URL must not have a query (?…) or a fragment (#…).' };
  }
  // The client appends /sentiment; a deployment may live under a stage path such as /prod.
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
