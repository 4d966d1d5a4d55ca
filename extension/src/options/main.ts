/**
 * The options page: the mode (on-device, the default, or the API with its URL and optional key),
 * "test connection", and a switch per site. Saving API mode asks for the API's host permission
 * in the same click; the settings are saved whatever the answer, since an API that allows the
 * extension's origin (CORS) works without it.
 */
import { analyse, ApiFailure } from '../../../public-api/client.ts';
import { parseApiUrl } from '../../../public-api/api-url.ts';
import { siteAdapters } from '../content/adapters/index.ts';
import { originPattern, siteEnabled, withSite, type Mode, type Settings } from '../common/settings/settings.ts';
import { releaseApiPermission, requestApiPermission } from '../common/settings/permissions.ts';
import { loadSettings, saveSettings, updateSettings } from '../common/settings/storage.ts';
import { el, elementById } from '../../../ui/dom.ts';
import '../common/pages.css';

const TEST_REVIEW = 'A wonderful film: moving, funny and beautifully acted.';
const TEST_TIMEOUT_MS = 10_000;

const element = <T extends HTMLElement>(id: string, type: new () => T): T => elementById(document, id, type);

const form = element('mode-form', HTMLFormElement);
const apiUrlInput = element('api-url', HTMLInputElement);
const apiKeyInput = element('api-key', HTMLInputElement);
const testButton = element('test-connection', HTMLButtonElement);
const status = element('mode-status', HTMLElement);
const sites = element('sites', HTMLFieldSetElement);

function modeInput(value: Mode): HTMLInputElement {
  const input = form.querySelector(`input[name="mode"][value="${value}"]`);
  if (!(input instanceof HTMLInputElement)) throw new Error(`options.html has no ${value} mode.`);
  return input;
}

function selectedMode(): Mode {
  return modeInput('api').checked ? 'api' : 'on-device';
}

function say(message: string, kind: 'ok' | 'problem' = 'ok'): void {
  status.textContent = message;
  status.dataset.kind = kind;
}

function fill(settings: Settings): void {
  modeInput(settings.mode).checked = true;
  apiUrlInput.value = settings.apiUrl;
  apiKeyInput.value = settings.apiKey;
  sites.replaceChildren(sites.querySelector('legend') ?? '');
  for (const adapter of siteAdapters) {
    const input = el(document, 'input', { type: 'checkbox', role: 'switch', 'data-site': adapter.id });
    input.checked = siteEnabled(settings, adapter.id);
    input.addEventListener('change', () => {
      void updateSettings((current) => withSite(current, adapter.id, input.checked)).then(() => {
        say(`${adapter.name}: ${input.checked ? 'on' : 'off'}.`);
      });
    });
    sites.append(el(document, 'label', { class: 'switch' }, input, el(document, 'span', {}, adapter.name)));
  }
}

function save(): void {
  const mode = selectedMode();
  const raw = apiUrlInput.value;
  const parsed = raw.trim() === '' && mode === 'on-device' ? undefined : parseApiUrl(raw);
  if (parsed !== undefined && !parsed.ok) {
    say(parsed.reason, 'problem');
    apiUrlInput.setAttribute('aria-invalid', 'true');
    apiUrlInput.focus();
    return;
  }
  apiUrlInput.removeAttribute('aria-invalid');
  const apiUrl = parsed?.url ?? '';
  // Asked for in the click itself; the answer only changes what the page says.
  const permission = mode === 'api' ? requestApiPermission(apiUrl) : undefined;
  void (async () => {
    const previous = await loadSettings();
    await saveSettings({ ...previous, mode, apiUrl, apiKey: apiKeyInput.value });
    if (previous.apiUrl !== '' && (mode !== 'api' || originPattern(previous.apiUrl) !== originPattern(apiUrl))) {
      await releaseApiPermission(previous.apiUrl);
    }
    if (mode === 'on-device') {
      say('Saved: reviews are scored on this device.');
      return;
    }
    say(`Saved: reviews now go to ${apiUrl}.`);
    const granted = await (permission ?? Promise.resolve(false)).catch(() => false);
    say(
      granted
        ? `Saved: reviews now go to ${apiUrl}.`
        : `Saved: reviews now go to ${apiUrl}. Access to ${new URL(apiUrl).host} was not granted, so this works only if the API allows the extension (CORS).`,
    );
  })();
}

async function testConnection(): Promise<void> {
  const parsed = parseApiUrl(apiUrlInput.value);
  if (!parsed.ok) {
    say(parsed.reason, 'problem');
    return;
  }
  testButton.disabled = true;
  say(`Testing ${parsed.url}…`);
  const started = performance.now();
  try {
    const response = await analyse(parsed.url, TEST_REVIEW, {
      timeoutMs: TEST_TIMEOUT_MS,
      ...(apiKeyInput.value !== '' && { apiKey: apiKeyInput.value }),
    });
    const elapsed = Math.round(performance.now() - started);
    say(`Connected: model ${response.model} answered in ${elapsed} ms.`);
  } catch (error) {
    say(error instanceof ApiFailure ? error.message : 'The test request failed.', 'problem');
  } finally {
    testButton.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  save();
});
testButton.addEventListener('click', () => void testConnection());
void loadSettings().then(fill);
