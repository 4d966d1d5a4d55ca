/**
 * Text the model cannot read, in real Chromium with the shipped model: an IMDb review page (the
 * saved page tests/fixtures/sites/imdb-reviews-25.html) with two reviews replaced by an Italian
 * and a Chinese one gets "Not in English" badges on those two, data-reelsense-label="unreadable", and
 * no percentage; the popup counts them apart from the scored reviews and answers a pasted Italian
 * review; the selection popover answers one in place; and the website, through the local stack,
 * shows the label and why, with no confidence and no meter.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imdb } from '../../extension/src/content/adapters/index.ts';
import { createNodeClassifier } from '../../model/inference/node.ts';
import {
  buildExtension,
  CHROMIUM,
  CHROMIUM_ARGS,
  HAS_CHROMIUM,
  launchWithExtension,
  popupPath,
  ROOT,
  type LoadedExtension,
} from '../../scripts/chromium.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';

const REVIEWS_URL = 'https://www.imdb.com/title/tt0000000/reviews/';
const FIXTURE = join(ROOT, 'tests/fixtures/sites/imdb-reviews-25.html');
const WEBSITE_CONFIG = join(ROOT, 'website/vite.config.ts');
const ITALIAN = 'Il mio film preferito di sempre, atmosfera mozzafiato. Una regia splendida e attori bravissimi.';
const CHINESE = '这部电影太好看了，我非常喜欢。演员的表演很不错，值得一看！';
const TEXT_SELECTOR = '[data-testid="review-overflow"] .ipc-html-content-inner-div';
const UNREADABLE_LINE = 'Not in English: ReelSense reads English reviews';
// 2 cores, maybe training a model meanwhile: be patient.
const SLOW = 180_000;
const STEP = 60_000;

/** The saved page with its first and fourth reviews replaced by non-English ones. */
function pageWithForeignReviews(): { html: string; labels: Promise<string[]> } {
  const { document } = new JSDOM(readFileSync(FIXTURE, 'utf8')).window;
  const texts = document.querySelectorAll(TEXT_SELECTOR);
  if (texts.length < 4) throw new Error('The fixture changed.');
  (texts[0] as Element).textContent = ITALIAN;
  (texts[3] as Element).textContent = CHINESE;
  const found = imdb.find(document).map((review) => review.text);
  // The labels the Node path gives the same adapter texts: the page must show exactly these.
  const labels = createNodeClassifier().then(async (node) =>
    (await node.classifyBatch(found)).map((prediction) => prediction.label),
  );
  return { html: `<!doctype html>\n${document.documentElement.outerHTML}`, labels };
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'unreadable text in real Chromium'
    : `unreadable text in real Chromium: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    let dist: string;
    let extension: LoadedExtension;
    let page: Page;
    let popupUrl: string;
    let expected: string[];
    const errors: string[] = [];

    beforeAll(async () => {
      const { html, labels } = pageWithForeignReviews();
      [dist, expected] = await Promise.all([buildExtension('chrome'), labels]);
      extension = await launchWithExtension(dist);
      const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Parameters<typeof popupPath>[0];
      popupUrl = extension.url(popupPath(manifest));
      await extension.context.route('https://www.imdb.com/**', (route) =>
        route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
      );
      page = await extension.context.newPage();
      page.setDefaultTimeout(STEP);
      page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
    }, SLOW);

    afterAll(async () => {
      await extension.close();
      rmSync(dist, { recursive: true, force: true });
    }, SLOW);

    afterEach(() => {
      expect(errors.splice(0)).toEqual([]);
    });

    it(
      'marks the two non-English reviews "unreadable" on the page, with no confidence on their badges',
      async () => {
        expect(expected[0]).toBe('unreadable');
        expect(expected[3]).toBe('unreadable');
        expect(expected.filter((label) => label === 'unreadable')).toHaveLength(2);
        await page.goto(REVIEWS_URL);
        await page.waitForFunction(
          (n) => document.querySelectorAll('[data-reelsense-label]').length === n,
          expected.length,
          { timeout: STEP },
        );
        const marks = await page.locator('article.user-review-item').evaluateAll((articles) =>
          articles.map((article) => {
            const badge = article.querySelector('[data-reelsense-badge]')?.shadowRoot?.querySelector('.badge');
            return {
              label: article.getAttribute('data-reelsense-label'),
              badge: badge?.textContent ?? '',
              title: badge?.getAttribute('title') ?? '',
            };
          }),
        );
        expect(marks.map((m) => m.label)).toEqual(expected);
        for (const i of [0, 3]) {
          expect(marks[i]?.badge).toBe('Not in English');
          expect(marks[i]?.title).toContain(`ReelSense: ${UNREADABLE_LINE}`);
          expect(marks[i]?.title).not.toMatch(/P\(positive\)|confident/);
        }
        expect(marks[1]?.badge).toMatch(/^(Positive|Negative)\d+%$|^Mixed$/);
      },
      SLOW,
    );

    it(
      'the popup counts them apart and answers a pasted Italian review without a confidence',
      async () => {
        const tabId = await extension.tabIdOf(page);
        const popup = await extension.context.newPage();
        popup.setDefaultTimeout(STEP);
        popup.on('pageerror', (error) => errors.push(`popup: ${error.message}`));
        await popup.goto(`${popupUrl}?tab=${tabId}`);
        const count = (label: string): number => expected.filter((l) => l === label).length;
        const scored = count('positive') + count('negative') + count('mixed');
        const mixed = count('mixed') > 0 ? `, ${count('mixed')} mixed` : '';
        await expect
          .poll(() => popup.locator('#page-summary').textContent(), { timeout: STEP })
          .toBe(
            `${count('positive')} of ${scored} positive${mixed}. 2 not in English: ReelSense reads English reviews.`,
          );
        expect(await popup.locator('#page-summary').getAttribute('data-unreadable')).toBe('2');

        await popup.getByRole('textbox', { name: 'Analyse a review' }).fill(ITALIAN);
        await popup.getByRole('button', { name: 'Analyse', exact: true }).click();
        const verdict = popup.locator('#answer .verdict');
        await verdict.waitFor();
        expect(await verdict.getAttribute('data-reelsense-label')).toBe('unreadable');
        expect(await verdict.locator('.verdict__title').textContent()).toBe(UNREADABLE_LINE);
        expect(await verdict.textContent()).not.toMatch(/%/);
        await popup.close();
      },
      SLOW,
    );

    it(
      'the selection popover answers a selected non-English review in place, without a confidence',
      async () => {
        const tabId = await extension.tabIdOf(page);
        const text = await page.evaluate((selector) => {
          const target = document.querySelectorAll(selector)[0];
          const selection = document.getSelection();
          if (target === undefined || selection === null) throw new Error('no review to select');
          selection.selectAllChildren(target);
          return selection.toString();
        }, TEXT_SELECTOR);
        expect(text.trim()).toBe(ITALIAN);
        await extension.clickAnalyseSelection(tabId, text);
        const popover = page.locator('[data-reelsense-popover] .box');
        await popover.waitFor();
        expect(await popover.locator('[data-reelsense-label]').first().getAttribute('data-reelsense-label')).toBe(
          'unreadable',
        );
        expect(await popover.textContent()).toContain(UNREADABLE_LINE);
        expect(await popover.textContent()).not.toMatch(/%/);
        await page.keyboard.press('Escape');
        await popover.waitFor({ state: 'detached' });
      },
      SLOW,
    );
  },
);

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'unreadable text on the website'
    : `unreadable text on the website: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    let stack: InProcessStack;
    let site: PreviewServer;
    let outDir: string;
    let browser: Browser;
    let page: Page;
    const pageErrors: Error[] = [];

    beforeAll(async () => {
      // The shipped model: its card has the unreadable threshold (the tiny test model's has none).
      stack = await startStackInProcess();
      outDir = mkdtempSync(join(tmpdir(), 'reelsense-website-'));
      await build({ configFile: WEBSITE_CONFIG, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
      site = await preview({ configFile: WEBSITE_CONFIG, logLevel: 'silent', build: { outDir }, preview: { port: 0 } });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
      page = await browser.newPage();
      page.setDefaultTimeout(STEP);
      page.on('pageerror', (error) => pageErrors.push(error));
    }, SLOW);

    afterAll(async () => {
      await browser.close();
      await site.close();
      await stack.close();
      rmSync(outDir, { recursive: true, force: true });
    }, SLOW);

    afterEach(() => {
      expect(pageErrors.splice(0)).toEqual([]);
    });

    it.each([ITALIAN, CHINESE, 'asdf qwer zxcv', '👍👍👍'])(
      'shows %j as unreadable: the label and why, no confidence, no meter',
      async (text) => {
        const local = site.resolvedUrls?.local[0] ?? '';
        await page.goto(`${local}?api=${encodeURIComponent(stack.gateway.url)}`);
        await page.locator('#review').fill(text);
        await page.getByRole('button', { name: 'Analyse' }).click();
        const verdict = page.locator('.verdict');
        await verdict.waitFor();
        expect(await verdict.getAttribute('data-reelsense-label')).toBe('unreadable');
        expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Not in English');
        expect(await verdict.locator('.verdict__summary').textContent()).toMatch(/cannot read this text.*English/);
        expect(await page.getByRole('meter').count()).toBe(0);
        expect(await verdict.locator('.verdict__percent').count()).toBe(0);
        expect(await verdict.textContent()).not.toMatch(/%/);
      },
      SLOW,
    );
  },
);
