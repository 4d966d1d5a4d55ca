/**
 * The built extension in Debian's Chromium, as ../shared/TOOLCHAIN.md records it: playwright-core
 * with a persistent context, headless, the extension loaded unpacked. Used by the browser tests
 * (tests/browser/) and the benchmark (bench/extension.bench.ts); here, not under tests/ or
 * bench/, so that both may import it. Firefox is driven by puppeteer-core instead
 * (tests/extension/helpers/firefox.ts): playwright-core cannot drive a stock Firefox; puppeteer
 * could drive this Chromium too, but these tests have not moved.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VITE_CONFIG = join(ROOT, 'extension/vite.config.ts');
/** Flags for a quiet, headless Chromium in a container: no sandbox, GPU, QUIC or background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Builds the extension into a fresh temporary folder (a developer's extension/dist stays
 * untouched), which the caller owns and removes. Under `npm test` the build is made once per
 * target for the whole run (BUILD_CACHE_VARIABLE, set by tests/helpers/extension-builds.ts): the
 * first test file to ask builds it, the others wait for it, and each gets its own copy.
 */
export async function buildExtension(target: 'chrome' | 'firefox' = 'chrome'): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), `reelsense-extension-${target}-`));
  const cache = process.env[BUILD_CACHE_VARIABLE];
  if (cache === undefined || cache === '') {
    await viteBuild(target, outDir);
    return outDir;
  }
  cpSync(await sharedBuild(cache, target), outDir, { recursive: true });
  return outDir;
}

/** The folder for one test run's builds, shared by the test files' processes. */
export const BUILD_CACHE_VARIABLE = 'REELSENSE_EXTENSION_BUILD_CACHE';
const SHARED_BUILD_TIMEOUT_MS = 180_000;

function viteBuild(target: 'chrome' | 'firefox', outDir: string): Promise<unknown> {
  return build({ configFile: VITE_CONFIG, mode: target, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

/** The run's build of `target`: made by whichever process takes the lock first (mkdir is atomic). */
async function sharedBuild(cache: string, target: 'chrome' | 'firefox'): Promise<string> {
  const done = join(cache, target);
  const failed = join(cache, `${target}.failed`);
  try {
    mkdirSync(join(cache, `${target}.lock`));
  } catch {
    const deadline = Date.now() + SHARED_BUILD_TIMEOUT_MS;
    while (!existsSync(done)) {
      if (existsSync(failed)) throw new Error(`The ${target} extension build failed: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`No ${target} extension build within ${SHARED_BUILD_TIMEOUT_MS} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return done;
  }
  const partial = `${done}.partial`;
  try {
    await viteBuild(target, partial);
    renameSync(partial, done);
  } catch (error) {
    writeFileSync(failed, error instanceof Error ? error.message : String(error));
    throw error;
  }
  return done;
}

/** The parts of an extension context's globals the tests and the benchmark call inside evaluate(). */
export interface ExtensionGlobals {
  readonly chrome: {
    readonly tabs: {
      query(query: Record<string, unknown>): Promise<{ id?: number }[]>;
      sendMessage(tabId: number, message: unknown): Promise<unknown>;
    };
    readonly runtime: { sendMessage(message: unknown): Promise<unknown> };
    readonly storage: {
      readonly local: { set(items: Record<string, unknown>): Promise<void>; clear(): Promise<void> };
      readonly session: { clear(): Promise<void> };
    };
  };
  /** The background's listeners (extension/src/background/index.ts). */
  readonly reelsense: {
    onMenuClicked(info: Record<string, unknown>, tab: { id: number }): Promise<void>;
    onCommand(command: string, tab: { id: number }): Promise<void>;
  };
}

export interface LoadedExtension {
  readonly context: BrowserContext;
  readonly id: string;
  /** The background service worker. */
  readonly worker: () => Promise<Worker>;
  /** chrome-extension://<id>/<path> */
  url(path: string): string;
  /** The browser's id for the tab showing `page` (brings it to the front). */
  tabIdOf(page: Page): Promise<number>;
  /** What choosing "Analyse the selection" in the context menu does, for `selectionText` in tab `tabId`. */
  clickAnalyseSelection(tabId: number, selectionText: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchWithExtension(dist: string): Promise<LoadedExtension> {
  const profile = mkdtempSync(join(tmpdir(), 'reelsense-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // Playwright passes --disable-extensions by default; without removing it the worker never starts.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
  });
  const worker = async (): Promise<Worker> => {
    // The worker may have been stopped and restarted since: take the live one.
    const [live] = context.serviceWorkers();
    return live ?? (await context.waitForEvent('serviceworker'));
  };
  const id = new URL((await worker()).url()).host;
  return {
    context,
    id,
    worker,
    url: (path) => `chrome-extension://${id}/${path}`,
    async tabIdOf(page) {
      await page.bringToFront();
      const tabId = await (
        await worker()
      ).evaluate(async () => {
        const { chrome } = globalThis as unknown as ExtensionGlobals;
        return (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id;
      });
      if (tabId === undefined) throw new Error('No active tab found.');
      return tabId;
    },
    async clickAnalyseSelection(tabId, selectionText) {
      await (
        await worker()
      ).evaluate(
        async ({ text, id }) => {
          const { reelsense } = globalThis as unknown as ExtensionGlobals;
          await reelsense.onMenuClicked({ menuItemId: 'analyse-selection', selectionText: text, frameId: 0 }, { id });
        },
        { text: selectionText, id: tabId },
      );
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The popup's path in the built extension, from its manifest. */
export function popupPath(manifest: { action?: { default_popup?: string } }): string {
  const path = manifest.action?.default_popup;
  if (path === undefined) throw new Error('The built manifest has no popup.');
  return path;
}
