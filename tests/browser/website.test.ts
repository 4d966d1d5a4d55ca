/**
 * The standalone page in real Chromium, built by Vite and served by its preview server, talking
 * to the real local stack in-process: endpoint server (tiny test model) <- AWS SDK <- handler <-
 * local gateway. Proves the happy path, keyboard use, the limits in the page, the API URL
 * setting, that review text and server messages stay text, and the "API down" state.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../public-api/contract.ts';
import type { RunningServer } from '../../backend/listen.ts';
import { CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM, ROOT } from '../../scripts/chromium.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';

const MODEL_DIR = join(ROOT, 'tests/fixtures/artifact-tiny');
const CONFIG_FILE = join(ROOT, 'website/vite.config.ts');
const MODEL_VERSION = (JSON.parse(readFileSync(join(MODEL_DIR, 'card.json'), 'utf8')) as { version: string }).version;
// The tiny model's own fixture (expected.json) scores these near 1 and near 0.
const POSITIVE = 'great great loved';
const NEGATIVE = 'awful boring terrible';
const XSS = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script> great great loved';
// The machine has 2 cores and may be training a model: be patient with startup and each step.
const SLOW = 120_000;
const STEP = 30_000;

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'website in real Chromium'
    : `website in real Chromium: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    let stack: InProcessStack;
    let gateway: RunningServer;
    let site: PreviewServer;
    let outDir: string;
    let pageUrl: string;
    let browser: Browser;
    let page: Page;
    const pageErrors: Error[] = [];

    beforeAll(async () => {
      stack = await startStackInProcess({ modelDir: MODEL_DIR });
      gateway = stack.gateway;

      // A private output folder: a developer's website/dist and other runs stay untouched.
      outDir = mkdtempSync(join(tmpdir(), 'reelsense-website-'));
      await build({ configFile: CONFIG_FILE, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
      site = await preview({ configFile: CONFIG_FILE, logLevel: 'silent', build: { outDir }, preview: { port: 0 } });
      const local = site.resolvedUrls?.local[0];
      if (local === undefined) throw new Error('The Vite preview server reported no URL.');
      pageUrl = local;

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [...CHROMIUM_ARGS],
      });
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

    // An uncaught exception in the page fails the test that caused it.
    afterEach(() => {
      expect(pageErrors.splice(0)).toEqual([]);
    });

    async function open(query = `?api=${encodeURIComponent(gateway.url)}`): Promise<void> {
      await page.goto(`${pageUrl}${query}`);
      await page.locator('#review').waitFor();
    }

    async function analyseWithButton(text: string): Promise<void> {
      await page.locator('#review').fill(text);
      await page.getByRole('button', { name: 'Analyse' }).click();
    }

    const focusedMatches = (selector: string): Promise<boolean> =>
      page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

    it(
      'analyses a review through the local stack: label, confidence and model version',
      async () => {
        await open();
        await analyseWithButton(POSITIVE);

        const verdict = page.locator('.verdict');
        await verdict.waitFor();
        expect(await verdict.getAttribute('data-reelsense-label')).toBe('positive');
        await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('Positive');
        expect(await verdict.locator('[data-model]').textContent()).toBe(MODEL_VERSION);
        const score = Number(await verdict.getAttribute('data-reelsense-score'));
        const percent = `${Math.round(score * 100)}%`;
        expect(await verdict.locator('.verdict__percent').textContent()).toBe(percent);
        expect(await page.getByRole('meter', { name: 'Confidence' }).getAttribute('value')).toBe(
          String(Math.round(score * 100)),
        );
        // Focus follows the answer, and the region is no longer busy.
        expect(await focusedMatches('.verdict')).toBe(true);
        expect(await page.locator('#answer').getAttribute('aria-busy')).toBe('false');

        await analyseWithButton(NEGATIVE);
        await page.locator('.verdict[data-reelsense-label="negative"]').waitFor();
        const negativeScore = Number(await page.locator('.verdict').getAttribute('data-reelsense-score'));
        // Confidence in a negative verdict is 1 - P(positive).
        expect(await page.locator('.verdict__percent').textContent()).toBe(`${Math.round((1 - negativeScore) * 100)}%`);
      },
      SLOW,
    );

    it(
      'works from the keyboard: Tab to the box, type, Ctrl+Enter',
      async () => {
        await open();
        await page.keyboard.press('Tab'); // the skip link comes first
        await page.keyboard.press('Enter');
        await page.keyboard.type(NEGATIVE);
        expect(await focusedMatches('#review')).toBe(true);
        await page.keyboard.press('Control+Enter');
        await page.locator('.verdict[data-reelsense-label="negative"]').waitFor();
        expect(await focusedMatches('.verdict')).toBe(true);
      },
      SLOW,
    );

    it(
      'a verdict belongs to its text: typing, pasting or the example clears it until Analyse',
      async () => {
        const noVerdict = async (): Promise<void> => {
          await page.locator('#answer[data-state="changed"]').waitFor();
          expect(await page.locator('#answer [data-reelsense-label]').count()).toBe(0);
          expect(await page.locator('#answer').textContent()).toContain('The text has changed');
        };
        await open();
        await analyseWithButton(NEGATIVE);
        await page.locator('.verdict[data-reelsense-label="negative"]').waitFor();

        // Typing one character.
        await page.locator('#review').press('End');
        await page.keyboard.type('!');
        await noVerdict();

        // Pasting (an input event of its own kind) after a fresh verdict.
        await page.getByRole('button', { name: 'Analyse' }).click();
        await page.locator('.verdict').waitFor();
        await page.locator('#review').evaluate((box: HTMLTextAreaElement) => {
          box.value += ' Pasted.';
          box.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
        });
        await noVerdict();

        // "Try an example" sets the text from a script.
        await page.getByRole('button', { name: 'Analyse' }).click();
        await page.locator('.verdict').waitFor();
        await page.locator('#example').click();
        await noVerdict();

        // Analysing again gives the new text its own verdict.
        await page.getByRole('button', { name: 'Analyse' }).click();
        await page.locator('#answer[data-state="result"] .verdict').waitFor();
      },
      SLOW,
    );

    it(
      'counts characters against the limit and disables Analyse when empty or over',
      async () => {
        await open();
        const button = page.locator('#analyse');
        expect(await button.isDisabled()).toBe(true);
        expect(await page.locator('#review-status').textContent()).toMatch(/Write or paste a review/);

        await page.locator('#review').fill('   ');
        expect(await button.isDisabled()).toBe(true);

        await page.locator('#review').fill('x'.repeat(DEFAULT_LIMITS.maxReviewChars));
        expect(await button.isDisabled()).toBe(false);
        expect(await page.locator('#review-count').textContent()).toBe('20,000 / 20,000 characters');

        await page.locator('#review').fill('x'.repeat(DEFAULT_LIMITS.maxReviewChars + 5));
        expect(await button.isDisabled()).toBe(true);
        expect(await page.locator('#review-count').textContent()).toBe('20,005 / 20,000 characters (5 over)');
        expect(await page.locator('#review-status').textContent()).toMatch(/over the 20,000-character limit/);
        expect(await page.locator('#review').getAttribute('aria-invalid')).toBe('true');
        // Ctrl+Enter does not get round the limit.
        await page.locator('#review').press('Control+Enter');
        expect(await page.locator('#answer').getAttribute('data-state')).toBe('idle');
      },
      SLOW,
    );

    it(
      'shows review text and server messages as text: no markup, no script',
      async () => {
        await open();
        await analyseWithButton(XSS);
        await page.locator('.verdict').waitFor();
        expect(await page.locator('#review').inputValue()).toBe(XSS);

        // A server whose error message is markup: the page must print it, not parse it.
        await page.route('**/sentiment', (route) =>
          route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'ENDPOINT_UNAVAILABLE', message: XSS } }),
          }),
        );
        await page.getByRole('button', { name: 'Analyse' }).click();
        await page.locator('[data-error-kind="server"]').waitFor();
        expect(await page.locator('.problem__message').textContent()).toBe(XSS);
        await page.unroute('**/sentiment');

        expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(await page.locator('main img, main script').count()).toBe(0);
      },
      SLOW,
    );

    it(
      'the API URL setting: refuses an invalid URL, remembers a valid one, ?api= wins for one visit',
      async () => {
        await open('');
        await page.getByText('API settings').click();
        const input = page.getByLabel('ReelSense API URL');
        expect(await input.inputValue()).toBe(`http://127.0.0.1:${process.env.REELSENSE_API_PORT ?? '3000'}`);

        await input.fill('javascript:alert(1)');
        await input.press('Enter');
        expect(await page.locator('#api-url-status').textContent()).toMatch(/must start with http:\/\/ or https:\/\//);
        expect(await input.getAttribute('aria-invalid')).toBe('true');

        await input.fill(`${gateway.url}/`);
        await input.press('Enter');
        expect(await page.locator('#api-url-status').textContent()).toBe(`Saved: reviews now go to ${gateway.url}.`);

        await open('');
        expect(await page.getByLabel('ReelSense API URL').inputValue()).toBe(gateway.url);
        await analyseWithButton(POSITIVE);
        await page.locator('.verdict').waitFor();

        await open('?api=http://127.0.0.1:1');
        await page.getByText('API settings').click();
        expect(await page.getByLabel('ReelSense API URL').inputValue()).toBe('http://127.0.0.1:1');
        expect(await page.locator('#api-url-status').textContent()).toMatch(/from the page's address/);
        await page.getByRole('button', { name: /Use the default/ }).click();
        expect(await page.evaluate(() => localStorage.getItem('reelsense.apiUrl'))).toBeNull();
        expect(page.url()).not.toContain('api=');
      },
      SLOW,
    );

    it(
      "says the API can't be reached once the gateway stops",
      async () => {
        await open();
        await analyseWithButton(POSITIVE);
        await page.locator('.verdict').waitFor();

        await gateway.close();
        await page.getByRole('button', { name: 'Analyse' }).click();
        const problem = page.locator('[data-error-kind="unreachable"]');
        await problem.waitFor();
        expect(await problem.textContent()).toContain(`Can't reach the ReelSense API at ${gateway.url}`);
        expect(await focusedMatches('.problem')).toBe(true);
        // The way out is one button away.
        await page.getByRole('button', { name: 'Change the API URL' }).click();
        expect(await focusedMatches('#api-url')).toBe(true);
      },
      SLOW,
    );
  },
);

describe('website source', () => {
  const sourceDir = join(ROOT, 'website/src');
  it.each(readdirSync(sourceDir).filter((name) => name.endsWith('.ts')))('%s never parses strings as HTML', (name) => {
    const source = readFileSync(join(sourceDir, name), 'utf8');
    expect(source).not.toMatch(
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/,
    );
  });
});
