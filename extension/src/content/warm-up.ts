/**
 * The first thing the extension does on a review page: at document_start, while the page is
 * still loading, it asks the background to load the model (on-device mode, site switched on),
 * so that by the time the main content script (index.ts, at document_idle) finds the reviews,
 * the model is ready. Loading takes a second or two from cold (Chrome stops an idle service
 * worker after 30 s), about what a review page takes to load.
 */
import browser from 'webextension-polyfill';
import { adapterFor } from './adapters/index.ts';
import { siteEnabled } from '../common/settings/settings.ts';
import { loadSettings } from '../common/settings/storage.ts';

const adapter = adapterFor(new URL(location.href));
if (adapter !== undefined) {
  void loadSettings().then(async (settings) => {
    if (settings.mode === 'on-device' && siteEnabled(settings, adapter.id)) {
      // Fire and forget: the reply is only whether the model was loaded.
      await browser.runtime.sendMessage({ type: 'warm-up' }).catch(() => undefined);
    }
  });
}
