/**
 * The extension's manifest for each browser, from the one source at the repository root
 * (`manifest.json`, read by @crxjs/vite-plugin; its paths are relative to the repository root,
 * which is the Vite root). Chrome takes it as it is. Firefox runs MV3 backgrounds as event pages,
 * not service workers, so its variant lists the same entry under `background.scripts`, names the
 * add-on (`browser_specific_settings.gecko`) and drops the Chrome-only key.
 */
import { readFileSync } from 'node:fs';
import type { ManifestV3Export } from '@crxjs/vite-plugin';

export type TargetBrowser = 'chrome' | 'firefox';

/** The add-on id Firefox stores settings under; it must never change once published. */
export const GECKO_ID = 'reelsense@reelsense.invalid';
/**
 * Firefox 140 (the ESR of 2025-26): MV3 with `optional_host_permissions`, module event pages,
 * `storage.session` and WebAssembly under `'wasm-unsafe-eval'` all came earlier; 140 is the first
 * to read `data_collection_permissions` (142 on Android), which addons.mozilla.org now asks for.
 */
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

export interface ManifestSource {
  readonly manifest_version: number;
  readonly name: string;
  readonly version: string;
  readonly background?: { readonly service_worker: string; readonly type?: string };
  readonly [key: string]: unknown;
}

export function readManifestSource(path: URL): ManifestSource {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${path.pathname} is not a JSON object.`);
  const manifest = parsed as ManifestSource;
  if (manifest.manifest_version !== 3) throw new Error(`${path.pathname} must be Manifest V3.`);
  return manifest;
}

export function manifestFor(source: ManifestSource, browser: TargetBrowser): Record<string, unknown> {
  if (browser === 'chrome') return { ...source };
  const { background } = source;
  if (background === undefined) throw new Error('manifest.json has no background entry.');
  // minimum_chrome_version is Chrome's; Firefox's minimum is strict_min_version below.
  const shared = Object.entries(source).filter(([key]) => key !== 'background' && key !== 'minimum_chrome_version');
  return {
    ...Object.fromEntries(shared),
    // crxjs builds scripts[0] as the background entry and adds its module loader.
    background: { scripts: [background.service_worker] },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the browser unless the user sets an API URL (their own deployment).
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  };
}

/** The same, typed for crx({ manifest }). */
export function crxManifest(source: ManifestSource, browser: TargetBrowser): ManifestV3Export {
  return manifestFor(source, browser) as unknown as ManifestV3Export;
}
