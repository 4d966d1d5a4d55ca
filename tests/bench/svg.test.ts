/** The hand-written SVG writer: escaping, elements, scales and ticks. */
import { describe, expect, it } from 'vitest';
import {
  el,
  escapeXml,
  linearScale,
  linearTicks,
  logDomain,
  logScale,
  logTicks,
  svgDocument,
  text,
  tickLabel,
} from '../../bench/lib/svg.ts';

describe('escaping', () => {
  it('escapes the five XML specials in text and attributes', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
    expect(el('text', { 'data-name': 'a"b<c' }, text('x < y & z'))).toBe(
      '<text data-name="a&quot;b&lt;c">x &lt; y &amp; z</text>',
    );
  });

  it('refuses names that could break out of the tag', () => {
    expect(() => el('g onload="x"')).toThrow(/element name/);
    expect(() => el('g', { 'x onload': 1 })).toThrow(/attribute name/);
  });
});

describe('el', () => {
  it('self-closes an empty element, rounds numbers to 2 decimals and drops undefined attributes', () => {
    expect(el('circle', { cx: 1.23456, cy: 2, r: undefined })).toBe('<circle cx="1.23" cy="2"/>');
  });

  it('nests children in order', () => {
    expect(el('g', {}, el('rect', { x: 0 }), text('a'))).toBe('<g><rect x="0"/>a</g>');
  });

  it('refuses NaN and infinities, which would draw nothing without saying why', () => {
    expect(() => el('circle', { cx: Number.NaN })).toThrow(/NaN/);
    expect(() => el('circle', { cx: Number.POSITIVE_INFINITY })).toThrow(/Infinity/);
  });
});

describe('svgDocument', () => {
  it('is a standalone SVG with its size, a view box and an escaped title', () => {
    const doc = svgDocument(300, 200, 'A & B', el('g'));
    expect(doc).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="200" viewBox="0 0 300 200"/,
    );
    expect(doc).toContain('<title>A &amp; B</title>');
    expect(doc.endsWith('</svg>\n')).toBe(true);
  });
});

describe('scales', () => {
  it('maps a linear domain onto a range, reversed ranges included (SVG y grows down)', () => {
    const y = linearScale([0, 100], [400, 0]);
    expect(y(0)).toBe(400);
    expect(y(25)).toBe(300);
    expect(y(100)).toBe(0);
  });

  it('maps decades of a log domain to equal distances', () => {
    const x = logScale([10, 10_000], [0, 300]);
    expect(x(10)).toBeCloseTo(0);
    expect(x(100)).toBeCloseTo(100);
    expect(x(1000)).toBeCloseTo(200);
  });

  it('refuses a log domain that is not positive', () => {
    expect(() => logScale([0, 10], [0, 1])).toThrow(/positive/);
  });
});

describe('ticks', () => {
  it('puts log ticks on 1, 2 and 5 times powers of ten', () => {
    expect(logTicks(50, 20_000)).toEqual([50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]);
  });

  it('widens a log domain to the marks around it', () => {
    expect(logDomain(58, 15_300)).toEqual([50, 20_000]);
    expect(logDomain(0.3, 7)).toEqual([0.2, 10]);
  });

  it('spaces linear ticks by round steps', () => {
    expect(linearTicks(50, 95, 6)).toEqual([50, 60, 70, 80, 90]);
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it.each([
    [5, '5'],
    [0.5, '0.5'],
    [1000, '1k'],
    [20_000, '20k'],
    [2_500_000, '2.5M'],
  ])('labels %f as %s', (x, label) => {
    expect(tickLabel(x)).toBe(label);
  });
});
