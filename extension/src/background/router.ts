/**
 * Answers the messages the background receives: each is checked (unknown until then) and answered
 * with a Reply, never a thrown error, so the sender gets a code and a sentence.
 */
import type { Runtime } from 'webextension-polyfill';
import browser from 'webextension-polyfill';
import { failed, ok, problemFrom } from '../common/messages/reply.ts';
import { toTab } from '../common/messages/send.ts';
import type { BackgroundReplies, BackgroundRequest, Reply } from '../common/messages/types.ts';
import { parseBackgroundRequest } from '../common/messages/validate.ts';
import { loadSettings } from '../common/settings/storage.ts';
import { classifyTexts } from './classify.ts';
import { explainText } from './explain.ts';
import { ensureContentScript } from './inject.ts';
import { loadedModelVersion, warmUp } from './on-device/scorer.ts';
import { lastSelection } from './selection.ts';

type AnyReply = Reply<BackgroundReplies[keyof BackgroundReplies]>;

export async function handleMessage(message: unknown, sender: Runtime.MessageSender): Promise<AnyReply> {
  // Only this extension's own pages and content scripts can reach runtime.onMessage; check anyway.
  if (sender.id !== browser.runtime.id) {
    return failed({ code: 'FORBIDDEN', message: 'Messages from other extensions are not accepted.' });
  }
  const parsed = parseBackgroundRequest(message);
  if (!parsed.ok) return failed(parsed.problem);
  try {
    return ok(await answer(parsed.request));
  } catch (error) {
    return failed(problemFrom(error, `ReelSense could not handle "${parsed.request.type}".`));
  }
}

async function answer(request: BackgroundRequest): Promise<BackgroundReplies[keyof BackgroundReplies]> {
  switch (request.type) {
    case 'classify':
      return classifyTexts(request.texts);
    case 'explain':
      return explainText(request.text);
    case 'status': {
      const settings = await loadSettings();
      return {
        mode: settings.mode,
        apiUrl: settings.apiUrl,
        model: loadedModelVersion(),
        lastSelection: await lastSelection(),
      };
    }
    case 'warm-up':
      return { warmed: await warmUp() };
    case 'analyse-page':
      // The popup's "Analyse this page": the generic adapter, on the user's click (activeTab).
      await ensureContentScript(request.tabId);
      return toTab(request.tabId, { type: 'mark-page' });
  }
}
