/**
 * What decided a verdict, shown where people read (issue 20, part 4), in real Chromium:
 * - a review's badge, pressed (click, or Enter on the focused badge), opens a popover with the
 *   deciding sentences quoted, and highlights those sentences in the review with the CSS Custom
 *   Highlight API: the registered ranges' text is the sentences the Node path's explain() picks
 *   for the same adapter text; Escape, or a second press, removes them;
 * - a hostile review (markup and script as its text) is highlighted as text: nothing is injected,
 *   nothing runs;
 * - a mixed verdict is on its badge (data-reelsense-label="mixed"), its popover quotes a sentence
 *   each way;
 * - the selection popover and the popup tint the deciding words, with words for screen readers;
 * - API mode: the badge's explanation comes from the local stack (`"explain": true`), the same
 *   spans as on-device;
 * - the website shows the review with its explanation, and clears both when the text changes.
 * Screenshots go to tests/browser/screenshots/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imdb } from '../../extension/src/content/adapters/index.ts';
import type { SentimentClassifier } from '../../model/inference/classifier.ts';
import { explain } from '../../model/inference/explain.ts';
import { createNodeClassifier } from '../../model/inference/node.ts';
import {
  buildExtension,
  CHROMIUM,
  CHROMIUM_ARGS,
  HAS_CHROMIUM,
  launchWithExtension,
  popupPath,
  ROOT,
  type ExtensionGlobals,
  type LoadedExtension,
} from '../../scripts/chromium.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';
import { decidingSpans, shortQuote } from '../../ui/explanation.ts';
import { HOSTILE_MARKUP, hostilePage, PWNED_ATTRIBUTE } from '../extension/fixtures/hostile.ts';

const FIXTURE_HTML = readFileSync(join(ROOT, 'tests/fixtures/sites/imdb-reviews-25.html'), 'utf8');
const REVIEWS_URL = 'https://www.imdb.com/title/tt0000010/reviews/';
const HOSTILE_URL = 'https://www.imdb.com/title/tt0000011/reviews/';
const MIXED_URL = 'https://www.imdb.com/title/tt0000012/reviews/';
const SCREENSHOTS = join(ROOT, 'tests/browser/screenshots');
const HIGHLIGHTS = ['reelsense-positive', 'reelsense-negative'] as const;
/** Reviews that lean neither way, one of which the shipped model must read as mixed. */
const MIXED_CANDIDATES = [
  'I enjoyed the music and the photography a lot. The story is muddled and the ending falls flat. A mixed bag, really.',
  'It has its moments, but overall it is just average.',
  'Beautifully shot, but I was bored.',
  'Great visuals, weak story.',
];
const SLOW = 240_000;
const STEP = 60_000;

/** Any run of whitespace as one space: a Range's text keeps the page's own line breaks. */
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Each highlight's ranges, as text, read in the page's own world (null: not registered). */
const highlighted = (page: Page): Promise<Record<string, string[] | null>> =>
  page.evaluate(
    (names) =>
      Object.fromEntries(
        names.map((name) => {
          const highlight = CSS.highlights.get(name);
          return [name, highlight === undefined ? null : [...highlight].map((range) => (range as Range).toString())];
        }),
      ),
    [...HIGHLIGHTS],
  );

