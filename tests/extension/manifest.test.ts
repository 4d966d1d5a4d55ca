/**
 * The manifest's promises, pinned: least privilege (the exact permissions, host access only
 * through content scripts on the four sites and an optional, run-time grant for the API), a
 * content security policy that allows WebAssembly and nothing looser, and content-script URLs
 * that cover exactly the pages the site adapters handle. A change here is a change users see at
 * install time: update the test on purpose.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFor, siteAdapters } from '../../extension/src/content/adapters/index.ts';
import { FIREFOX_MIN_VERSION, GECKO_ID, manifestFor, readManifestSource } from '../../extension/build/manifest.ts';
import { ROOT } from './helpers/paths.ts';

const source = readManifestSource(new URL('../../manifest.json', import.meta.url));
const packageVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface ContentScript {
  matches: string[];
  js: string[];
  run_at?: string;
}
const contentScripts = source.content_scripts as ContentScript[];
const matches = contentScripts[0]?.matches ?? [];

/** A match pattern (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns) as a RegExp. */
function patternToRegExp(pattern: string): RegExp {
  const parsed = /^(https?|\*):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/.exec(pattern);
  if (parsed === null) throw new Error(`not a match pattern: ${pattern}`);
  const [, scheme = '', host = '', path = ''] = parsed;
  const escape = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemePart = scheme === '*' ? 'https?' : scheme;
  const hostPart =
    host === '*' ? '[^/]+' : host.startsWith('*.') ? `(?:[^/]+\\.)?${escape(host.slice(2))}` : escape(host);
  return new RegExp(`^${schemePart}://${hostPart}${path.split('*').map(escape).join('.*')}$`);
}

const declared = (url: string): boolean =>
  matches.some((pattern) => patternToRegExp(pattern).test(url.split('?')[0] ?? url));

describe('manifest.json (the source crxjs builds from)', () => {
  it('is Manifest V3 with the package version', () => {
    expect(source.manifest_version).toBe(3);
    expect(source.version).toBe(packageVersion);
  });

  it('asks for exactly these permissions, and for no host at install', () => {
    expect(source.permissions).toEqual(['activeTab', 'contextMenus', 'scripting', 'storage']);
    expect(source.host_permissions).toBeUndefined();
    // The API's host is asked for at run time, when the user sets an API URL.
    expect(source.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    expect(source.optional_permissions).toBeUndefined();
    expect(source.web_accessible_resources).toBeUndefined();
    expect(source.externally_connectable).toBeUndefined();
  });

  it("allows WebAssembly and nothing looser on the extension's pages", () => {
    expect(source.content_security_policy).toEqual({
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    });
  });

  it('runs its content scripts on the four sites only: the model warm-up early, the marking once the page is loaded', () => {
    expect(contentScripts.map((script) => [script.js, script.run_at])).toEqual([
      [['extension/src/content/index.ts'], 'document_idle'],
      [['extension/src/content/warm-up.ts'], 'document_start'],
    ]);
    expect(contentScripts[1]?.matches).toEqual(matches);
    expect(matches).toEqual([
      'https://*.imdb.com/title/*',
      'https://*.imdb.com/review/*',
      'https://*.imdb.com/*/title/*',
      'https://*.imdb.com/*/review/*',
      'https://*.rottentomatoes.com/m/*',
      'https://*.letterboxd.com/film/*',
      'https://*.letterboxd.com/*/film/*',
      'https://*.letterboxd.com/*/films/reviews*',
      'https://*.metacritic.com/movie/*',
    ]);
  });

  it('has a rebindable command for analysing the selection', () => {
    expect(source.commands).toEqual({
      'analyse-selection': { suggested_key: { default: 'Alt+Shift+S' }, description: 'Analyse the selected text' },
    });
  });

  it('points at files that exist', () => {
    const action = source.action as { default_popup: string };
    const options = source.options_ui as { page: string };
    const scripts = contentScripts.flatMap((script) => script.js);
    for (const path of [source.background?.service_worker ?? '', action.default_popup, options.page, ...scripts]) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
  });
});

describe('content-script URLs and the site adapters agree', () => {
  // Review pages each adapter handles: the content script must run there.
  it.each([
    'https://www.imdb.com/title/tt0111161/reviews/?ref_=tt_urv_sm',
    'https://www.imdb.com/title/tt0111161/',
    'https://m.imdb.com/title/tt0111161/reviews',
    'https://www.imdb.com/fr/title/tt0111161/reviews/',
    'https://www.imdb.com/review/rw1234567/',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption/reviews?type=user',
    'https://www.rottentomatoes.com/m/the_shawshank_redemption/reviews/all-audiences',
    'https://letterboxd.com/film/parasite-2019/',
    'https://letterboxd.com/film/parasite-2019/reviews/by/activity/',
    'https://letterboxd.com/someone/film/parasite-2019/',
    'https://letterboxd.com/someone/films/reviews/',
    'https://www.metacritic.com/movie/parasite/',
    'https://www.metacritic.com/movie/parasite/critic-reviews/',
  ])('%s: declared and handled', (url) => {
    expect(declared(url)).toBe(true);
    expect(adapterFor(url)).toBeDefined();
  });

  // Pages the extension has no business on until the user asks.
  it.each([
    'https://www.imdb.com/',
    'https://www.imdb.com/name/nm0000151/',
    'https://www.imdb.com/chart/top/',
    'https://www.rottentomatoes.com/',
    'https://www.rottentomatoes.com/browse/movies_in_theaters',
    'https://letterboxd.com/',
    'https://letterboxd.com/someone/',
    'https://www.metacritic.com/game/elden-ring/',
    'https://example.com/film/review',
    'http://www.imdb.com/title/tt0111161/',
    'https://www.imdb.com.evil.example/title/tt0111161/',
  ])('%s: not declared', (url) => {
    expect(declared(url)).toBe(false);
  });

  it('every site adapter has a content-script URL, and every URL belongs to one site', () => {
    const sites = siteAdapters.map((adapter) => adapter.id).sort();
    expect(sites).toEqual(['imdb', 'letterboxd', 'metacritic', 'rottentomatoes']);
    const hosts = matches.map((pattern) => /^https:\/\/\*\.([^/]+)\//.exec(pattern)?.[1]);
    expect(new Set(hosts)).toEqual(new Set(['imdb.com', 'rottentomatoes.com', 'letterboxd.com', 'metacritic.com']));
  });
});

describe('the Firefox variant', () => {
  const firefox = manifestFor(source, 'firefox');

  it('runs the same background as an event page, names the add-on, and drops the Chrome-only key', () => {
    expect(firefox.background).toEqual({ scripts: [source.background?.service_worker] });
    expect(firefox.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    });
    expect(firefox.minimum_chrome_version).toBeUndefined();
  });

  it('asks for the same permissions under the same policy as Chrome', () => {
    for (const key of [
      'permissions',
      'optional_host_permissions',
      'content_security_policy',
      'content_scripts',
      'commands',
    ]) {
      expect(firefox[key], key).toEqual(source[key]);
    }
  });

  it('leaves Chrome the manifest as written', () => {
    expect(manifestFor(source, 'chrome')).toEqual(source);
  });
});
