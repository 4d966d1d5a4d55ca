/**
 * The popup: the current mode, the page's summary ("18 of 25 positive") with the switch for its
 * site (or "Analyse this page" elsewhere), the last selection's answer, and a text box that
 * scores a pasted review. The tab it reports on is the active one, or `?tab=<id>` when the popup
 * is opened as a page (tests do that).
 */
import browser from 'webextension-polyfill';
import { MessageError } from '../common/messages/reply.ts';
import { toBackground, toTab } from '../common/messages/send.ts';
import {
  emptySummary,
  type Classification,
  type PageSummary,
  type SelectionAnswer,
  type Status,
} from '../common/messages/types.ts';
import { withSite } from '../common/settings/settings.ts';
import { updateSettings } from '../common/settings/storage.ts';
import { problemOf, verdictOf } from '../common/kit-adapters.ts';
import { elementById } from '../../../ui/dom.ts';
import { renderProblem } from '../../../ui/problem.ts';
import { renderTextChanged, TextBoundAnswer } from '../../../ui/text-bound.ts';
import { renderVerdict } from '../../../ui/verdict.ts';
import '../common/pages.css';

const REFRESH_MS = 1_000;

const element = <T extends HTMLElement>(id: string, type: new () => T): T => elementById(document, id, type);

const mode = element('mode', HTMLElement);
const pageSummary = element('page-summary', HTMLElement);
const pageNote = element('page-note', HTMLElement);
const switchLabel = element('site-switch-label', HTMLLabelElement);
const siteSwitch = element('site-switch', HTMLInputElement);
const switchText = element('site-switch-text', HTMLElement);
const analysePage = element('analyse-page', HTMLButtonElement);
const selection = element('selection', HTMLElement);
const selectionText = element('selection-text', HTMLElement);
const selectionAnswer = element('selection-answer', HTMLElement);
const form = element('review-form', HTMLFormElement);
const review = element('review', HTMLTextAreaElement);
const analyse = element('analyse', HTMLButtonElement);
const answer = element('answer', HTMLElement);
const openOptions = element('open-options', HTMLButtonElement);
// Any change to the text clears the verdict shown for the old text.
const bound = new TextBoundAnswer(review, () => {
  answer.replaceChildren(renderTextChanged(document));
});

async function currentTabId(): Promise<number | undefined> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab') ?? Number.NaN);
  if (Number.isInteger(fromQuery)) return fromQuery;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

function showMode(status: Status): void {
  mode.textContent =
    status.mode === 'api'
      ? `API: ${new URL(status.apiUrl).host}`
      : `On-device${status.model === undefined ? '' : ` · ${status.model}`}`;
  mode.dataset.mode = status.mode;
}

function showSelection(last: SelectionAnswer | undefined): void {
  selection.hidden = last === undefined;
  if (last === undefined) return;
  selectionText.textContent = last.text.length > 200 ? `${last.text.slice(0, 199)}…` : last.text;
  // With an explanation the verdict shows the text itself, its deciding words tinted.
  selectionText.hidden = last.outcome.ok && last.outcome.value.results[0]?.explanation !== undefined;
  if (last.outcome.ok) showVerdict(selectionAnswer, last.outcome.value, { text: last.text });
  else selectionAnswer.replaceChildren(renderProblem(document, problemOf(last.outcome.problem), 'compact'));
}

function showVerdict(
  region: HTMLElement,
  classification: Classification,
  extra: Parameters<typeof verdictOf>[1] = {},
): void {
  const verdict = verdictOf(classification, extra);
  region.replaceChildren(...(verdict === undefined ? [] : [renderVerdict(document, verdict, 'compact')]));
}

