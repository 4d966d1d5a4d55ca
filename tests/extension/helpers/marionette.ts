/**
 * Firefox with the built extension installed, driven through Marionette, the remote protocol
 * built into Firefox (playwright-core cannot drive a stock Firefox): Debian's `firefox-esr`,
 * headless, a throwaway profile, the add-on installed as a temporary one, at a fixed
 * moz-extension:// address. Enough to open the extension's pages, type, click and read text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GECKO_ID } from '../../../extension/build/manifest.ts';

export const FIREFOX = '/usr/bin/firefox-esr';
export const HAS_FIREFOX = existsSync(FIREFOX);
/** The extension's internal UUID in the test profile, so its pages have a known address. */
const UUID = '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

type Reply = [1, number, { error: string; message: string } | null, unknown];

export interface FirefoxWithExtension {
  /** moz-extension://<uuid>/<path> */
  url(path: string): string;
  command(name: string, parameters?: Record<string, unknown>): Promise<unknown>;
  /** The text of the first element matching `selector`, or '' when there is none. */
  text(selector: string): Promise<string>;
  type(selector: string, text: string): Promise<void>;
  click(selector: string): Promise<void>;
  attribute(selector: string, name: string): Promise<string | null>;
  /** Whether a checkbox or radio button is checked. */
  selected(selector: string): Promise<boolean>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Firefox: timed out waiting for ${what}.`);
    await sleep(100);
  }
}

export async function launchFirefoxWithExtension(dist: string, timeoutMs = 60_000): Promise<FirefoxWithExtension> {
  const profile = mkdtempSync(join(tmpdir(), 'reelsense-firefox-'));
  const prefs = {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
    'marionette.port': 0, // any free port, written to MarionetteActivePort
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.disabledForTesting': true,
    'browser.startup.homepage_override.mstone': 'ignore',
    'network.dns.disablePrefetch': true,
    'network.captive-portal-service.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.update.enabled': false,
  };
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(prefs)
      .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
      .join('\n'),
  );
  const firefox: ChildProcess = spawn(FIREFOX, ['--headless', '--marionette', '--no-remote', '--profile', profile], {
    stdio: 'ignore',
  });
  const portFile = join(profile, 'MarionetteActivePort');
  const port = await waitFor(
    'Marionette',
    () => (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined),
    timeoutMs,
  );

  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      resolve(s);
    });
    s.once('error', reject);
  });
  // Messages are `<byte length>:<JSON>`; the first is a greeting, then [1, id, error, result].
  let buffer = Buffer.alloc(0);
  let greeted = false;
  const pending = new Map<number, (reply: Reply) => void>();
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length) return;
      const message = JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString('utf8')) as unknown;
      buffer = buffer.subarray(colon + 1 + length);
      if (Array.isArray(message)) {
        const reply = message as Reply;
        pending.get(reply[1])?.(reply);
        pending.delete(reply[1]);
      } else {
        greeted = true;
      }
    }
  });
  await waitFor('the Marionette greeting', () => (greeted ? true : undefined), timeoutMs);

  let nextId = 0;
  async function command(name: string, parameters: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++nextId;
    const reply = new Promise<Reply>((resolve, reject) => {
      pending.set(id, resolve);
      setTimeout(() => {
        reject(new Error(`Firefox: ${name} got no answer in ${timeoutMs} ms.`));
      }, timeoutMs).unref();
    });
    const body = JSON.stringify([0, id, name, parameters]);
    socket.write(`${Buffer.byteLength(body)}:${body}`);
    const [, , error, result] = await reply;
    if (error !== null) throw new Error(`Firefox: ${name}: ${error.error}: ${error.message}`);
    return result;
  }

  const find = async (selector: string): Promise<string> => {
    const result = (await command('WebDriver:FindElement', { using: 'css selector', value: selector })) as {
      value: Record<string, string>;
    };
    const id = Object.values(result.value)[0];
    if (id === undefined) throw new Error(`Firefox: no element ${selector}.`);
    return id;
  };
  const value = async (name: string, parameters: Record<string, unknown>): Promise<unknown> =>
    ((await command(name, parameters)) as { value: unknown }).value;

  await command('WebDriver:NewSession', { capabilities: { pageLoadStrategy: 'none' } });
  await command('Addon:Install', { path: dist, temporary: true });

  return {
    url: (path) => `moz-extension://${UUID}/${path}`,
    command,
    text: async (selector) => {
      try {
        return String(await value('WebDriver:GetElementText', { id: await find(selector) }));
      } catch {
        return '';
      }
    },
    type: async (selector, text) => {
      await command('WebDriver:ElementSendKeys', { id: await find(selector), text });
    },
    click: async (selector) => {
      await command('WebDriver:ElementClick', { id: await find(selector) });
    },
    attribute: async (selector, name) =>
      (await value('WebDriver:GetElementAttribute', { id: await find(selector), name })) as string | null,
    selected: async (selector) => (await value('WebDriver:IsElementSelected', { id: await find(selector) })) === true,
    close: async () => {
      await command('WebDriver:DeleteSession').catch(() => undefined);
      socket.destroy();
      const exited = new Promise((resolve) => firefox.once('exit', resolve));
      firefox.kill();
      await Promise.race([exited, sleep(10_000)]);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
