// @vitest-environment jsdom
/**
 * Where the page sends reviews: `?api=` wins, then the saved URL, then the default: the API URL a
 * deployment wrote into the page, else the local gateway on the page's own host. Invalid URLs are
 * refused and never saved.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_URL_META_NAME } from '../../public-api/api-url.ts';
import {
  browserStorage,
  defaultApiUrl,
  deployedApiUrl,
  forgetApiUrl,
  rememberApiUrl,
  resolveApiUrl,
  STORAGE_KEY,
} from '../../website/src/settings.ts';

/** The page at a given address, with jsdom's real localStorage. */
function at(path: string): void {
  history.replaceState(null, '', path);
}

beforeEach(() => {
  localStorage.clear();
  at('/');
});

afterEach(() => {
  localStorage.clear();
  document.head.querySelector(`meta[name="${API_URL_META_NAME}"]`)?.remove();
});

/** The page as the website stack deploys it: the API URL in a meta tag (backend/infra/lib/website-stack.ts). */
function deployedWith(content: string): void {
  const meta = document.createElement('meta');
  meta.name = API_URL_META_NAME;
  meta.content = content;
  document.head.append(meta);
}

describe('defaultApiUrl', () => {
  it.each([
    ['localhost', 3000, 'http://localhost:3000'],
    ['192.168.1.20', 3000, 'http://192.168.1.20:3000'],
    ['[::1]', 3000, 'http://[::1]:3000'],
    ['::1', 3000, 'http://[::1]:3000'],
    ['', 3000, 'http://127.0.0.1:3000'],
    ['localhost', 4100, 'http://localhost:4100'],
  ])('%j, port %i -> %s', (hostname, port, url) => {
    expect(defaultApiUrl(hostname, port)).toBe(url);
  });
});

describe('resolveApiUrl in the browser', () => {
  it("defaults to the local gateway on the page's host, port 3000", () => {
    expect(resolveApiUrl()).toEqual({ url: `http://${location.hostname}:3000`, source: 'default' });
    expect(resolveApiUrl({ location, storage: localStorage, defaultPort: 4100 }).url).toBe(
      `http://${location.hostname}:4100`,
    );
  });

  it('uses the remembered URL', () => {
    localStorage.setItem(STORAGE_KEY, 'https://api.example.com/prod');
    expect(resolveApiUrl()).toEqual({ url: 'https://api.example.com/prod', source: 'stored' });
  });

  it('lets ?api= win over the remembered URL, without remembering it', () => {
    localStorage.setItem(STORAGE_KEY, 'https://api.example.com/prod');
    at(`/?api=${encodeURIComponent('http://127.0.0.1:4444/')}`);
    expect(resolveApiUrl()).toEqual({ url: 'http://127.0.0.1:4444', source: 'query' });
    expect(localStorage.getItem(STORAGE_KEY)).toBe('https://api.example.com/prod');
  });

  it('ignores an invalid ?api= and says why', () => {
    localStorage.setItem(STORAGE_KEY, 'https://api.example.com/prod');
    at('/?api=javascript:alert(1)');
    expect(resolveApiUrl()).toEqual({
      url: 'https://api.example.com/prod',
      source: 'stored',
      ignored: { source: 'query', value: 'javascript:alert(1)', reason: expect.stringMatching(/http/) as unknown },
    });
  });

  it('ignores a remembered value that is no longer valid (edited by hand, say)', () => {
    localStorage.setItem(STORAGE_KEY, 'ftp://old.example.com');
    expect(resolveApiUrl()).toMatchObject({
      url: `http://${location.hostname}:3000`,
      source: 'default',
      ignored: { source: 'stored', value: 'ftp://old.example.com' },
    });
  });

  it('works where storage is blocked', () => {
    const blocked = {
      getItem: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as Storage;
    expect(resolveApiUrl({ location, storage: blocked }).source).toBe('default');
    expect(resolveApiUrl({ location, storage: undefined }).source).toBe('default');
    expect(rememberApiUrl('http://localhost:3000', blocked)).toEqual({ ok: true, url: 'http://localhost:3000' });
    expect(() => {
      forgetApiUrl(blocked);
    }).not.toThrow();
  });
});

describe('rememberApiUrl and forgetApiUrl', () => {
  it('saves a valid URL, normalised, and the next visit uses it', () => {
    expect(rememberApiUrl(' https://api.example.com/prod/ ')).toEqual({
      ok: true,
      url: 'https://api.example.com/prod',
    });
    expect(localStorage.getItem(STORAGE_KEY)).toBe('https://api.example.com/prod');
    expect(resolveApiUrl({ location, storage: browserStorage() })).toEqual({
      url: 'https://api.example.com/prod',
      source: 'stored',
    });
  });

  it('refuses an invalid URL and keeps what was saved', () => {
    rememberApiUrl('http://localhost:3000');
    const refused = rememberApiUrl('javascript:alert(1)');
    expect(refused.ok).toBe(false);
    expect(localStorage.getItem(STORAGE_KEY)).toBe('http://localhost:3000');
  });

  it('forgets the saved URL, back to the default', () => {
    rememberApiUrl('https://api.example.com');
    forgetApiUrl();
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(resolveApiUrl().source).toBe('default');
  });
});

describe('the API URL a deployment wrote into the page', () => {
  const DEPLOYED = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';

  it('is read from <meta name="reelsense-api-url">, normalised', () => {
    expect(deployedApiUrl()).toBeUndefined();
    deployedWith(`${DEPLOYED}/`);
    expect(deployedApiUrl()).toBe(DEPLOYED);
  });

  it('becomes the default, in place of the local gateway', () => {
    deployedWith(DEPLOYED);
    expect(defaultApiUrl(location.hostname, 3000)).toBe(DEPLOYED);
    expect(resolveApiUrl()).toEqual({ url: DEPLOYED, source: 'default' });
  });

  it('still gives way to ?api= and to a saved URL', () => {
    deployedWith(DEPLOYED);
    localStorage.setItem(STORAGE_KEY, 'https://api.example.com/prod');
    expect(resolveApiUrl().url).toBe('https://api.example.com/prod');
    at(`/?api=${encodeURIComponent('http://127.0.0.1:4444')}`);
    expect(resolveApiUrl().url).toBe('http://127.0.0.1:4444');
  });

  it.each(['', 'javascript:alert(1)', 'not a url', 'https://user:pw@api.example.com'])(
    'is ignored when invalid (%j): the local gateway stays the default',
    (content) => {
      deployedWith(content);
      expect(deployedApiUrl()).toBeUndefined();
      expect(defaultApiUrl('localhost', 3000)).toBe('http://localhost:3000');
    },
  );

  it('is read from the page given, so a caller can pass another document', () => {
    deployedWith(DEPLOYED);
    const elsewhere = document.implementation.createHTMLDocument('another page');
    expect(deployedApiUrl(elsewhere)).toBeUndefined();
    expect(defaultApiUrl('localhost', 3000, elsewhere)).toBe('http://localhost:3000');
  });
});