function showSummary(summary: PageSummary | undefined): void {
  const onSite = summary?.siteId !== undefined && summary.siteId !== 'generic';
  switchLabel.hidden = !onSite;
  analysePage.hidden = onSite || (summary !== undefined && summary.found > 0);
  pageNote.hidden = summary?.note === undefined;
  pageNote.textContent = summary?.note ?? '';
  if (summary === undefined) {
    pageSummary.textContent = 'ReelSense cannot read this page.';
    analysePage.hidden = true;
    return;
  }
  if (onSite) {
    pageSummary.dataset.siteId = summary.siteId;
    siteSwitch.checked = summary.enabled;
    switchText.textContent = `Mark reviews on ${summary.siteName ?? 'this site'}`;
  }
  const scored = summary.positive + summary.negative + summary.mixed;
  const parts: string[] = [];
  if (onSite && !summary.enabled) parts.push(`Off on ${summary.siteName ?? 'this site'}.`);
  else if (summary.layoutUnrecognised) {
    parts.push(
      `ReelSense does not recognise this page's layout: it shows reviews, but none could be read. Select a review's text to check it, or paste it below.`,
    );
  } else if (summary.found === 0) parts.push(onSite ? 'No reviews found on this page yet.' : 'No reviews marked here.');
  else {
    // Unreadable reviews have no verdict: counted apart, not among the scored ones.
    if (scored > 0) {
      parts.push(`${summary.positive} of ${scored} positive${summary.mixed > 0 ? `, ${summary.mixed} mixed` : ''}.`);
    }
    if (summary.unreadable > 0) parts.push(`${summary.unreadable} not in English: ReelSense reads English reviews.`);
  }
  if (summary.pending > 0) parts.push(`${summary.pending} being read.`);
  if (summary.failed > 0) parts.push(`${summary.failed} could not be scored.`);
  pageSummary.textContent = parts.join(' ');
  pageSummary.dataset.positive = String(summary.positive);
  pageSummary.dataset.scored = String(scored);
  pageSummary.dataset.unreadable = String(summary.unreadable);
  pageSummary.dataset.layout = summary.layoutUnrecognised ? 'unrecognised' : 'known';
}

async function refreshPage(tabId: number | undefined): Promise<void> {
  if (tabId === undefined) {
    showSummary(undefined);
    return;
  }
  try {
    showSummary(await toTab(tabId, { type: 'page-summary' }));
  } catch {
    // No content script: a page outside the four sites, or one the extension may not touch.
    showSummary(emptySummary(undefined, false));
  }
}

async function analyseText(): Promise<void> {
  const boxText = bound.text();
  const text = boxText.trim();
  if (text === '' || analyse.disabled) return;
  analyse.disabled = true;
  answer.setAttribute('aria-busy', 'true');
  const started = performance.now();
  try {
    // The verdict and what decided it: the text is shown with its deciding words tinted.
    const classification = await toBackground({ type: 'explain', text });
    // The text changed while it was being read: this verdict is not about it.
    if (!bound.isCurrent(boxText)) answer.replaceChildren(renderTextChanged(document));
    else showVerdict(answer, classification, { elapsedMs: performance.now() - started, text });
  } catch (error) {
    const problem =
      error instanceof MessageError
        ? { code: error.code, message: error.message }
        : { code: 'INTERNAL', message: 'ReelSense could not analyse the text.' };
    if (!bound.isCurrent(boxText)) answer.replaceChildren(renderTextChanged(document));
    else answer.replaceChildren(renderProblem(document, problemOf(problem), 'compact'));
  } finally {
    if (bound.isCurrent(boxText)) bound.shown(boxText);
    analyse.disabled = false;
    answer.setAttribute('aria-busy', 'false');
  }
}

async function main(): Promise<void> {
  const tabId = await currentTabId();
  const status = await toBackground({ type: 'status' });
  showMode(status);
  showSelection(status.lastSelection);
  // Load the model while the user reads or types, so the first answer is quick.
  if (status.mode === 'on-device' && status.model === undefined) {
    void toBackground({ type: 'warm-up' }).then(async () => {
      showMode(await toBackground({ type: 'status' }));
    });
  }
  await refreshPage(tabId);
  setInterval(() => void refreshPage(tabId), REFRESH_MS);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void analyseText();
  });
  review.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void analyseText();
    }
  });
  siteSwitch.addEventListener('change', () => {
    const siteId = pageSummary.dataset.siteId;
    if (siteId !== undefined) void updateSettings((settings) => withSite(settings, siteId, siteSwitch.checked));
  });
  analysePage.addEventListener('click', () => {
    if (tabId === undefined) return;
    analysePage.disabled = true;
    pageSummary.textContent = 'Looking for reviews…';
    toBackground({ type: 'analyse-page', tabId })
      .then(showSummary, (error: unknown) => {
        pageSummary.textContent = error instanceof MessageError ? error.message : 'ReelSense cannot read this page.';
      })
      .finally(() => {
        analysePage.disabled = false;
      });
  });
  openOptions.addEventListener('click', () => void browser.runtime.openOptionsPage());
}

void main();
