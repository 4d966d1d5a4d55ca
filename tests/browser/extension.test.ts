/**
 * The built extension in real Chromium (headless, loaded unpacked), as a user meets it: an IMDb
 * review list (the saved page tests/fixtures/sites/imdb-reviews-25.html, served at an imdb.com URL
 * through Playwright's routing, since the test cannot reach imdb.com) gets a badge on every review
 * with the label the fixture expects; the two reviews its "load more" template holds get theirs
 * when appended; the popup summarises the page, switches the site off and on, and answers a pasted
 * review; the context menu's action and the keyboard command answer a selection in place; API
 * mode goes through the real local stack in one request and then the cache; and when the gateway
 * stops, new reviews are scored on-device with a visible note. Every score equals the Node path's
 * (the same adapter text through onnxruntime-node) within 1e-4.
 * Screenshots go to tests/browser/screenshots/.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imdb } from '../../extension/src/content/adapters/index.ts';
import type { SentimentClassifier } from '../../model/inference/classifier.ts';
import { createNodeClassifier } from '../../model/inference/node.ts';
import { startCountingProxy, type CountingProxy } from '../extension/helpers/counting-proxy.ts';
import {
  buildExtension,
  HAS_CHROMIUM,
  CHROMIUM,
  launchWithExtension,
  popupPath,
  ROOT,
  type ExtensionGlobals,
  type LoadedExtension,
} from '../../scripts/chromium.ts';
import { EDGE_TEXTS, PAGE_REVIEWS } from '../extension/fixtures/reviews.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';

const REVIEWS_URL = 'https://www.imdb.com/title/tt0000000/reviews/';
const FIXTURE = join(ROOT, 'tests/fixtures/sites/imdb-reviews-25.html');
/** An IMDb URL the content script runs on (manifest pattern /title/*) but no site adapter handles. */
const OTHER_URL = 'https://www.imdb.com/title/tt0000000/fullcredits/';
const SCREENSHOTS = join(ROOT, 'tests/browser/screenshots');

/** What the fixture promises: each review's expected label and, read by the same adapter, its text. */
interface Expected {
  readonly label: string;
  readonly text: string;
}

function expectations(root: ParentNode): Expected[] {
  return imdb.find(root).map(({ element, text }) => ({ label: element.dataset.expectedLabel ?? '?', text }));
}
const TOLERANCE = 1e-4;
/** The saved page has no stylesheet; for the screenshots only, a little of IMDb's look. */
const SCREENSHOT_CSS = `
  body { font: 14px/1.5 Roboto, Helvetica, Arial, sans-serif; background: #f5f5f5; color: #111; max-width: 760px; margin: 0 auto; }
  nav, .sc-controls, .ipc-list-card__actions, .sc-review-summary { display: none; }
  article.user-review-item { background: #fff; border-radius: 4px; margin: 0 0 12px; padding: 12px 16px; box-shadow: 0 1px 2px rgb(0 0 0 / 0.15); }
  .ipc-title__text { margin: 4px 0; font-size: 16px; } a { color: inherit; } svg { width: 12px; height: 12px; }
  .ipc-inline-list { display: flex; gap: 12px; list-style: none; padding: 0; color: #666; font-size: 12px; }`;
