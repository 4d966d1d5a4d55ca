/**
 * The Firefox build in a real Firefox (Debian's firefox-esr, headless, driven by puppeteer-core
 * over WebDriver BiDi; tests/extension/helpers/firefox.ts): it installs, its content script marks
 * every review of the saved IMDb page (tests/fixtures/sites/imdb-reviews-25.html, served at an
 * imdb.com URL through request interception) with one badge and the label the fixture expects,
 * scored on-device in the background (an MV3 event page, not a service worker) with the Node
 * path's scores (within 1e-4); the popup, over that page, summarises it and answers a typed review;
 * its Settings button has the extension open the options page. The rest of the extension's
 * behaviour is covered in Chromium (extension.test.ts); the code is the same.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imdb, siteAdapters } from '../../extension/src/content/adapters/index.ts';
import type { SentimentClassifier } from '../../model/inference/classifier.ts';
import { createNodeClassifier } from '../../model/inference/node.ts';
import { buildExtension, popupPath, ROOT } from '../../scripts/chromium.ts';
import {
  FIREFOX,
  HAS_FIREFOX,
  launchFirefoxWithExtension,
  waitFor,
  type FirefoxWithExtension,
} from '../extension/helpers/firefox.ts';

const REVIEWS_URL = 'https://www.imdb.com/title/tt0000000/reviews/';
const FIXTURE = join(ROOT, 'tests/fixtures/sites/imdb-reviews-25.html');
const REVIEW = 'An absolute masterpiece, moving and beautifully acted. I loved every minute of it.';
const TOLERANCE = 1e-4;
// 2 cores, maybe busy with other tests: be patient.
const SLOW = 180_000;
const STEP = 60_000;

/**
 * Waits until `read` (run in `page`) returns `expected`, or fails with what it returned last. Polled
 * from here: the popup's tab is in the background, where puppeteer's default polling (animation
 * frames) never runs.
 */
