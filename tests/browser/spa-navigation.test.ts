/**
 * IMDb as the single-page app it is, in real Chromium with the built extension: a title page
 * (served at an imdb.com URL through Playwright's routing) whose in-app links call
 * `history.pushState` and swap the app's content, as Next.js does, with no new document. The
 * content script, loaded once with the title page, marks the reviews of the page the app goes to
 * (the saved reviews page, tests/fixtures/sites/imdb-reviews-25.html, read at test time; the counts
 * come from the IMDb adapter on the same markup), on a link click and on back and forward
 * (popstate); the popup's page summary follows; on an IMDb page no adapter handles (the cast list)
 * it stops quietly, and from such a page, landed on, it marks the reviews a link leads to. On a
 * reviews page whose hooks a redesign renamed, the popup says the layout is not recognised. The window keeps a marker set before the first click: the page never reloads.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imdb } from '../../extension/src/content/adapters/index.ts';
import {
  buildExtension,
  CHROMIUM,
  HAS_CHROMIUM,
  launchWithExtension,
  popupPath,
  ROOT,
  type ExtensionGlobals,
  type LoadedExtension,
} from '../../scripts/chromium.ts';

const ORIGIN = 'https://www.imdb.com';
const TITLE = '/title/tt0000000/';
const REVIEWS = '/title/tt0000000/reviews/';
/** An IMDb page the manifest runs the content script on but no site adapter handles. */
const CREDITS = '/title/tt0000000/fullcredits/';
/** A reviews page after a redesign the selectors do not know: its hooks renamed. */
const REDESIGNED = '/title/tt0000001/reviews/';
const SLOW = 180_000;
const STEP = 60_000;

const fixture = (name: string): string => readFileSync(join(ROOT, 'tests/fixtures/sites', name), 'utf8');
/** A saved page's body markup: what the app draws for that route. */
const bodyOf = (html: string): string => new JSDOM(html).window.document.body.innerHTML;

/**
 * The app's shell: a header with in-app links, and #__next, which the app redraws for the route.
 * The app's script is the page's own (the test's markup, not the extension's).
 */
function appPage(routes: Record<string, string>): string {
  // Inside <script>, "<" as \u003c: the markup cannot end the script early.
  const json = JSON.stringify(routes).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMDb</title></head>
<body>
<header><a id="to-title" href="${TITLE}">Title</a> <a id="to-reviews" href="${REVIEWS}">User reviews</a>
<a id="to-credits" href="${CREDITS}">Full cast</a> <a id="to-redesigned" href="${REDESIGNED}">Other reviews</a></header>
<div id="__next"></div>
<script>
  const ROUTES = ${json};
  const next = document.getElementById('__next');
  function draw() {
    const parsed = new DOMParser().parseFromString(ROUTES[location.pathname] ?? '', 'text/html');
    next.replaceChildren(...[...parsed.body.childNodes].map((node) => document.importNode(node, true)));
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (link === null || !(link.pathname in ROUTES) || link.origin !== location.origin) return;
    event.preventDefault();
    history.pushState({}, '', link.href);
    draw();
  });
  window.addEventListener('popstate', draw);
  draw();