// 2 cores, maybe training a model meanwhile: be patient.
const SLOW = 180_000;
const STEP = 60_000;

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'extension in real Chromium'
    : `extension in real Chromium: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    let dist: string;
    let extension: LoadedExtension;
    let page: Page;
    let popupUrl: string;
    let node: SentimentClassifier;
    let stack: InProcessStack;
    let proxy: CountingProxy;
    let onPage: Expected[];
    let later: Expected[];
    const errors: string[] = [];

    const waitForLabels = (count: number, p: Page = page): Promise<unknown> =>
      p.waitForFunction((n) => document.querySelectorAll('[data-reelsense-label]').length === n, count, {
        timeout: STEP,
      });

    async function openReviews(): Promise<void> {
      await page.goto(REVIEWS_URL);
      await waitForLabels(onPage.length);
    }

    /** What IMDb's "load more" does: the fixture's template of two more reviews, appended. */
    async function appendLater(): Promise<void> {
      await page.evaluate(() => {
        const template = document.querySelector('template#later-reviews');
        const list = document.querySelector('[data-testid="tturv-review-list"]');
        if (!(template instanceof HTMLTemplateElement) || list === null) throw new Error('fixture changed');
        list.append(template.content.cloneNode(true));
      });
      await waitForLabels(onPage.length + later.length);
    }

    const pageMarks = (): Promise<{ label: string | null; score: number; badges: number }[]> =>
      page.locator('article.user-review-item').evaluateAll((articles) =>
        articles.map((article) => ({
          label: article.getAttribute('data-reelsense-label'),
          score: Number(article.getAttribute('data-reelsense-score')),
          badges: article.querySelectorAll('[data-reelsense-badge]').length,
        })),
      );

    async function expectNodeScores(marks: readonly { score: number }[], texts: readonly string[]): Promise<void> {
      const expected = await node.classifyBatch(texts);
      expect(marks).toHaveLength(texts.length);
      marks.forEach((mark, i) => {
        expect(Math.abs(mark.score - (expected[i]?.score ?? Number.NaN))).toBeLessThan(TOLERANCE);
      });
    }

    async function openPopup(tabId: number): Promise<Page> {
      const popup = await extension.context.newPage();
      popup.setDefaultTimeout(STEP);
      popup.on('pageerror', (error) => errors.push(`popup: ${error.message}`));
      await popup.goto(`${popupUrl}?tab=${tabId}`);
      return popup;
    }

    async function setSettings(settings: Record<string, unknown>): Promise<void> {
      const worker = await extension.worker();
      await worker.evaluate(async (value) => {
        const { chrome } = globalThis as unknown as ExtensionGlobals;
        await chrome.storage.local.set({ settings: value });
      }, settings);
    }

    async function badgeTitles(): Promise<string[]> {
      return page
        .locator('[data-reelsense-badge]')
        .evaluateAll((hosts) =>
          hosts.map((host) => host.shadowRoot?.querySelector('.badge')?.getAttribute('title') ?? ''),
        );
    }

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      [dist, node, stack] = await Promise.all([
        buildExtension('chrome'),
        createNodeClassifier(),
        startStackInProcess(),
      ]);
      proxy = await startCountingProxy(stack.gateway.url);
      extension = await launchWithExtension(dist);
      const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Parameters<typeof popupPath>[0];
      popupUrl = extension.url(popupPath(manifest));
      const html = readFileSync(FIXTURE, 'utf8');
      const { document } = new JSDOM(html).window;
      onPage = expectations(document);
      const template = document.querySelector('template#later-reviews');
      if (template === null) throw new Error('The fixture has no later reviews.');
      later = expectations((template as HTMLTemplateElement).content);
      await extension.context.route('https://www.imdb.com/**', (route) =>
        route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
      );
      page = await extension.context.newPage();
      page.setDefaultTimeout(STEP);
      page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
    }, SLOW);

    afterAll(async () => {
      await extension.close();
      await proxy.close();
      await stack.close();
      rmSync(dist, { recursive: true, force: true });
    }, SLOW);

    afterEach(() => {
      expect(errors.splice(0)).toEqual([]);
    });

    it(
      'marks every review on an IMDb review page on-device, with the right labels and accessible badges',
      async () => {
        await openReviews();
        const marks = await pageMarks();
        expect(marks.map((m) => m.label)).toEqual(onPage.map((r) => r.label));
        expect(marks.every((m) => m.badges === 1)).toBe(true);
        // The page's scores are the Node path's (onnxruntime-node) for the adapter's text, to 1e-4.
        await expectNodeScores(
          marks,
          onPage.map((r) => r.text),
        );

        // Words, an icon and the confidence, an accessible name, the model version in the tooltip.
        const first = page.locator('[data-reelsense-badge]').first();
        const badge = first.locator('.badge');
        expect(await badge.textContent()).toMatch(/^Positive\d+%$/);
        expect(await badge.getAttribute('aria-label')).toMatch(
          /^ReelSense: Positive, \d+% confident \(model rnn-v3\)$/,
        );
        expect(await badge.getAttribute('title')).toContain('model rnn-v3');
        expect(await badge.getAttribute('title')).toContain('on-device');
        expect(await first.locator('svg').count()).toBe(1);
        await page.addStyleTag({ content: SCREENSHOT_CSS });
        await page.screenshot({ path: join(SCREENSHOTS, 'extension-page.png'), fullPage: false });
      },
      SLOW,
    );

    it(
      'gives the same scores as the Node path (onnxruntime-node) for the same texts, within 1e-4',
      async () => {
        const texts = [...PAGE_REVIEWS.map((r) => r.text), ...EDGE_TEXTS];
        const popup = await openPopup(await extension.tabIdOf(page));
        const reply = (await popup.evaluate(async (list) => {
          const { chrome } = globalThis as unknown as ExtensionGlobals;
          return chrome.runtime.sendMessage({ type: 'classify', texts: list });
        }, texts)) as { ok: true; value: { results: { score: number }[]; scorer: string } };
        await popup.close();
        expect(reply.value.scorer).toBe('on-device');
        const expected = await node.classifyBatch(texts);
        const gaps = reply.value.results.map((r, i) => Math.abs(r.score - (expected[i]?.score ?? Number.NaN)));
        expect(gaps).toHaveLength(texts.length);
        expect(Math.max(...gaps)).toBeLessThan(TOLERANCE);
      },
      SLOW,
    );

    it(
      'marks reviews added later, without marking or scoring the others again',
      async () => {
        // Tag the badges there now: they must survive untouched.
        await page.locator('[data-reelsense-badge]').evaluateAll((hosts) => {
          for (const host of hosts) host.setAttribute('data-test-first', '');
        });
        await appendLater();
        expect(await page.locator('[data-test-first]').count()).toBe(onPage.length);
        expect(await page.locator('[data-reelsense-badge]').count()).toBe(onPage.length + later.length);
        const marks = await pageMarks();
        expect(marks.map((m) => m.label)).toEqual([...onPage, ...later].map((r) => r.label));
        expect(marks.every((m) => m.badges === 1)).toBe(true);
        await expectNodeScores(
          marks.slice(onPage.length),
          later.map((r) => r.text),
        );
      },
      SLOW,
    );

    it(
      'the popup: page summary, the site switch takes the badges off and back, a pasted review answered',
      async () => {
        const all = [...onPage, ...later];
        const positives = all.filter((r) => r.label === 'positive').length;
        const total = all.length;
        const tabId = await extension.tabIdOf(page);
        const popup = await openPopup(tabId);
        const summary = popup.locator('#page-summary');
        await expect.poll(() => summary.textContent(), { timeout: STEP }).toBe(`${positives} of ${total} positive.`);
        expect(await popup.locator('#mode').textContent()).toMatch(/^On-device/);
        const siteSwitch = popup.getByRole('switch', { name: 'Mark reviews on IMDb' });
        expect(await siteSwitch.isChecked()).toBe(true);

        await siteSwitch.uncheck();
        await waitForLabels(0);
        expect(await page.locator('[data-reelsense-badge]').count()).toBe(0);
        expect(await page.locator('[data-reelsense-score]').count()).toBe(0);
        await expect.poll(() => summary.textContent(), { timeout: STEP }).toBe('Off on IMDb.');

        await siteSwitch.check();
        await waitForLabels(total);
        await expect.poll(() => summary.textContent(), { timeout: STEP }).toBe(`${positives} of ${total} positive.`);

        await popup.getByRole('textbox', { name: 'Analyse a review' }).fill(onPage[0]?.text ?? '');
        await popup.getByRole('button', { name: 'Analyse', exact: true }).click();
        const verdict = popup.locator('#answer .verdict');
        await verdict.waitFor();
        expect(await verdict.getAttribute('data-reelsense-label')).toBe('positive');
        expect(await verdict.textContent()).toMatch(/Positive, \d+% confident/);
        await popup.setViewportSize({ width: 364, height: 600 });
        await popup.screenshot({ path: join(SCREENSHOTS, 'extension-popup.png') });

        // The verdict belongs to its text: one more character and it is gone until Analyse.
        await popup.getByRole('textbox', { name: 'Analyse a review' }).press('End');
        await popup.keyboard.type(' Edited.');
        await popup.locator('#answer [data-state="changed"]').waitFor();
        expect(await popup.locator('#answer [data-reelsense-label]').count()).toBe(0);
        await popup.getByRole('button', { name: 'Analyse', exact: true }).click();
        await popup.locator('#answer .verdict').waitFor();
        await popup.close();
      },
      SLOW,
    );

    it(
      'the context menu action and the keyboard command answer a selection in place and in the popup',
      async () => {
        const tabId = await extension.tabIdOf(page);
        // Select the second review's text, as a reader would.
        const text = await page.evaluate(() => {
          const target = document.querySelectorAll('[data-testid="review-overflow"] .ipc-html-content-inner-div')[1];
          const selection = document.getSelection();
          if (target === undefined || selection === null) throw new Error('no review to select');
          selection.selectAllChildren(target);
          return selection.toString();
        });
        expect(onPage[1]?.label).toBe('negative');
        await extension.clickAnalyseSelection(tabId, text);
        const worker = await extension.worker();
        const popover = page.locator('[data-reelsense-popover] .box');
        await popover.waitFor();
        expect(await popover.getAttribute('role')).toBe('status');
        expect(await popover.textContent()).toMatch(/Negative, \d+% confident/);
        await page.screenshot({ path: join(SCREENSHOTS, 'extension-selection.png') });

        const popup = await openPopup(tabId);
        const section = popup.locator('#selection');
        await section.waitFor();
        expect(await popup.locator('#selection-text').textContent()).toContain(text.trim().slice(0, 60));
        expect(await popup.locator('#selection-answer .verdict').getAttribute('data-reelsense-label')).toBe('negative');
        await popup.close();

        // Escape closes it; the keyboard command reads the selection itself.
        await page.keyboard.press('Escape');
        await popover.waitFor({ state: 'detached' });
        await page.evaluate(() => {
          const target = document.querySelectorAll('[data-testid="review-overflow"] .ipc-html-content-inner-div')[0];
          if (target !== undefined) document.getSelection()?.selectAllChildren(target);
        });
        await worker.evaluate(async (id) => {
          const { reelsense } = globalThis as unknown as ExtensionGlobals;
          await reelsense.onCommand('analyse-selection', { id });
        }, tabId);
        await popover.waitFor();
        expect(await popover.textContent()).toMatch(/Positive, \d+% confident/);
        await page.keyboard.press('Escape');
      },
      SLOW,
    );

    it(
      'elsewhere, the popup\'s "Analyse this page" marks review-like blocks (the generic adapter, on request)',
      async () => {
        // A page the content script runs on but no site adapter handles: a blog post with comments.
        const blog = await extension.context.newPage();
        blog.on('pageerror', (error) => errors.push(`blog: ${error.message}`));
        const html = readFileSync(join(ROOT, 'tests/fixtures/sites/blog-plain.html'), 'utf8');
        await blog.route(OTHER_URL, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
        await blog.goto(OTHER_URL);
        const expected = await blog.locator('[data-test-review]').count();
        const popup = await openPopup(await extension.tabIdOf(blog));
        const button = popup.getByRole('button', { name: 'Analyse this page' });
        await button.waitFor();
        expect(await blog.locator('[data-reelsense-label]').count()).toBe(0);
        await button.click();
        await expect
          .poll(() => popup.locator('#page-summary').textContent(), { timeout: STEP })
          .toMatch(new RegExp(`^\\d+ of ${expected} positive\\.$`));
        const marked = await blog
          .locator('[data-reelsense-label]')
          .evaluateAll((elements) => elements.map((element) => element.hasAttribute('data-test-review')));
        expect(marked).toEqual(Array.from({ length: expected }, () => true));
        await popup.close();
        await blog.close();
      },
      SLOW,
    );

    it(
      'API mode: the page goes to the local stack in one request, answers are cached, the options page tests it',
      async () => {
        await setSettings({ mode: 'api', apiUrl: proxy.url, apiKey: 'test-key', sites: {} });
        await openReviews();
        const posts = proxy.requests.filter((r) => r.method === 'POST');
        expect(posts.map((r) => r.reviews)).toEqual([onPage.length]);
        expect(posts.every((r) => r.path === '/sentiment' && r.apiKey === 'test-key')).toBe(true);
        const titles = await badgeTitles();
        expect(titles.every((t) => t.includes('by the ReelSense API'))).toBe(true);
        const marks = await pageMarks();
        expect(marks.map((m) => m.label)).toEqual(onPage.map((r) => r.label));
        await expectNodeScores(
          marks,
          onPage.map((r) => r.text),
        );

        // The same reviews again: answered from the cache, no request.
        await openReviews();
        expect(proxy.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

        const options = await extension.context.newPage();
        options.on('pageerror', (error) => errors.push(`options: ${error.message}`));
        await options.goto(extension.url('extension/src/options/index.html'));
        expect(await options.getByLabel(/Through a ReelSense API/).isChecked()).toBe(true);
        expect(await options.getByLabel('API URL').inputValue()).toBe(proxy.url);
        await options.getByRole('button', { name: 'Test connection' }).click();
        await expect
          .poll(() => options.locator('#mode-status').textContent(), { timeout: STEP })
          .toMatch(/^Connected: model rnn-v3 answered in \d+ ms\.$/);
        await options.close();
      },
      SLOW,
    );

    it(
      'falls back to on-device when the gateway is stopped, and says so on the page and in the popup',
      async () => {
        await stack.gateway.close();
        await proxy.close();
        // The reviews the API answered before come from the cache; the two new ones cannot.
        await openReviews();
        await appendLater();
        const marks = await pageMarks();
        expect(marks.map((m) => m.label)).toEqual([...onPage, ...later].map((r) => r.label));
        const titles = await badgeTitles();
        expect(titles.slice(0, onPage.length).every((t) => t.includes('by the ReelSense API'))).toBe(true);
        for (const title of titles.slice(onPage.length)) {
          expect(title).toContain('scored on-device');
          expect(title).toContain('The API could not be used');
        }
        await expectNodeScores(
          marks.slice(onPage.length),
          later.map((r) => r.text),
        );

        const popup = await openPopup(await extension.tabIdOf(page));
        const note = popup.locator('#page-note');
        await note.waitFor();
        expect(await note.textContent()).toMatch(
          /^The API could not be used, so ReelSense scored on-device: Can't reach/,
        );
        await popup.getByRole('textbox', { name: 'Analyse a review' }).fill('An unexpected delight, warm and funny.');
        await popup.getByRole('button', { name: 'Analyse', exact: true }).click();
        await popup.locator('#answer .verdict').waitFor();
        expect(await popup.locator('#answer [data-note]').textContent()).toMatch(/scored on-device/);
        await popup.close();
        await setSettings({ mode: 'on-device', apiUrl: '', apiKey: '', sites: {} });
      },
      SLOW,
    );
  },
);
