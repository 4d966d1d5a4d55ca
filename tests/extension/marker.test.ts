// @vitest-environment jsdom
/**
 * The content script's marker on the saved IMDb page (tests/fixtures/sites/imdb-reviews-25.html)
 * with the real IMDb adapter and a stand-in for the background: every review marked from one
 * batch, later reviews followed without scoring the others again, the counts for the popup, a
 * failure reported and retried, and stop() leaving the page as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { imdb, type SiteAdapter } from '../../extension/src/content/adapters/index.ts';
import { PageMarker } from '../../extension/src/content/marker.ts';
import { MessageError } from '../../extension/src/common/messages/reply.ts';
import type { Classification } from '../../extension/src/common/messages/types.ts';
import { ROOT } from './helpers/paths.ts';

const HTML = readFileSync(join(ROOT, 'tests/fixtures/sites/imdb-reviews-25.html'), 'utf8');
const DELAY = 150; // more than the observer's 100 ms

function page(): Document {
  // The test's own fixture in an inert document; the extension never parses HTML.
  return new DOMParser().parseFromString(HTML, 'text/html');
}

/** A stand-in background: "positive" when the fixture expects it, so labels can be checked. */
function background(doc: Document): {
  classify: (texts: readonly string[]) => Promise<Classification>;
  calls: string[][];
} {
  const calls: string[][] = [];
  return {
    calls,
    classify: async (texts) => {
      calls.push([...texts]);
      const expected = new Map(imdb.find(doc).map((r) => [r.text, r.element.dataset.expectedLabel]));
      return Promise.resolve({
        results: texts.map((t) =>
          expected.get(t) === 'negative'
            ? { label: 'negative', score: 0.02, readable: 1 }
            : { label: 'positive', score: 0.97, readable: 1 },
        ),
        model: 'rnn-v3',
        scorer: 'on-device',
      });
    },
  };
}

function appendLater(doc: Document): void {
  const template = doc.querySelector<HTMLTemplateElement>('template#later-reviews');
  const list = doc.querySelector('[data-testid="tturv-review-list"]');
  if (template === null || list === null) throw new Error('the fixture changed');
  list.append(doc.importNode(template.content, true));
}

const labels = (doc: Document): (string | null)[] =>
  [...doc.querySelectorAll('article.user-review-item')].map((a) => a.getAttribute('data-reelsense-label'));
const expectedLabels = (doc: Document): (string | undefined)[] =>
  [...doc.querySelectorAll<HTMLElement>('article.user-review-item')].map((a) => a.dataset.expectedLabel);
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let marker: PageMarker | undefined;
afterEach(() => {
  marker?.stop();
});

