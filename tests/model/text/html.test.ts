/**
 * The text pipeline's HTML step, which the extension's site adapters share for character
 * references: each reference is decoded once, unknown names stay as written, and tags become
 * spaces so that words on either side stay apart.
 */
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../model/text/html.ts';

describe('decodeEntities', () => {
  it.each([
    ['didn&apos;t &amp; &#39;q&#x27;', "didn't & 'q'"],
    ['&lt;b&gt; &hellip; &eacute;t&eacute; &frac12;', '<b> \u2026 \u00e9t\u00e9 \u00bd'],
    ['&bogus; stays', '&bogus; stays'],
    ['&#0;&#xD800;', '  '],
    ['&amp;amp; once', '&amp; once'],
  ])('%j -> %j', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});

describe('htmlToText', () => {
  it('drops tags, comments and script bodies, and decodes entities after them', () => {
    expect(htmlToText('good<br />bad<!-- x --><script>alert(1)</script> &lt;3')).toBe('good bad   <3');
  });
});
