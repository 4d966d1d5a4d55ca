/**
 * Wires the page: the review field and its counter, the Analyse button (and Ctrl/Cmd+Enter),
 * the answer region, and the API URL setting. The page's states live in view.ts (around the UI
 * kit's views in ui/), the HTTP call in public-api/client.ts, the URL rules in settings.ts.
 */
import { DEFAULT_LIMITS } from '../../public-api/contract.ts';
import { analyse, ApiFailure } from '../../public-api/client.ts';
import { elementById } from '../../ui/dom.ts';
import { TextBoundAnswer } from '../../ui/text-bound.ts';
import {
  browserStorage,
  defaultApiUrl,
  forgetApiUrl,
  QUERY_PARAMETER,
  rememberApiUrl,
  resolveApiUrl,
} from './settings.ts';
import { renderAnswer, reviewStatus, type AnswerState } from './view.ts';

/** Replaced at build time from REELSENSE_API_PORT (website/vite.config.ts). */
declare const __REELSENSE_API_PORT__: number;

const MAX_CHARS = DEFAULT_LIMITS.maxReviewChars;
const EXAMPLE_REVIEW =
  'I went in expecting another by-the-numbers sequel and came out grinning. The script is sharp, the two leads ' +
  'have real chemistry, and the final chase is the most inventive action scene I have seen in years. A few jokes ' +
  'fall flat in the middle, but I would happily watch it again.';

const element = <T extends HTMLElement>(id: string, type: new () => T): T => elementById(document, id, type);

const form = element('review-form', HTMLFormElement);
const review = element('review', HTMLTextAreaElement);
const button = element('analyse', HTMLButtonElement);
const buttonText = button.querySelector('.button__text') ?? button;
const counter = element('review-count', HTMLElement);
const reviewStatusLine = element('review-status', HTMLElement);
const answer = element('answer', HTMLElement);
const exampleButton = element('example', HTMLButtonElement);
const settings = element('settings', HTMLDetailsElement);
const settingsForm = element('settings-form', HTMLFormElement);
const apiInput = element('api-url', HTMLInputElement);
const apiStatus = element('api-url-status', HTMLElement);
const apiReset = element('api-url-reset', HTMLButtonElement);

const defaultUrl = defaultApiUrl(location.hostname, __REELSENSE_API_PORT__);
let apiUrl: string;
let inFlight = false;
// Any change to the review clears the verdict shown for the old text.
const bound = new TextBoundAnswer(review, () => {
  show({ kind: 'changed' });
});

// ---- Review field ---------------------------------------------------------------------------

function updateReviewStatus(): ReturnType<typeof reviewStatus> {
  const status = reviewStatus(review.value, MAX_CHARS);
  counter.textContent = status.counter;
  counter.classList.toggle('counter--over', status.kind === 'over');
  // Only rewrite the live line when it changes, so typing is not announced key by key.
  if (reviewStatusLine.textContent !== status.message) reviewStatusLine.textContent = status.message;
  reviewStatusLine.classList.toggle('field-status--problem', status.kind === 'over');
  review.setAttribute('aria-invalid', String(status.kind === 'over'));
  button.disabled = !inFlight && status.kind !== 'ok';
  return status;
}

function setBusy(busy: boolean): void {
  inFlight = busy;
  // Not `disabled` while busy: a disabled button drops keyboard focus to <body>.
  button.setAttribute('aria-busy', String(busy));
  button.setAttribute('aria-disabled', String(busy));
  form.setAttribute('aria-busy', String(busy));
  buttonText.textContent = busy ? 'Analysing…' : 'Analyse';
  updateReviewStatus();
}

function show(state: AnswerState): void {
  const focus = renderAnswer(answer, state, { openSettings });
  focus?.focus();
}

async function submit(): Promise<void> {
  if (inFlight) return;
  const status = updateReviewStatus();
  if (status.kind !== 'ok') {
    review.focus();
    return;
  }
  setBusy(true);
  show({ kind: 'loading' });
  const text = bound.text();
  const started = performance.now();
  try {
    // With what decided the verdict: the answer shows the review with its deciding sentences tinted.
    const response = await analyse(apiUrl, text, { explain: true });
    // The reader changed the text while it was being read: this verdict is not about it.
    if (!bound.isCurrent(text)) show({ kind: 'changed' });
    else show({ kind: 'result', response, elapsedMs: performance.now() - started, text });
  } catch (error) {
    const failure =
      error instanceof ApiFailure
        ? error
        : new ApiFailure('bad-answer', 'Something went wrong in this page; reload it and try again.', {
            cause: error,
          });
    if (!bound.isCurrent(text)) show({ kind: 'changed' });
    else show({ kind: 'error', failure });
  } finally {
    if (bound.isCurrent(text)) bound.shown(text);
    setBusy(false);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit();
});
review.addEventListener('input', updateReviewStatus);
review.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void submit();
  }
});
exampleButton.addEventListener('click', () => {
  review.value = EXAMPLE_REVIEW;
  bound.textChanged();
  updateReviewStatus();
  review.focus();
});

// ---- API URL setting ------------------------------------------------------------------------

function setApiStatus(message: string, problem = false): void {
  apiStatus.textContent = message;
  apiStatus.classList.toggle('field-status--problem', problem);
  apiInput.setAttribute('aria-invalid', String(problem));
}

function openSettings(): void {
  settings.open = true;
  apiInput.focus();
  apiInput.select();
}

/** Drops ?api= from the address, so a reload uses what was just saved. */
function dropQueryParameter(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has(QUERY_PARAMETER)) return;
  url.searchParams.delete(QUERY_PARAMETER);
  history.replaceState(history.state, '', url);
}

settingsForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const saved = rememberApiUrl(apiInput.value);
  if (!saved.ok) {
    setApiStatus(saved.reason, true);
    apiInput.focus();
    return;
  }
  apiUrl = saved.url;
  apiInput.value = saved.url;
  dropQueryParameter();
  setApiStatus(`Saved: reviews now go to ${saved.url}.`);
});

apiReset.addEventListener('click', () => {
  forgetApiUrl();
  dropQueryParameter();
  apiUrl = defaultUrl;
  apiInput.value = defaultUrl;
  setApiStatus(`Back to the default: reviews go to ${defaultUrl}.`);
});

// ---- Start ----------------------------------------------------------------------------------

const setting = resolveApiUrl({
  location,
  storage: browserStorage(),
  defaultPort: __REELSENSE_API_PORT__,
});
apiUrl = setting.url;
apiInput.value = setting.url;
apiReset.textContent = `Use the default (${defaultUrl})`;
if (setting.ignored !== undefined) {
  const where = setting.ignored.source === 'query' ? "The page's address" : 'The saved setting';
  setApiStatus(`${where} had an API URL that was not used: ${setting.ignored.reason}`, true);
} else if (setting.source === 'query') {
  setApiStatus(`Using the API URL from the page's address for this visit. Save to keep it.`);
}
answer.dataset.state = 'idle';
updateReviewStatus();