describe('PageMarker', () => {
  it('marks every review from one batch, and counts them for the popup', async () => {
    const doc = page();
    const bg = background(doc);
    let clock = 0;
    marker = new PageMarker(doc, imdb, bg.classify, { startedAt: 0, now: () => (clock += 10) });
    await marker.start();
    expect(bg.calls.map((c) => c.length)).toEqual([25]);
    expect(labels(doc)).toEqual(expectedLabels(doc));
    expect(doc.querySelectorAll('[data-reelsense-badge]')).toHaveLength(25);
    expect(marker.summary()).toEqual({
      siteId: 'imdb',
      siteName: 'IMDb',
      enabled: true,
      found: 25,
      positive: 13,
      negative: 12,
      mixed: 0,
      unreadable: 0,
      pending: 0,
      failed: 0,
      note: undefined,
      markedAfterMs: 10,
      layoutUnrecognised: false,
    });
  });

  it('counts unreadable reviews apart, each marked data-reelsense-label="unreadable"', async () => {
    const doc = page();
    const unreadable = async (texts: readonly string[]): Promise<Classification> =>
      Promise.resolve({
        results: texts.map((_, i) =>
          i < 3
            ? { label: 'unreadable' as const, score: 0.38, readable: 0.2 }
            : { label: 'positive' as const, score: 0.9, readable: 1 },
        ),
        model: 'rnn-v3',
        scorer: 'on-device' as const,
      });
    marker = new PageMarker(doc, imdb, unreadable, { startedAt: 0 });
    await marker.start();
    expect(marker.summary()).toMatchObject({ found: 25, positive: 22, negative: 0, mixed: 0, unreadable: 3 });
    expect(labels(doc).filter((label) => label === 'unreadable')).toHaveLength(3);
  });

  it('follows reviews added later, scoring only those', async () => {
    const doc = page();
    const bg = background(doc);
    let scans = 0;
    const counting: SiteAdapter = {
      ...imdb,
      find: (root) => {
        scans++;
        return imdb.find(root);
      },
    };
    marker = new PageMarker(doc, counting, bg.classify, { startedAt: 0 });
    await marker.start();
    const firstBadges = [...doc.querySelectorAll('[data-reelsense-badge]')];
    expect(scans).toBe(1);

    appendLater(doc);
    await wait(DELAY);
    await marker.settled();
    expect(scans).toBe(2);
    expect(bg.calls.map((c) => c.length)).toEqual([25, 2]);
    expect(labels(doc)).toEqual(expectedLabels(doc));
    expect(labels(doc)).toHaveLength(27);
    // The first 25 badges are the same nodes: nothing was marked twice.
    expect(firstBadges.every((badge) => badge.isConnected)).toBe(true);
    expect(doc.querySelectorAll('[data-reelsense-badge]')).toHaveLength(27);
    expect(marker.summary()).toMatchObject({ found: 27, positive: 14, negative: 13 });

    // Text, changes inside marked reviews (a vote count) and the badges themselves cause no scan.
    const review = doc.querySelector('article.user-review-item');
    review?.append(doc.createElement('span'), 'Helpful 313');
    review?.querySelector('h3')?.append(' (edited)');
    await wait(DELAY);
    expect(scans).toBe(2);
    // Anything else is looked at, but only new reviews are scored.
    doc.body.append(doc.createElement('footer'));
    await wait(DELAY);
    await marker.settled();
    expect(scans).toBe(3);
    expect(bg.calls).toHaveLength(2);
  });

  it('stop() removes every badge and attribute, and stops following the page', async () => {
    const doc = page();
    const before = doc.body.outerHTML;
    const bg = background(doc);
    marker = new PageMarker(doc, imdb, bg.classify, { startedAt: 0 });
    await marker.start();
    marker.stop();
    expect(doc.body.outerHTML).toBe(before);
    expect(marker.summary()).toMatchObject({ enabled: false, found: 0 });

    appendLater(doc);
    await wait(DELAY);
    expect(bg.calls).toHaveLength(1);
    expect(doc.querySelectorAll('[data-reelsense-label], [data-reelsense-badge]')).toHaveLength(0);
  });

  it('reports a failure, and tries those reviews again on the next scan', async () => {
    const doc = page();
    const bg = background(doc);
    let fail = true;
    const classify = async (texts: readonly string[]): Promise<Classification> => {
      if (fail) throw new MessageError('NO_BACKGROUND', 'ReelSense could not reach its background page.');
      return bg.classify(texts);
    };
    marker = new PageMarker(doc, imdb, classify, { startedAt: 0 });
    await marker.start();
    expect(marker.summary()).toMatchObject({
      found: 25,
      failed: 25,
      positive: 0,
      note: 'ReelSense could not reach its background page.',
    });
    fail = false;
    await marker.scan();
    expect(marker.summary()).toMatchObject({ found: 25, failed: 0, positive: 13, negative: 12, note: undefined });
  });

  it('does not mark a review removed while it was being scored, nor count it', async () => {
    const doc = page();
    const bg = background(doc);
    const slow = async (texts: readonly string[]): Promise<Classification> => {
      doc.querySelector('article.user-review-item')?.remove();
      return bg.classify(texts);
    };
    marker = new PageMarker(doc, imdb, slow, { startedAt: 0 });
    await marker.start();
    expect(marker.summary()).toMatchObject({ found: 24, pending: 0 });
    expect(doc.querySelectorAll('[data-reelsense-badge]')).toHaveLength(24);
  });

  it('navigated(): keeps the marks still on the page unscored, forgets the gone, marks the new', async () => {
    const doc = page();
    const bg = background(doc);
    let clock = 0;
    marker = new PageMarker(doc, imdb, bg.classify, { startedAt: 0, now: () => clock });
    await marker.start();
    const first = imdb.find(doc).map((r) => r.element);
    expect(first.length).toBeGreaterThan(1);
    // The app swaps part of the page: the first review goes, the later ones come.
    const [gone, ...kept] = first;
    if (gone === undefined) throw new Error('no review');
    const keptBadges = kept.map((element) => element.querySelector('[data-reelsense-badge]'));
    gone.remove();
    appendLater(doc);
    const added = imdb.find(doc).length - kept.length;
    clock = 1000;
    await marker.navigated(900);
    expect(bg.calls.map((c) => c.length)).toEqual([first.length, added]);
    expect(kept.map((element) => element.querySelector('[data-reelsense-badge]'))).toEqual(keptBadges);
    expect(gone.hasAttribute('data-reelsense-label')).toBe(false);
    expect(gone.querySelector('[data-reelsense-badge]')).toBeNull();
    expect(marker.summary()).toMatchObject({ found: kept.length + added, markedAfterMs: 100 });

    // Put back by the app (back, with the node kept): marked once more, with one badge.
    doc.querySelector('[data-testid="tturv-review-list"]')?.prepend(gone);
    await marker.navigated();
    expect(bg.calls.map((c) => c.length)).toEqual([first.length, added, 1]);
    expect(gone.querySelectorAll('[data-reelsense-badge]')).toHaveLength(1);
    expect(marker.summary()).toMatchObject({ found: first.length + added });
  });
});
