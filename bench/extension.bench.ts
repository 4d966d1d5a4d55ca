/**
 * The extension's figures, measured in headless Chromium (/usr/bin/chromium) with the built
 * extension loaded unpacked (the end-to-end test's setup):
 *   npx tsx bench/extension.bench.ts [--runs 5] [--answers 20] [--page-load-ms 1500]
 * - page marking on-device: the saved IMDb page of 25 reviews (tests/fixtures/sites/imdb-reviews-25.html,
 *   served at an imdb.com URL), time from the content script starting to the 25th review marked
 *   (the content script's own clock), and from navigation start; cold (a fresh browser each run:
 *   service worker and model loaded from nothing) and warm (reloads in one browser); medians.
 *   The saved page loads at once; a real review page takes a while (IMDb's runs scripts for
 *   seconds), during which the warm-up content script loads the model. So cold runs are also
 *   made with the page's parsing held up by a script that takes --page-load-ms to arrive.
 * - the popup answering a pasted review (its verdict and what decided it): cold (the first answer
 *   after the browser starts) and warm (median and p90 of --answers answers), click to answer, as
 *   the popup times it. The reviews pasted are the saved page's own, in page order; with
 *   --explain, IMDB-length test reviews (bench/lib/io.ts): an explanation's cost on-device.
 * Medians and p90 are nearest-rank quantiles (common/stats.ts).
 * - the packed size: the Chrome build zipped (zip -9, as a store upload), largest files first.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseFlags, positiveIntegerFlag, runCli } from '../common/cli/run.ts';
import { median, quantile } from '../common/stats.ts';
import { imdbLengthTexts } from './lib/io.ts';
import {
  buildExtension,
  CHROMIUM,
  HAS_CHROMIUM,
  launchWithExtension,
  popupPath,
  ROOT,
  type ExtensionGlobals,
  type LoadedExtension,
} from '../scripts/chromium.ts';
import { zippedSize } from '../scripts/disk.ts';

const REVIEWS_URL = 'https://www.imdb.com/title/tt0000000/reviews/';
const SLOW_SCRIPT = 'https://www.imdb.com/__reelsense-bench-slow.js';
const FIXTURE_HTML = readFileSync(join(ROOT, 'tests/fixtures/sites/imdb-reviews-25.html'), 'utf8');
const REVIEWS = 25;
const TIMEOUT = 60_000;

/** The saved page's reviews as text (IMDb's review bodies), for the popup. */
const PAGE_REVIEWS = [...FIXTURE_HTML.matchAll(/<div class="ipc-html-content-inner-div"[^>]*>([\s\S]*?)<\/div>/g)].map(
  ([, body = '']) => body.replace(/(?:<[^>]*>|\s)+/g, ' ').trim(),
);
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const list = (xs: readonly number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
/** The median and each run's figure: "412 ms  [398, 412, 430]". */
const runsOf = (xs: readonly number[]): string => `${ms(median(xs))}  [${list(xs)}]`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

interface PageTiming {
  /** Content script start -> 25th review marked (content script clock). */
  readonly fromScript: number;
  /** Navigation start -> 25 reviews marked (page clock). */
  readonly fromNavigation: number;
}

/** Serves the saved page; with `loadMs`, a blocking script in its head holds parsing up that long. */
async function prepare(extension: LoadedExtension, loadMs = 0): Promise<Page> {
  const html =
    loadMs === 0 ? FIXTURE_HTML : FIXTURE_HTML.replace('</head>', `<script src="${SLOW_SCRIPT}"></script></head>`);
  await extension.context.route(SLOW_SCRIPT, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, loadMs));
    await route.fulfill({ body: '// a slow page', contentType: 'text/javascript' });
  });
  await extension.context.route(REVIEWS_URL, (route) =>
    route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
  );
  const page = await extension.context.newPage();
  // In the page's own world: when do 25 reviews carry their label?
  await page.addInitScript((count: number) => {
    const scope = window as unknown as { __reelsenseMarkedAt?: number };
    new MutationObserver((_records, observer) => {
      if (document.querySelectorAll('[data-reelsense-label]').length >= count) {
        scope.__reelsenseMarkedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-reelsense-label'] });
  }, REVIEWS);
  return page;
}

async function markPage(extension: LoadedExtension, page: Page): Promise<PageTiming> {
  await page.goto(REVIEWS_URL);
  await page.waitForFunction(() => (window as unknown as { __reelsenseMarkedAt?: number }).__reelsenseMarkedAt, null, {
    timeout: TIMEOUT,
  });
  const fromNavigation = await page.evaluate(
    () => (window as unknown as { __reelsenseMarkedAt: number }).__reelsenseMarkedAt,
  );
  const tabId = await extension.tabIdOf(page);
  const worker = await extension.worker();
  const reply = (await worker.evaluate(async (id) => {
    const { chrome } = globalThis as unknown as ExtensionGlobals;
    return chrome.tabs.sendMessage(id, { type: 'page-summary' });
  }, tabId)) as { ok: boolean; value?: { markedAfterMs?: number; positive: number; negative: number } };
  const summary = reply.value;
  if (summary?.markedAfterMs === undefined || summary.positive + summary.negative !== REVIEWS) {
    throw new Error(`The page was not fully marked: ${JSON.stringify(reply)}`);
  }
  return { fromScript: summary.markedAfterMs, fromNavigation };
}

async function popupAnswer(popup: Page, text: string): Promise<number> {
  await popup.locator('#review').fill(text);
  await popup.locator('#answer').evaluate((answer) => {
    answer.replaceChildren();
  });
  await popup.locator('#analyse').click();
  const verdict = popup.locator('#answer .verdict');
  await verdict.waitFor({ timeout: TIMEOUT });
  return Number(await verdict.getAttribute('data-elapsed-ms'));
}

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), ['runs', 'answers', 'page-load-ms'], ['explain']);
  const runs = positiveIntegerFlag(flags, 'runs', 5);
  const answers = positiveIntegerFlag(flags, 'answers', 20);
  const pageLoadMs = positiveIntegerFlag(flags, 'page-load-ms', 1500);
  if (!HAS_CHROMIUM) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
  const dist = await buildExtension('chrome');
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Parameters<typeof popupPath>[0];
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  // The popup's answer is a verdict and what decided it; with --explain, for IMDB-length reviews.
  const imdb = flags.has('explain') ? await imdbLengthTexts(Math.max(answers, runs)) : undefined;
  const texts = imdb?.texts ?? PAGE_REVIEWS;
  const pasted = (i: number): string => texts[i % texts.length] ?? '';
  const chromium = `headless ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()}`;
  try {
    out(`extension bench: ${chromium}, ${runs} runs`);

    // Cold: a fresh browser per run, so the service worker and the model start from nothing.
    const cold: PageTiming[] = [];
    const coldSlow: PageTiming[] = [];
    const popupCold: number[] = [];
    for (let run = 0; run < runs; run++) {
      for (const [timings, loadMs] of [
        [cold, 0],
        [coldSlow, pageLoadMs],
      ] as const) {
        const extension = await launchWithExtension(dist);
        try {
          timings.push(await markPage(extension, await prepare(extension, loadMs)));
        } finally {
          await extension.close();
        }
      }
      const fresh = await launchWithExtension(dist);
      try {
        const popup = await fresh.context.newPage();
        await popup.goto(fresh.url(popupPath(manifest)));
        popupCold.push(await popupAnswer(popup, pasted(run)));
      } finally {
        await fresh.close();
      }
    }

    // Warm: one browser, the model loaded by a first load, then reloads.
    const warm: PageTiming[] = [];
    const popupWarm: number[] = [];
    const extension = await launchWithExtension(dist);
    try {
      const page = await prepare(extension);
      await markPage(extension, page);
      for (let run = 0; run < runs; run++) warm.push(await markPage(extension, page));
      const popup = await extension.context.newPage();
      await popup.goto(extension.url(popupPath(manifest)));
      await popupAnswer(popup, 'Warming up.');
      for (let i = 0; i < answers; i++) popupWarm.push(await popupAnswer(popup, pasted(i)));
    } finally {
      await extension.close();
    }

    out('');
    out(`25 reviews marked on-device (content script start -> 25th marked), median of ${runs}:`);
    out(`  cold (fresh browser; worker and model load): ${runsOf(cold.map((t) => t.fromScript))}`);
    out(`  warm (model loaded; page reloads):           ${runsOf(warm.map((t) => t.fromScript))}`);
    out(
      `  cold, a page that takes ${pageLoadMs} ms to load (the model loads meanwhile): ${runsOf(coldSlow.map((t) => t.fromScript))}`,
    );
    out(
      `  from navigation start: cold ${ms(median(cold.map((t) => t.fromNavigation)))}, warm ${ms(median(warm.map((t) => t.fromNavigation)))}, cold with the ${pageLoadMs} ms page ${ms(median(coldSlow.map((t) => t.fromNavigation)))}`,
    );
    const reviews = imdb ? `IMDB test reviews of ${imdb.tokens.toFixed(0)} +-20% tokens` : "the saved page's reviews";
    out(`popup, a pasted review on-device (click -> verdict and what decided it; ${reviews}):`);
    out(`  cold (first answer after the browser starts): median ${runsOf(popupCold)}`);
    out(`  warm: median ${ms(median(popupWarm))}, p90 ${ms(quantile(popupWarm, 0.9))} over ${answers} answers`);

    const { zip, files: largest } = zippedSize(dist);
    const total = largest.reduce((sum, row) => sum + row.size, 0);
    out(
      `packed extension (Chrome build, zip -9): ${mib(zip)} (${mib(total)} unpacked, ${largest.length} files); largest:`,
    );
    for (const row of largest.slice(0, 8)) {
      out(`  ${kib(row.packed).padStart(12)} packed  ${kib(row.size).padStart(12)}  ${row.name}`);
    }
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});