/** The texts a page's reviews have for the adapter, and its review elements' order. */
function adapterTexts(html: string): string[] {
  return imdb.find(new JSDOM(html).window.document).map((review) => review.text);
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'explanations in real Chromium'
    : `explanations in real Chromium: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    let dist: string;
    let extension: LoadedExtension;
    let node: SentimentClassifier;
    let stack: InProcessStack;
    let popupUrl: string;
    let mixedHtml: string;
    let mixedIndex: number;
    const hostile = hostilePage(FIXTURE_HTML, imdb);
    const texts = adapterTexts(FIXTURE_HTML);
    const errors: string[] = [];

    async function openPage(url: string): Promise<Page> {
      const page = await extension.context.newPage();
      page.setDefaultTimeout(STEP);
      page.on('pageerror', (error) => errors.push(`${url}: ${error.message}`));
      await page.goto(url);
      await page.waitForFunction(() => document.querySelectorAll('[data-reelsense-label]').length >= 25, null, {
        timeout: STEP,
      });
      return page;
    }

    /** The i-th review's badge button, in its shadow root. */
    const badge = (page: Page, i: number) =>
      page.locator('article.user-review-item').nth(i).locator('[data-reelsense-badge] .badge-button');

    /** What the Node path says decides review `text`: its deciding sentences' text, strongest first. */
    async function expectedSentences(text: string): Promise<string[]> {
      const { prediction, explanation } = await explain(node, text);
      return decidingSpans({ ...prediction, explanation }, text).map((span) => text.slice(span.start, span.end));
    }

    async function setSettings(settings: Record<string, unknown>): Promise<void> {
      await (
        await extension.worker()
      ).evaluate(async (value) => {
        const { chrome } = globalThis as unknown as ExtensionGlobals;
        await chrome.storage.local.set({ settings: value });
      }, settings);
    }

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      [dist, node, stack] = await Promise.all([
        buildExtension('chrome'),
        createNodeClassifier(),
        startStackInProcess(),
      ]);
      // A page whose third review is one the model reads as mixed.
      const scores = await node.classifyBatch(MIXED_CANDIDATES);
      const mixed = MIXED_CANDIDATES[scores.findIndex((p) => p.label === 'mixed')];
      if (mixed === undefined) throw new Error(`No candidate reads as mixed: ${JSON.stringify(scores)}`);
      const dom = new JSDOM(FIXTURE_HTML);
      mixedIndex = 2;
      const body = imdb.find(dom.window.document)[mixedIndex]?.element.querySelector('.ipc-html-content-inner-div');
      if (body === null || body === undefined) throw new Error('fixture changed');
      body.textContent = mixed;
      mixedHtml = dom.serialize();

      extension = await launchWithExtension(dist);
      const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Parameters<typeof popupPath>[0];
      popupUrl = extension.url(popupPath(manifest));
      for (const [url, html] of [
        [REVIEWS_URL, FIXTURE_HTML],
        [HOSTILE_URL, hostile.html],
        [MIXED_URL, mixedHtml],
      ] as const) {
        await extension.context.route(url, (route) =>
          route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
        );
      }
    }, SLOW);

    afterAll(async () => {
      await extension.close();
      await stack.close();
      rmSync(dist, { recursive: true, force: true });
    }, SLOW);

    afterEach(() => {
      expect(errors.splice(0)).toEqual([]);
    });

    it(
      'a badge click opens its popover with the deciding sentences, highlights them in the review; Escape clears them',
      async () => {
        const page = await openPage(REVIEWS_URL);
        const text = texts[0] ?? '';
        const expected = await expectedSentences(text);
        expect(expected.length).toBeGreaterThan(0);
        expect(await highlighted(page)).toEqual({ 'reelsense-positive': null, 'reelsense-negative': null });

        await badge(page, 0).click();
        const popover = page.locator('[data-reelsense-popover]');
        await popover.locator('[data-explanation="quotes"]').waitFor();
        expect(await badge(page, 0).getAttribute('aria-expanded')).toBe('true');
        const quotes = await popover.locator('.explanation__quotes q').allTextContents();
        expect(quotes).toEqual(
          expected.map((sentence) => shortQuote(sentence, { start: 0, end: sentence.length, weight: 1 })),
        );
        // The review is positive: its deciding sentences are highlighted green, in the page, as its own text.
        const ranges = await highlighted(page);
        expect(ranges['reelsense-negative']).toBeNull();
        expect((ranges['reelsense-positive'] ?? []).map(squash).sort()).toEqual(expected.map(squash).sort());
        expect(await popover.getAttribute('data-highlighted')).toBe(String(expected.length));
        // In the review element itself, and no element was added to it for that.
        const inReview = await page.evaluate(() => {
          const review = document.querySelector('article.user-review-item');
          const range = [...(CSS.highlights.get('reelsense-positive') ?? [])][0];
          return review !== null && range !== undefined && review.contains(range.startContainer);
        });
        expect(inReview).toBe(true);
        await page.screenshot({ path: join(SCREENSHOTS, 'explanation-badge.png') });

        await page.keyboard.press('Escape');
        await popover.waitFor({ state: 'detached' });
        expect(await highlighted(page)).toEqual({ 'reelsense-positive': null, 'reelsense-negative': null });
        expect(await badge(page, 0).getAttribute('aria-expanded')).toBe('false');
        await page.close();
      },
      SLOW,
    );

    it(
      'a second click on the badge closes it and removes the highlights; Enter on the focused badge opens and closes it',
      async () => {
        const page = await openPage(REVIEWS_URL);
        const popover = page.locator('[data-reelsense-popover]');
        // The second review is negative: red.
        await badge(page, 1).click();
        await popover.locator('[data-explanation="quotes"]').waitFor();
        const expected = await expectedSentences(texts[1] ?? '');
        expect(((await highlighted(page))['reelsense-negative'] ?? []).map(squash).sort()).toEqual(
          expected.map(squash).sort(),
        );
        await badge(page, 1).click();
        await popover.waitFor({ state: 'detached' });
        expect(await highlighted(page)).toEqual({ 'reelsense-positive': null, 'reelsense-negative': null });

        // The keyboard: the badge is a button.
        await badge(page, 1).focus();
        await page.keyboard.press('Enter');
        await popover.locator('[data-explanation="quotes"]').waitFor();
        expect((await highlighted(page))['reelsense-negative']).not.toBeNull();
        await page.keyboard.press('Enter');
        await popover.waitFor({ state: 'detached' });
        expect((await highlighted(page))['reelsense-negative']).toBeNull();
        await page.close();
      },
      SLOW,
    );

    it(
      'a hostile review (markup and script as its text) is highlighted as text: nothing injected, nothing run',
      async () => {
        const page = await openPage(HOSTILE_URL);
        const payloads = 'img, script:not([src]), svg:not([data-reelsense-badge] svg), iframe';
        const before = await page.evaluate((s) => document.querySelectorAll(s).length, payloads);
        const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
        const text = adapterTexts(hostile.html)[0] ?? '';
        expect(HOSTILE_MARKUP.every((markup) => text.includes(markup))).toBe(true);
        await badge(page, 0).click();
        await page.locator('[data-reelsense-popover] [data-explanation="quotes"]').waitFor();
        const ranges = await highlighted(page);
        const all = [...(ranges['reelsense-positive'] ?? []), ...(ranges['reelsense-negative'] ?? [])];
        expect(all.length).toBeGreaterThan(0);
        expect((ranges['reelsense-positive'] ?? []).map(squash).sort()).toEqual(
          (await expectedSentences(text)).map(squash).sort(),
        );
        // The page's own elements: the same count (the popover's host is the one added), no payload, nothing ran.
        expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBe(elements + 1);
        expect(await page.evaluate((s) => document.querySelectorAll(s).length, payloads)).toBe(before);
        await page.waitForTimeout(300);
        expect(await page.evaluate((name) => document.documentElement.getAttribute(name), PWNED_ATTRIBUTE)).toBeNull();
        const shadow = await page
          .locator('[data-reelsense-popover]')
          .evaluate((host) => host.shadowRoot?.querySelectorAll('img, script, iframe, [onerror], [onload]').length);
        expect(shadow).toBe(0);
        await page.keyboard.press('Escape');
        await page.close();
      },
      SLOW,
    );

    it(
      'a mixed verdict is on its badge (data-reelsense-label="mixed"), and its popover quotes a sentence each way',
      async () => {
        const page = await openPage(MIXED_URL);
        const article = page.locator('article.user-review-item').nth(mixedIndex);
        expect(await article.getAttribute('data-reelsense-label')).toBe('mixed');
        expect(await article.locator('[data-reelsense-badge] .badge').textContent()).toBe('Mixed');
        await badge(page, mixedIndex).click();
        const quotes = page.locator('[data-reelsense-popover] .explanation__quotes > li');
        await quotes.first().waitFor();
        expect(await quotes.evaluateAll((items) => items.map((item) => item.getAttribute('data-push')))).toEqual([
          'positive',
          'negative',
        ]);
        const ranges = await highlighted(page);
        expect(ranges['reelsense-positive']).toHaveLength(1);
        expect(ranges['reelsense-negative']).toHaveLength(1);
        await page.screenshot({ path: join(SCREENSHOTS, 'explanation-mixed.png') });
        await page.keyboard.press('Escape');
        await page.close();
      },
      SLOW,
    );

    it(
      'the selection popover and the popup show the text with its deciding words tinted, with words for screen readers',
      async () => {
        const page = await openPage(REVIEWS_URL);
        const tabId = await extension.tabIdOf(page);
        const selection = 'A dull, lifeless plot, but the lead is wonderful.';
        await extension.clickAnalyseSelection(tabId, selection);
        const box = page.locator('[data-reelsense-popover] .box');
        const tinted = box.locator('.explanation__text .explained');
        await tinted.first().waitFor();
        const words = await tinted.evaluateAll((spans) =>
          spans.map((span) => ({
            push: span.getAttribute('data-push'),
            spoken: span.querySelector('.visually-hidden')?.textContent ?? '',
            shown: [...span.childNodes]
              .filter((child) => child.nodeType === 3)
              .map((child) => child.textContent)
              .join(''),
          })),
        );
        expect(words.length).toBeGreaterThan(0);
        for (const word of words) {
          expect(selection).toContain(word.shown);
          expect(word.spoken).toMatch(new RegExp(`^(most )?${word.push ?? '?'} phrase: $`));
        }
        expect(words.some((word) => word.spoken.startsWith('most '))).toBe(true);
        // Not by colour alone: the two sides are underlined differently.
        const styles = await box
          .locator('.explanation__legend .explained')
          .evaluateAll((spans) => spans.map((span) => getComputedStyle(span).textDecorationStyle));
        expect(styles).toEqual(['solid', 'wavy']);
        await box.screenshot({ path: join(SCREENSHOTS, 'explanation-selection.png') });
        await page.keyboard.press('Escape');

        const popup = await extension.context.newPage();
        popup.setDefaultTimeout(STEP);
        popup.on('pageerror', (error) => errors.push(`popup: ${error.message}`));
        await popup.goto(`${popupUrl}?tab=${tabId}`);
        // The last selection, tinted there too.
        await popup.locator('#selection-answer .explanation__text .explained').first().waitFor();
        expect(await popup.locator('#selection-text').isHidden()).toBe(true);
        // A pasted review: its words tinted, the strongest each way named for screen readers.
        const pasted = 'Wonderful acting and a gripping story, though the ending felt rushed.';
        await popup.getByRole('textbox', { name: 'Analyse a review' }).fill(pasted);
        await popup.getByRole('button', { name: 'Analyse', exact: true }).click();
        const answer = popup.locator('#answer .explanation__text');
        await answer.locator('.explained').first().waitFor();
        expect(
          await answer.evaluate((quote) => {
            const copy = quote.cloneNode(true) as Element;
            for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
            return copy.textContent;
          }),
        ).toBe(pasted);
        expect(await answer.locator('.visually-hidden').first().textContent()).toMatch(/(positive|negative) phrase: $/);
        await popup.setViewportSize({ width: 364, height: 640 });
        await popup.screenshot({ path: join(SCREENSHOTS, 'explanation-popup.png') });
        // A verdict belongs to its text: one more character and the tinted text goes with the verdict.
        await popup.getByRole('textbox', { name: 'Analyse a review' }).press('End');
        await popup.keyboard.type(' Edited.');
        await popup.locator('#answer [data-state="changed"]').waitFor();
        expect(await popup.locator('#answer .explanation').count()).toBe(0);
        await popup.close();
        await page.close();
      },
      SLOW,
    );

    it(
      "API mode: the badge's explanation comes from the local stack (explain: true), the same spans as on-device",
      async () => {
        await setSettings({ mode: 'api', apiUrl: stack.gateway.url, apiKey: '', sites: {} });
        try {
          const page = await openPage(REVIEWS_URL);
          await badge(page, 0).click();
          const popover = page.locator('[data-reelsense-popover]');
          await popover.locator('[data-explanation="quotes"]').waitFor();
          expect(await popover.locator('.verdict__meta').textContent()).toContain('through the API');
          const expected = await expectedSentences(texts[0] ?? '');
          expect(((await highlighted(page))['reelsense-positive'] ?? []).map(squash).sort()).toEqual(
            expected.map(squash).sort(),
          );
          await page.keyboard.press('Escape');
          await page.close();
        } finally {
          await setSettings({ mode: 'on-device', apiUrl: '', apiKey: '', sites: {} });
        }
      },
      SLOW,
    );

    describe('the website', () => {
      let site: PreviewServer;
      let outDir: string;
      let browser: Browser;

      beforeAll(async () => {
        outDir = mkdtempSync(join(tmpdir(), 'reelsense-website-'));
        const configFile = join(ROOT, 'website/vite.config.ts');
        await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
        site = await preview({ configFile, logLevel: 'silent', build: { outDir }, preview: { port: 0 } });
        browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
      }, SLOW);

      afterAll(async () => {
        await browser.close();
        await site.close();
        rmSync(outDir, { recursive: true, force: true });
      }, SLOW);

      it(
        'shows the review with what decided it, and clears both when the text changes',
        async () => {
          const page = await browser.newPage();
          page.setDefaultTimeout(STEP);
          page.on('pageerror', (error) => errors.push(`website: ${error.message}`));
          await page.goto(`${site.resolvedUrls?.local[0] ?? ''}?api=${encodeURIComponent(stack.gateway.url)}`);
          const review = texts[1] ?? '';
          await page.locator('#review').fill(review);
          await page.getByRole('button', { name: 'Analyse' }).click();
          const view = page.locator('#answer .verdict [data-explanation="text"]');
          await view.waitFor();
          const tinted = await view.locator('.explained').evaluateAll((spans) =>
            spans.map((span) => ({
              push: span.getAttribute('data-push'),
              shown: [...span.childNodes]
                .filter((child) => child.nodeType === 3)
                .map((child) => child.textContent)
                .join(''),
            })),
          );
          // The sentences the Node path finds decisive are among the tinted ones, on their side.
          const expected = await expectedSentences(review);
          const negative = tinted.filter((t) => t.push === 'negative').map((t) => t.shown);
          expect(negative).toContain(expected[0]);
          await page.screenshot({ path: join(SCREENSHOTS, 'explanation-website.png'), fullPage: true });

          await page.locator('#review').press('End');
          await page.keyboard.type(' More.');
          await page.locator('#answer[data-state="changed"]').waitFor();
          expect(await page.locator('#answer .explanation').count()).toBe(0);
          await page.close();
        },
        SLOW,
      );
    });
  },
);
