/**
 * The Firefox build in a real Firefox (Debian's firefox-esr 140, headless, driven through
 * Marionette): it installs, its background (an MV3 event page, not a service worker) loads the
 * packed model with onnxruntime-web's WebAssembly build, and the popup answers a pasted review
 * with the Node path's score (within 1e-4). Page marking is covered in Chromium
 * (extension.test.ts); the content scripts are the same files.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClassifier } from '../../model/inference/node.ts';
import { buildExtension } from '../../scripts/chromium.ts';
import {
  FIREFOX,
  HAS_FIREFOX,
  launchFirefoxWithExtension,
  type FirefoxWithExtension,
} from '../extension/helpers/marionette.ts';

const SLOW = 180_000;
const REVIEW = 'An absolute masterpiece, moving and beautifully acted. I loved every minute of it.';
const TOLERANCE = 1e-4;

async function poll<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!HAS_FIREFOX)(
  HAS_FIREFOX
    ? 'extension in real Firefox'
    : `extension in real Firefox: SKIPPED, ${FIREFOX} not found (apt-get install firefox-esr)`,
  () => {
    let dist: string;
    let firefox: FirefoxWithExtension;

    beforeAll(async () => {
      dist = await buildExtension('firefox');
      firefox = await launchFirefoxWithExtension(dist);
    }, SLOW);

    afterAll(async () => {
      await firefox.close();
      rmSync(dist, { recursive: true, force: true });
    }, SLOW);

    it(
      'loads the model in the event page, and the popup answers with the server path’s score',
      async () => {
        await firefox.command('WebDriver:Navigate', { url: firefox.url('extension/src/popup/index.html') });
        // The popup asks the background to load the model, then shows its version.
        const mode = await poll(
          () => firefox.text('#mode'),
          (text) => text.includes('rnn-v3'),
        );
        expect(mode).toBe('On-device · rnn-v3');

        await firefox.type('#review', REVIEW);
        await firefox.click('#analyse');
        const answer = await poll(
          () => firefox.text('#answer'),
          (text) => text !== '',
        );
        expect(answer).toMatch(/^Positive, \d+% confident\nModel rnn-v3, on-device, \d+ ms$/);
        const score = Number(await firefox.attribute('#answer .verdict', 'data-reelsense-score'));
        const expected = await (await createNodeClassifier()).classify(REVIEW);
        expect(Math.abs(score - expected.score)).toBeLessThan(TOLERANCE);
      },
      SLOW,
    );

    it(
      'opens the options page with on-device mode and the four sites switched on',
      async () => {
        await firefox.command('WebDriver:Navigate', { url: firefox.url('extension/src/options/index.html') });
        const sites = await poll(
          () => firefox.text('#sites'),
          (text) => text.includes('Metacritic'),
        );
        expect(sites).toContain('IMDb');
        expect(await firefox.selected('input[name="mode"][value="on-device"]')).toBe(true);
        expect(await firefox.selected('input[data-site="imdb"]')).toBe(true);
      },
      SLOW,
    );
  },
);
