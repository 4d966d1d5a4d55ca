/**
 * The one check of an API URL, shared by the website, the extension's options and the CDK
 * website stack: absolute http(s), no credentials, no query or fragment, normalised.
 */
import { describe, expect, it } from 'vitest';
import { parseApiUrl } from '../../public-api/api-url.ts';

describe('parseApiUrl', () => {
  it.each([
    ['http://localhost:3000', 'http://localhost:3000'],
    ['  http://127.0.0.1:3000/  ', 'http://127.0.0.1:3000'],
    [
      'HTTPS://Abc123.execute-api.us-east-1.amazonaws.com/prod/',
      'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
    ],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['https://api.example.com', 'https://api.example.com'],
  ])('accepts %s as %s', (raw, url) => {
    expect(parseApiUrl(raw)).toEqual({ ok: true, url });
  });

  it.each([
    ['', /Enter the API URL/],
    ['   ', /Enter the API URL/],
    ['localhost:3000', /http:\/\/ or https:\/\//],
    ['not a url', /not a full URL/],
    ['/relative/path', /not a full URL/],
    ['javascript:alert(1)', /http:\/\/ or https:\/\//],
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['file:///etc/passwd', /http:\/\/ or https:\/\//],
    ['data:text/html,<b>x</b>', /http:\/\/ or https:\/\//],
    ['http://user:secret@example.com', /user name or password/],
    ['http://example.com/?key=1', /query/],
    ['http://example.com/#top', /fragment/],
  ])('refuses %j', (raw, reason) => {
    const parsed = parseApiUrl(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
