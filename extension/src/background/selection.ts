/**
 * "ReelSense: analyse sentiment" on selected text, from the context menu or the keyboard command
 * (`analyse-selection`, rebindable in the browser's shortcut settings): the text is scored and
 * explained (explain.ts), the answer is kept for the popup (storage.session) and shown in place in
 * a small popover, the deciding words tinted.
 */
import browser from 'webextension-polyfill';
import { DEFAULT_LIMITS } from '../../../public-api/contract.ts';
import { failed, ok, problemFrom } from '../common/messages/reply.ts';
import { toTab } from '../common/messages/send.ts';
import type { SelectionAnswer } from '../common/messages/types.ts';
import { isSelectionAnswer } from '../common/messages/validate.ts';
import { explainText } from './explain.ts';
import { ensureContentScript } from './inject.ts';

export const MENU_ID = 'analyse-selection';
export const COMMAND = 'analyse-selection';
const LAST_SELECTION_KEY = 'lastSelection';
/** The longest selection scored; a review is rarely longer, and the rest would not change much. */
export const MAX_SELECTION_CHARS = DEFAULT_LIMITS.maxReviewChars;

let lastInMemory: SelectionAnswer | undefined;

export async function createMenus(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({ id: MENU_ID, title: 'ReelSense: analyse sentiment', contexts: ['selection'] });
}

export async function analyseSelection(text: string, tabId: number | undefined, frameId = 0): Promise<SelectionAnswer> {
  const trimmed = text.trim().slice(0, MAX_SELECTION_CHARS);
  let outcome: SelectionAnswer['outcome'];
  if (trimmed === '') {
    outcome = failed({ code: 'EMPTY_SELECTION', message: 'Select some text first, then ask ReelSense.' });
  } else {
    try {
      // Its verdict and what decided it: the popover and the popup tint the deciding words.
      outcome = ok(await explainText(trimmed));
    } catch (error) {
      outcome = failed(problemFrom(error, 'ReelSense could not score the selection.'));
    }
  }
  const answer: SelectionAnswer = { text: trimmed, outcome, at: Date.now() };
  await remember(answer);
  if (tabId !== undefined) {
    try {
      await ensureContentScript(tabId, frameId);
      await toTab(tabId, { type: 'show-selection', answer }, frameId);
    } catch {
      // A page the extension may not touch (the browser's own pages, a store): the popup shows it.
    }
  }
  return answer;
}

/** The keyboard command carries no text: the content script reads the page's selection. */
export async function analyseSelectionInTab(tabId: number): Promise<SelectionAnswer> {
  let text = '';
  try {
    await ensureContentScript(tabId);
    ({ text } = await toTab(tabId, { type: 'read-selection' }));
  } catch {
    // Nothing readable: the answer says to select something.
  }
  return analyseSelection(text, tabId);
}

async function remember(answer: SelectionAnswer): Promise<void> {
  lastInMemory = answer;
  try {
    await browser.storage.session.set({ [LAST_SELECTION_KEY]: answer });
  } catch {
    // No storage.session: memory only.
  }
}

export async function lastSelection(): Promise<SelectionAnswer | undefined> {
  try {
    const stored = (await browser.storage.session.get(LAST_SELECTION_KEY))[LAST_SELECTION_KEY];
    if (isSelectionAnswer(stored)) return stored;
  } catch {
    // No storage.session.
  }
  return lastInMemory;
}
