/** Scores texts the way the settings say: on-device, or through the API with on-device fallback. */
import browser from 'webextension-polyfill';
import { analyseMany } from '../../../public-api/client.ts';
import { AnswerCache, type SessionArea } from './via-api/cache.ts';
import { ApiScorer } from './via-api/scorer.ts';
import type { Classification } from '../common/messages/types.ts';
import { loadSettings } from '../common/settings/storage.ts';
import { classifyOnDevice } from './on-device/scorer.ts';

/** storage.session where the browser has it (Chrome 102+, Firefox 115+). */
function sessionArea(): SessionArea | undefined {
  const area = (browser.storage as { session?: SessionArea }).session;
  return area;
}

export const apiScorer = new ApiScorer({
  post: analyseMany,
  onDevice: classifyOnDevice,
  cache: new AnswerCache(sessionArea()),
});

export async function classifyTexts(texts: readonly string[]): Promise<Classification> {
  const settings = await loadSettings();
  if (settings.mode === 'api') return apiScorer.classify(texts, settings);
  const { results, model } = await classifyOnDevice(texts);
  return { results, model, scorer: 'on-device' };
}
