/**
 * The messages between the extension's parts: what arrives is `unknown` until these checks pass,
 * so a malformed message is refused with a reason, never acted on.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, MAX_TEXTS_PER_MESSAGE } from '../../extension/src/common/messages/types.ts';
import {
  isClassification,
  isPageSummary,
  isReplyOf,
  isSelectionAnswer,
  isStatus,
  parseBackgroundRequest,
  parseContentRequest,
} from '../../extension/src/common/messages/validate.ts';

const classification = {
  results: [{ label: 'positive', score: 0.9, readable: 1 }],
  model: 'rnn-v3',
  scorer: 'on-device',
};
const summary = {
  siteId: 'imdb',
  siteName: 'IMDb',
  enabled: true,
  found: 25,
  positive: 13,
  negative: 12,
  mixed: 0,
  unreadable: 0,
  pending: 0,
  failed: 0,
  note: undefined,
  markedAfterMs: 420.5,
  layoutUnrecognised: false,
};

describe('parseBackgroundRequest', () => {
  it.each([
    [{ type: 'classify', texts: ['A fine film.'] }],
    [{ type: 'classify', texts: Array.from({ length: MAX_TEXTS_PER_MESSAGE }, () => 'x') }],
    [{ type: 'classify', texts: ['x'.repeat(MAX_TEXT_CHARS)] }],
    [{ type: 'status' }],
    [{ type: 'warm-up' }],
    [{ type: 'analyse-page', tabId: 7 }],
  ])('accepts %j', (message) => {
    expect(parseBackgroundRequest(message)).toEqual({ ok: true, request: message });
  });

  it('keeps only the fields it knows', () => {
    expect(parseBackgroundRequest({ type: 'status', extra: '<script>' })).toEqual({
      ok: true,
      request: { type: 'status' },
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'classify', /object with a "type"/],
    ['null', null, /object with a "type"/],
    ['an array', [{ type: 'status' }], /object with a "type"/],
    ['no type', { texts: ['x'] }, /object with a "type"/],
    ['an unknown type', { type: 'eval', code: '1' }, /Unknown message type "eval"/],
    ['texts missing', { type: 'classify' }, /list of strings/],
    ['texts not strings', { type: 'classify', texts: ['x', 3] }, /list of strings/],
    ['no texts', { type: 'classify', texts: [] }, /1 to 64 texts, not 0/],
    ['too many texts', { type: 'classify', texts: Array.from({ length: 65 }, () => 'x') }, /not 65/],
    ['a text too long', { type: 'classify', texts: ['x'.repeat(MAX_TEXT_CHARS + 1)] }, /over 100,000 characters/],
    ['a tab id that is not one', { type: 'analyse-page', tabId: '7' }, /tab id/],
    ['a negative tab id', { type: 'analyse-page', tabId: -1 }, /tab id/],
  ])('refuses %s', (_name, message, reason) => {
    const parsed = parseBackgroundRequest(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem.code).toBe('BAD_MESSAGE');
      expect(parsed.problem.message).toMatch(reason);
    }
  });

  it('cuts an unknown type in its message', () => {
    const parsed = parseBackgroundRequest({ type: 'x'.repeat(5000) });
    expect(!parsed.ok && parsed.problem.message.length).toBeLessThan(100);
  });
});

describe('parseContentRequest', () => {
  const answer = { text: 'Loved it', outcome: { ok: true, value: classification }, at: 1 };

  it.each([
    [{ type: 'ping' }],
    [{ type: 'page-summary' }],
    [{ type: 'mark-page' }],
    [{ type: 'read-selection' }],
    [{ type: 'show-selection', answer }],
    [{ type: 'show-selection', answer: { ...answer, outcome: { ok: false, problem: { code: 'X', message: 'y' } } } }],
  ])('accepts %j', (message) => {
    expect(parseContentRequest(message)).toEqual({ ok: true, request: message });
  });

  it.each([
    [{ type: 'classify', texts: ['x'] }],
    [{ type: 'show-selection' }],
    [{ type: 'show-selection', answer: { ...answer, outcome: { ok: true, value: { results: 'no' } } } }],
    [{ type: 'show-selection', answer: { ...answer, at: 'now' } }],
  ])('refuses %j', (message) => {
    expect(parseContentRequest(message).ok).toBe(false);
  });
});

describe('reply guards', () => {
  it.each<[string, (value: unknown) => boolean, unknown, boolean]>([
    ['classification', isClassification, classification, true],
    ['classification with a note', isClassification, { ...classification, note: 'API down' }, true],
    [
      'classification, score over 1',
      isClassification,
      { ...classification, results: [{ label: 'positive', score: 1.5, readable: 1 }] },
      false,
    ],
    [
      'classification, the mixed label',
      isClassification,
      { ...classification, results: [{ label: 'mixed', score: 0.5, readable: 1 }] },
      true,
    ],
    [
      'classification, an unknown label',
      isClassification,
      { ...classification, results: [{ label: 'neutral', score: 0.5, readable: 1 }] },
      false,
    ],
    [
      'classification, the unreadable label',
      isClassification,
      { ...classification, results: [{ label: 'unreadable', score: 0.36, readable: 0.38 }] },
      true,
    ],
    [
      'classification, no readable share',
      isClassification,
      { ...classification, results: [{ label: 'positive', score: 0.9 }] },
      false,
    ],
    [
      'classification, a readable share out of range',
      isClassification,
      { ...classification, results: [{ label: 'unreadable', score: 0.4, readable: -0.1 }] },
      false,
    ],
    ['classification, unknown scorer', isClassification, { ...classification, scorer: 'cloud' }, false],
    ['summary', isPageSummary, summary, true],
    ['summary, no unreadable count', isPageSummary, { ...summary, unreadable: undefined }, false],
    ['summary, no site', isPageSummary, { ...summary, siteId: undefined, siteName: undefined }, true],
    ['summary, fractional count', isPageSummary, { ...summary, found: 2.5 }, false],
    ['summary, negative count', isPageSummary, { ...summary, pending: -1 }, false],
    ['summary, layout not recognised', isPageSummary, { ...summary, found: 0, layoutUnrecognised: true }, true],
    ['summary, no layout flag', isPageSummary, { ...summary, layoutUnrecognised: undefined }, false],
    ['status', isStatus, { mode: 'on-device', apiUrl: '', model: undefined, lastSelection: undefined }, true],
    ['status, unknown mode', isStatus, { mode: 'cloud', apiUrl: '', model: 'x' }, false],
    ['selection answer', isSelectionAnswer, { text: 'x', outcome: { ok: true, value: classification }, at: 2 }, true],
  ])('%s', (_name, guard, value, expected) => {
    expect(guard(value)).toBe(expected);
  });

  it('a reply is a success with a checked value, or a failure with a problem', () => {
    const isReply = isReplyOf(isClassification);
    expect(isReply({ ok: true, value: classification })).toBe(true);
    expect(isReply({ ok: false, problem: { code: 'X', message: 'Why.' } })).toBe(true);
    expect(isReply({ ok: true, value: { results: [] } })).toBe(false);
    expect(isReply({ ok: false, problem: 'why' })).toBe(false);
    expect(isReply({ ok: 'yes' })).toBe(false);
    expect(isReply(undefined)).toBe(false);
  });
});
