/** The settings as stored: anything unreadable falls back to the default, on-device. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  originPattern,
  parseSettings,
  siteEnabled,
  withSite,
} from '../../extension/src/common/settings/settings.ts';

describe('parseSettings', () => {
  it.each<[string, unknown]>([
    ['nothing stored', undefined],
    ['null', null],
    ['a string', 'api'],
    ['an empty object', {}],
  ])('%s: the defaults (on-device)', (_name, stored) => {
    expect(parseSettings(stored)).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps valid settings', () => {
    const stored = { mode: 'api', apiUrl: 'https://api.example.com/prod', apiKey: 'k', sites: { imdb: false } };
    expect(parseSettings(stored)).toEqual(stored);
  });

  it.each([
    ['no URL', { mode: 'api', apiUrl: '' }],
    ['a URL that is not http(s)', { mode: 'api', apiUrl: 'javascript:alert(1)' }],
    ['a URL with credentials', { mode: 'api', apiUrl: 'https://me:pw@api.example.com' }],
    ['a URL that is not a string', { mode: 'api', apiUrl: 42 }],
  ])('API mode with %s stays on-device', (_name, stored) => {
    const settings = parseSettings(stored);
    expect(settings.mode).toBe('on-device');
    expect(settings.apiUrl).toBe('');
  });

  it('drops site switches that are not booleans', () => {
    expect(parseSettings({ sites: { imdb: false, letterboxd: 'no', metacritic: true } }).sites).toEqual({
      imdb: false,
      metacritic: true,
    });
  });
});

describe('site switches', () => {
  it('a site is on until switched off', () => {
    expect(siteEnabled(DEFAULT_SETTINGS, 'imdb')).toBe(true);
    const off = withSite(DEFAULT_SETTINGS, 'imdb', false);
    expect(siteEnabled(off, 'imdb')).toBe(false);
    expect(siteEnabled(off, 'letterboxd')).toBe(true);
    expect(siteEnabled(withSite(off, 'imdb', true), 'imdb')).toBe(true);
    expect(DEFAULT_SETTINGS.sites).toEqual({});
  });
});

describe('originPattern: the host permission asked for an API URL', () => {
  it.each([
    ['http://127.0.0.1:3000', 'http://127.0.0.1/*'],
    ['https://abc.execute-api.us-east-1.amazonaws.com/prod', 'https://abc.execute-api.us-east-1.amazonaws.com/*'],
    ['http://[::1]:3000', 'http://[::1]/*'],
  ])('%s -> %s', (url, pattern) => {
    expect(originPattern(url)).toBe(pattern);
  });
});
