// @vitest-environment jsdom
/** The kit's one DOM helper builds from text only, and the id lookup fails loudly on a wrong page. */
import { describe, expect, it } from 'vitest';
import { el, elementById } from '../../ui/dom.ts';
import { icon } from '../../ui/icons.ts';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

describe('el', () => {
  it('sets attributes, appends children, skips undefined and false, and keeps strings as text', () => {
    const node = el(
      document,
      'p',
      { class: 'a b', 'data-x': '1' },
      'one ',
      undefined,
      false,
      el(document, 'b', {}, XSS),
    );
    expect(node.tagName).toBe('P');
    expect(node.className).toBe('a b');
    expect(node.getAttribute('data-x')).toBe('1');
    expect(node.textContent).toBe(`one ${XSS}`);
    expect(node.querySelector('img, script')).toBeNull();
  });

  it('builds in the document it is given', () => {
    const other = document.implementation.createHTMLDocument('other');
    expect(el(other, 'span').ownerDocument).toBe(other);
  });
});

describe('elementById', () => {
  it('returns the element of the expected type, or throws naming what is missing', () => {
    document.body.replaceChildren(el(document, 'form', { id: 'f' }));
    expect(elementById(document, 'f', HTMLFormElement).tagName).toBe('FORM');
    expect(() => elementById(document, 'f', HTMLInputElement)).toThrow('The page has no #f HTMLInputElement.');
    expect(() => elementById(document, 'nope', HTMLFormElement)).toThrow(/#nope/);
  });
});

describe('icon', () => {
  it.each(['positive', 'negative', 'problem'] as const)('%s is an SVG hidden from assistive technology', (name) => {
    const svg = icon(document, name);
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect(svg.getAttribute('focusable')).toBe('false');
    expect(svg.getAttribute('class')).toBe('icon');
    expect(svg.querySelectorAll('path').length).toBeGreaterThan(0);
  });

  it('draws each label differently', () => {
    const paths = (name: 'positive' | 'negative') =>
      [...icon(document, name).querySelectorAll('path')].map((p) => p.getAttribute('d')).join(' ');
    expect(paths('positive')).not.toBe(paths('negative'));
  });
});