async function settle<T>(page: Page, what: string, read: () => T, expected: T): Promise<void> {
  let last: T | string = 'nothing (the page did not answer)';
  try {
    await waitFor(
      what,
      async () => {
        last = await page.evaluate(read).catch(() => last);
        return last === expected ? true : undefined;
      },
      STEP,
    );
  } catch (error) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, still ${JSON.stringify(last)} after ${STEP} ms.`, {
      cause: error,
    });
  }
}

/** What the fixture promises for each review: its label, and its text as the adapter reads it. */
function expectations(root: ParentNode): { label: string; text: string }[] {
  return imdb.find(root).map(({ element, text }) => ({ label: element.dataset.expectedLabel ?? '?', text }));
}

describe.skipIf(!HAS_FIREFOX)(
  HAS_FIREFOX
    ? 'extension in real Firefox'
    : `extension in real Firefox: SKIPPED, ${FIREFOX} not found (apt-get install firefox-esr)`,
  () => {
    let dist: string | undefined;
    let firefox: FirefoxWithExtension | undefined;
    let node: SentimentClassifier;
    let page: Page;
    let popupFile: string;
    let onPage: { label: string; text: string }[];
    const errors: string[] = [];

    beforeAll(async () => {
      [dist, node] = await Promise.all([buildExtension('firefox'), createNodeClassifier()]);
      firefox = await launchFirefoxWithExtension(dist, STEP);
      const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Parameters<typeof popupPath>[0];
      popupFile = popupPath(manifest);
      const html = readFileSync(FIXTURE, 'utf8');
      onPage = expectations(new JSDOM(html).window.document);

      page = await firefox.browser.newPage();
      page.setDefaultTimeout(STEP);
      page.on('pageerror', (error) => errors.push(`page: ${error instanceof Error ? error.message : String(error)}`));
      // The saved page at its real address; nothing else is reachable (the machine may be offline).
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        if (request.url().startsWith('https://www.imdb.com/'))
          void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        else void request.abort();
      });
    }, SLOW);

    afterAll(async () => {
      await firefox?.close();
      if (dist !== undefined) rmSync(dist, { recursive: true, force: true });
    }, SLOW);

    afterEach(() => {
      expect(errors.splice(0)).toEqual([]);
    });

    it(
      'marks every review on the saved IMDb page on-device: one badge each, the expected labels, the Node path’s scores',
      async () => {
        await page.goto(REVIEWS_URL);
        await settle(
          page,
          'reviews marked on the IMDb page',
          () => document.querySelectorAll('[data-reelsense-label]').length,
          onPage.length,
        );
        const marks = await page.$$eval('article.user-review-item', (articles) =>
          articles.map((article) => ({
            label: article.getAttribute('data-reelsense-label'),
            score: Number(article.getAttribute('data-reelsense-score')),
            badges: article.querySelectorAll('[data-reelsense-badge]').length,
            words: article.querySelector('[data-reelsense-badge]')?.shadowRoot?.querySelector('.badge')?.textContent,
          })),
        );
        expect(marks.map((m) => m.label)).toEqual(onPage.map((r) => r.label));
        expect(marks.every((m) => m.badges === 1)).toBe(true);
        // Each badge says its review's label in words.
        expect(marks.every((m) => m.label !== null && m.words?.toLowerCase().startsWith(m.label))).toBe(true);
        const expected = await node.classifyBatch(onPage.map((r) => r.text));
        const gaps = marks.map((m, i) => Math.abs(m.score - (expected[i]?.score ?? Number.NaN)));
        expect(Math.max(...gaps)).toBeLessThan(TOLERANCE);
      },
      SLOW,
    );

    it(
      'the popup over that page: its summary, a typed review answered with the Node path’s score, Settings opens the options',
      async () => {
        if (firefox === undefined) throw new Error('Firefox did not start.');
        const positives = onPage.filter((r) => r.label === 'positive').length;
        const popup = await firefox.openExtensionPage(popupFile);
        popup.setDefaultTimeout(STEP);
        // The popup reports on the active tab, the IMDb page, through its content script.
        await settle(
          popup,
          "the popup's page summary",
          () => document.querySelector('#page-summary')?.textContent,
          `${positives} of ${onPage.length} positive.`,
        );
        await settle(
          popup,
          "the popup's mode",
          () => document.querySelector('#mode')?.textContent,
          'On-device · rnn-v3',
        );

        // Typed into and clicked in the front tab: Firefox's input actions wait for animation frames,
        // which a background tab does not get. The popup keeps the tab it opened over.
        await popup.bringToFront();
        await popup.type('#review', REVIEW);
        await popup.click('#analyse');
        await settle(
          popup,
          "the popup's answer",
          () => document.querySelector('#answer .verdict')?.getAttribute('data-reelsense-label'),
          'positive',
        );
        const shown = await popup.$eval('#answer .verdict', (e) => ({
          score: Number(e.getAttribute('data-reelsense-score')),
          text: e.textContent,
        }));
        expect(shown.text).toMatch(/Positive, \d+% confident/);
        const [expected] = await node.classifyBatch([REVIEW]);
        expect(Math.abs(shown.score - (expected?.score ?? Number.NaN))).toBeLessThan(TOLERANCE);

        // Settings: runtime.openOptionsPage(), the extension opening its own page.
        await popup.click('#open-options');
        const options = await firefox.waitForExtensionPage('extension/src/options/index.html');
        options.setDefaultTimeout(STEP);
        await settle(
          options,
          'the sites in the options',
          () => document.querySelectorAll('input[data-site]').length,
          siteAdapters.length,
        );
        const state = await options.evaluate(() => ({
          onDevice: document.querySelector<HTMLInputElement>('input[name="mode"][value="on-device"]')?.checked,
          sites: [...document.querySelectorAll<HTMLInputElement>('input[data-site]')].map(
            (input) => `${input.dataset.site ?? '?'}:${String(input.checked)}`,
          ),
        }));
        expect(state.onDevice).toBe(true);
        // Every site switched on, as a fresh install has them.
        expect(state.sites).toEqual(siteAdapters.map((adapter) => `${adapter.id}:true`));
        await options.close();
        await popup.close();
      },
      SLOW,
    );
  },
);