</script>
</body></html>`;
}

/** How many reviews the IMDb adapter finds in a route's markup, drawn as the app draws it. */
function reviewCount(body: string): number {
  const { document } = new JSDOM(`<!doctype html><body><div id="__next">${body}</div></body>`).window;
  return imdb.find(document).length;
}

interface Summary {
  readonly siteId?: string;
  readonly found: number;
  readonly positive: number;
  readonly negative: number;
  readonly layoutUnrecognised?: boolean;
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? 'extension in real Chromium: in-app navigation on IMDb'
    : `extension in real Chromium: in-app navigation: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    let dist: string;
    let extension: LoadedExtension;
    let page: Page;
    let titleCount: number;
    let reviewsCount: number;
    let documents = 0;
    const errors: string[] = [];

    const labelled = (): Promise<number> => page.locator('[data-reelsense-label]').count();
    const waitForLabels = (count: number): Promise<unknown> =>
      page.waitForFunction((n) => document.querySelectorAll('[data-reelsense-label]').length === n, count, {
        timeout: STEP,
      });

    async function summary(): Promise<Summary | undefined> {
      const tabId = await extension.tabIdOf(page);
      const reply = (await (
        await extension.worker()
      ).evaluate(async (id) => {
        const { chrome } = globalThis as unknown as ExtensionGlobals;
        return chrome.tabs.sendMessage(id, { type: 'page-summary' }).catch(() => undefined);
      }, tabId)) as { ok: boolean; value?: Summary } | undefined;
      return reply?.ok === true ? reply.value : undefined;
    }

    /** Every marked review has exactly one badge, and the summary counts exactly those. */
    async function expectMarked(count: number): Promise<void> {
      await waitForLabels(count);
      const badges = await page
        .locator('[data-reelsense-label]')
        .evaluateAll((elements) =>
          elements.map((element) => element.querySelectorAll(':scope > [data-reelsense-badge]').length),
        );
      expect(badges).toEqual(Array.from({ length: count }, () => 1));
      await expect
        .poll(
          async () => {
            const s = await summary();
            return s === undefined ? undefined : { siteId: s.siteId, found: s.found, marked: s.positive + s.negative };
          },
          { timeout: STEP },
        )
        .toEqual({ siteId: 'imdb', found: count, marked: count });
    }

    const sameDocument = async (): Promise<void> => {
      expect(await page.evaluate(() => (window as { spaMarker?: string }).spaMarker)).toBe('still here');
      expect(documents).toBe(1);
    };

    beforeAll(async () => {
      dist = await buildExtension('chrome');
      extension = await launchWithExtension(dist);
      const title = bodyOf(fixture('imdb-title.html'));
      const reviews = bodyOf(fixture('imdb-reviews-25.html'));
      titleCount = reviewCount(title);
      reviewsCount = reviewCount(reviews);
      // The cast page shows the same reviews' markup: had the script not stopped there, it would mark them.
      const redesigned = reviews
        .replaceAll('user-review-item', 'user-review-tile')
        .replaceAll('"review-card-parent"', '"review-card-root"')
        .replaceAll('"review-overflow"', '"review-body"');
      expect(reviewCount(redesigned)).toBe(0);
      const html = appPage({ [TITLE]: title, [REVIEWS]: reviews, [CREDITS]: reviews, [REDESIGNED]: redesigned });
      await extension.context.route(`${ORIGIN}/**`, async (route) => {
        if (route.request().resourceType() === 'document') documents++;
        await route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' });
      });
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
      'marks the reviews after an in-app link from the title page, without a reload',
      async () => {
        expect(reviewsCount).toBeGreaterThan(0);
        await page.goto(`${ORIGIN}${TITLE}`);
        await expect.poll(summary, { timeout: STEP }).toBeDefined();
        await expectMarked(titleCount);
        await page.evaluate(() => {
          (window as { spaMarker?: string }).spaMarker = 'still here';
        });

        await page.locator('#to-reviews').click();
        expect(page.url()).toBe(`${ORIGIN}${REVIEWS}`);
        await expectMarked(reviewsCount);
        await sameDocument();
      },
      SLOW,
    );

    it(
      'marks them again on back and forward (popstate)',
      async () => {
        await page.goBack();
        expect(page.url()).toBe(`${ORIGIN}${TITLE}`);
        await expectMarked(titleCount);
        await page.goForward();
        expect(page.url()).toBe(`${ORIGIN}${REVIEWS}`);
        await expectMarked(reviewsCount);
        await sameDocument();
      },
      SLOW,
    );

    it(
      'stops quietly on an IMDb page no adapter handles, and starts again on the way back',
      async () => {
        await page.locator('#to-credits').click();
        expect(page.url()).toBe(`${ORIGIN}${CREDITS}`);
        await expect
          .poll(
            async () => {
              const s = await summary();
              return s === undefined ? 'no answer' : (s.siteId ?? 'no site');
            },
            { timeout: STEP },
          )
          .toBe('no site');
        // Longer than the observer's delay: nothing is marked on the new content.
        await page.waitForTimeout(1_000);
        expect(await labelled()).toBe(0);
        expect(await summary()).toMatchObject({ found: 0 });

        await page.goBack();
        expect(page.url()).toBe(`${ORIGIN}${REVIEWS}`);
        await expectMarked(reviewsCount);
        await sameDocument();
      },
      SLOW,
    );

    it(
      'on a reviews page of a layout it does not know, the popup says so and still analyses a pasted review',
      async () => {
        await page.locator('#to-redesigned').click();
        expect(page.url()).toBe(`${ORIGIN}${REDESIGNED}`);
        await expect
          .poll(summary, { timeout: STEP })
          .toMatchObject({ siteId: 'imdb', found: 0, layoutUnrecognised: true });
        expect(await labelled()).toBe(0);

        const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Parameters<
          typeof popupPath
        >[0];
        const popup = await extension.context.newPage();
        popup.setDefaultTimeout(STEP);
        popup.on('pageerror', (error) => errors.push(`popup: ${error.message}`));
        await popup.goto(`${extension.url(popupPath(manifest))}?tab=${await extension.tabIdOf(page)}`);
        await expect
          .poll(() => popup.locator('#page-summary').textContent(), { timeout: STEP })
          .toMatch(/does not recognise this page's layout/);
        expect(await popup.locator('#page-summary').getAttribute('data-layout')).toBe('unrecognised');
        await popup.getByRole('textbox', { name: 'Analyse a review' }).fill('A wonderful, moving film. I loved it.');
        await popup.getByRole('button', { name: 'Analyse', exact: true }).click();
        await popup.locator('#answer .verdict').waitFor();
        await popup.close();

        await page.goBack();
        await expectMarked(reviewsCount);
        expect(await summary()).toMatchObject({ layoutUnrecognised: false });
      },
      SLOW,
    );

    it(
      'landing on a page no adapter handles, marks the reviews an in-app link leads to',
      async () => {
        await page.close();
        page = await extension.context.newPage();
        page.setDefaultTimeout(STEP);
        page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
        documents = 0;
        await page.goto(`${ORIGIN}${CREDITS}`);
        await expect.poll(summary, { timeout: STEP }).toMatchObject({ found: 0 });
        expect(await labelled()).toBe(0);
        await page.evaluate(() => {
          (window as { spaMarker?: string }).spaMarker = 'still here';
        });
        await page.locator('#to-reviews').click();
        await expectMarked(reviewsCount);
        await sameDocument();
      },
      SLOW,
    );
  },
);
