/**
 * Builds the extension with @crxjs/vite-plugin from the manifest at the repository root.
 *   vite build --config extension/vite.config.ts                  -> extension/dist/chrome
 *   vite build --config extension/vite.config.ts --mode firefox   -> extension/dist/firefox
 * The Vite root is the repository root, so the manifest's paths read the same from there; the
 * content script is one self-contained IIFE file, so it needs no loader and no
 * web_accessible_resources, and the service worker can inject it with scripting.executeScript.
 */
import { fileURLToPath } from 'node:url';
import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import { SHIPPED_ARTIFACT_DIR } from '../model/inference/node.ts';
import { crxManifest, readManifestSource, type TargetBrowser } from './build/manifest.ts';
import { packModel } from './build/model-files.ts';
import { textOnlyDom } from './build/text-only-dom.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Built as self-contained IIFE files: the main content script and the early model warm-up. */
export const CONTENT_SCRIPTS = ['extension/src/content/index.ts', 'extension/src/content/warm-up.ts'];

export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  const source = readManifestSource(new URL('../manifest.json', import.meta.url));
  return {
    root,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: `extension/dist/${browser}`,
      emptyOutDir: true,
      // Chrome 120 and Firefox 128 (the manifest's minimums) both run ES2022.
      target: 'es2022',
      // Readable output: reviewers of an add-on store read it, and the model dominates the size anyway.
      minify: false,
      chunkSizeWarningLimit: 2048,
      // Extension pages load their modules from the package: no preload polyfill needed.
      modulePreload: { polyfill: false },
      // The text-only check takes a few seconds; Rolldown would warn about it on every build.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    plugins: [
      crx({
        manifest: crxManifest(source, browser),
        browser,
        contentScripts: { standaloneFiles: CONTENT_SCRIPTS },
      }),
      packModel(SHIPPED_ARTIFACT_DIR),
      textOnlyDom(root),
    ],
  };
});
