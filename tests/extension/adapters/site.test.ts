// @vitest-environment jsdom
/**
 * The engine every site adapter shares (extension/src/content/adapters/site.ts): containers found by all
 * the fallbacks, one review per container, lists are not reviews, text by the first selector
 * that yields it.
 */
import { describe, expect, it } from 'vitest';
import type { SiteSelectors } from '../../../extension/src/content/adapters/selectors.ts';
import { containerText, findBySelectors, onHost } from '../../../extension/src/content/adapters/site.ts';
import { ids, one, parse } from './fixtures.ts';

const selectors: SiteSelectors = {
  review: ['.card', '.row', '.old'],
  text: ['.body', 'p.text'],
  textAttributes: ['quote'],
  labels: [/\[hidden by the site\]/g],
};

describe('findBySelectors', () => {
  it('finds every generation on one page, in document order', () => {
    const doc = parse(
      '<div class="old" data-test-review="a"><p class="text">Old.</p></div><div class="card" data-test-review="b"><div class="body">New.</div></div>',
    );
    expect(ids(findBySelectors(doc, selectors))).toEqual(['a', 'b']);
  });

  it('takes a container inside another container as the same review (the outer one)', () => {
    const doc = parse(
      '<div class="row" data-test-review="outer"><div class="card"><div class="body">One.</div></div></div>',
    );
    expect(ids(findBySelectors(doc, selectors))).toEqual(['outer']);
  });

  it('takes a container that holds two or more others for a list, not a review', () => {
    const doc = parse(
      '<div class="row"><div class="card" data-test-review="x"><div class="body">X.</div></div><div class="card" data-test-review="y"><div class="body">Y.</div></div></div>',
    );
    expect(ids(findBySelectors(doc, selectors))).toEqual(['x', 'y']);
  });

  it('skips a container without text', () => {
    const doc = parse(
      '<div class="card"><span>Only a rating</span></div><div class="card" data-test-review="t"><p class="text">T.</p></div>',
    );
    expect(ids(findBySelectors(doc, selectors))).toEqual(['t']);
  });

  it('includes the root itself when it is a container', () => {
    const doc = parse('<div class="card" data-test-review="root"><div class="body">Added.</div></div>');
    expect(ids(findBySelectors(one(doc, '.card'), selectors))).toEqual(['root']);
  });
});

describe('containerText', () => {
  it('uses the first text selector that yields text, then the text attributes', () => {
    const doc = parse(
      '<div id="a"><div class="body"> </div><p class="text">From p.</p></div><div id="b" quote="From the attribute."></div>',
    );
    expect(containerText(one(doc, '#a'), selectors)).toBe('From p.');
    expect(containerText(one(doc, '#b'), selectors)).toBe('From the attribute.');
  });

  it('joins several text elements and removes site labels', () => {
    const doc = parse('<div id="a"><p class="text">One.</p><p class="text">[hidden by the site] Two.</p></div>');
    expect(containerText(one(doc, '#a'), selectors)).toBe('One.\n\nTwo.');
  });
});

describe('onHost', () => {
  it.each([
    ['imdb.com', true],
    ['www.imdb.com', true],
    ['M.IMDB.COM', true],
    ['www.imdb.com.', true],
    ['imdb.com.evil.example', false],
    ['notimdb.com', false],
    ['imdb.co', false],
  ])('%s is on imdb.com: %s', (host, expected) => {
    expect(onHost(host, ['imdb.com'])).toBe(expected);
  });
});
