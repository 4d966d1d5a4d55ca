/**
 * Debian's Firefox ESR, headless, with the built Firefox extension installed as a temporary
 * add-on, driven by puppeteer-core over WebDriver BiDi (the remote protocol Firefox ships).
 *
 * Why a second library beside playwright-core (scripts/chromium.ts): playwright-core drives only
 * its own patched Firefox builds (the Juggler protocol), not a stock Firefox such as firefox-esr;
 * puppeteer-core speaks WebDriver BiDi, which stock Firefox implements. Puppeteer also loads
 * unpacked extensions in Chromium, so it could in principle replace playwright-core there too;
 * the Chromium tests and the benchmark are not migrated.
 *
 * Two things Firefox's remote agent does not do, and how this file works around them:
 * - It refuses to navigate a tab to `moz-extension://…` ("not allowed in this context") unless it
 *   was started with `--remote-allow-system-access`. Nothing the shipped extension does opens its
 *   popup or options page in a tab on its own; puppeteer exposes no extension background target
 *   over BiDi (`browser.extensions()` and `page.triggerExtensionAction()` are unsupported there,
 *   and Firefox lists no background page), so nothing can ask the extension to call
 *   `tabs.create` or `action.openPopup()` before one of its pages is open. So the test browser
 *   gets that flag. It also lets a BiDi client script Firefox's own windows: fine for a throwaway
 *   headless profile listening on 127.0.0.1, never for a real one. The extension is the shipped
 *   build, unchanged; once its popup is open, it opens the options page itself.
 * - It sends no events from extension pages (Bugzilla 1755014): puppeteer never sees their load,
 *   and `page.url()` stays `about:blank`. Commands still work there (evaluate, input, selectors),
 *   so an extension page counts as open once its own document says so.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../../extension/build/manifest.ts';

export const FIREFOX = '/usr/bin/firefox-esr';
export const HAS_FIREFOX = existsSync(FIREFOX);
/** The add-on's internal UUID in the test profile, so its pages have a known address. */
const UUID = '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const POLL_MS = 100;

export interface FirefoxWithExtension {
  readonly browser: Browser;
  /**
   * Opens one of the extension's pages (`path` inside the build) in a background tab, as the
   * toolbar popup opens over the page being read: that page's tab stays the active one.
   */
  openExtensionPage(path: string): Promise<Page>;
  /** The tab showing the extension's page at `path` once the extension itself has opened it (runtime.openOptionsPage, tabs.create). */
  waitForExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Polls `probe` until it returns a value; throws `Firefox: timed out after … waiting for <what>`
 * after `timeoutMs`, or stops when `signal` aborts.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Firefox: timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function withTimeout<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Firefox: ${what} took longer than ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `page` shows the fully loaded document at `url` (false while it navigates or cannot answer). */
async function shows(page: Page, url: string): Promise<boolean> {
  try {
    return (await page.evaluate(() => (document.readyState === 'complete' ? location.href : ''))) === url;
  } catch {
    return false;
  }
}

export async function launchFirefoxWithExtension(dist: string, timeoutMs = 60_000): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }) },
    timeout: timeoutMs,
    protocolTimeout: timeoutMs,
  });
  const url = (path: string): string => `moz-extension://${UUID}/${path}`;
  try {
    await withTimeout(`installing the add-on from ${dist}`, browser.installExtension(dist), timeoutMs);
  } catch (error) {
    await browser.close();
    throw error;
  }

  return {
    browser,
    async openExtensionPage(path) {
      const target = url(path);
      const page = await browser.newPage({ background: true });
      // Puppeteer's goto waits for load events Firefox never sends from extension pages: the
      // navigation starts, the page's own document says when it is done, then that wait stops.
      const stop = new AbortController();
      const navigation = page.goto(target, { signal: stop.signal }).then(
        () => undefined,
        (error: unknown) => {
          if (!stop.signal.aborted) throw error;
        },
      );
      const loaded = waitFor(
        `${target} to load`,
        async () => ((await shows(page, target)) ? true : undefined),
        timeoutMs,
        stop.signal,
      );
      try {
        await Promise.race([navigation, loaded]);
      } finally {
        stop.abort();
      }
      await navigation;
      return page;
    },
    async waitForExtensionPage(path) {
      const target = url(path);
      return waitFor(
        `a tab showing ${target}`,
        async () => {
          for (const page of await browser.pages()) if (await shows(page, target)) return page;
          return undefined;
        },
        timeoutMs,
      );
    },
    async close() {
      try {
        await withTimeout('closing', browser.close(), 15_000);
      } catch {
        browser.process()?.kill('SIGKILL');
      }
    },
  };
}
