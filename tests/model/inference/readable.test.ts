/**
 * How much of a text the model can read (model/inference/readable.ts), and the "unreadable" label
 * the shipped model's card puts below its threshold (classifier.ts).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../../../model/inference/card.ts';
import { labelOf } from '../../../model/inference/classifier.ts';
import { createNodeClassifier, SHIPPED_ARTIFACT_DIR } from '../../../model/inference/node.ts';
import { isWord, readableShare } from '../../../model/inference/readable.ts';
import { tokenize, Vocabulary } from '../../../model/text/index.ts';

const shipped = await createNodeClassifier();
const card = parseCard(JSON.parse(await readFile(`${SHIPPED_ARTIFACT_DIR}/card.json`, 'utf8')));
const vocabulary = new Vocabulary(['<pad>', '<unk>', 'great', 'movie', '.', ',', '!', '7/10', ':)'], {
  maxSize: 9,
  minCount: 1,
  maxLength: 512,
});
const share = (text: string): number => readableShare(tokenize(text), vocabulary);

describe('readableShare', () => {
  it('is the share of words (tokens with a letter or digit) in the vocabulary', () => {
    expect(share('great movie')).toBe(1);
    expect(share('great film')).toBe(0.5);
    expect(share('great movie 7/10')).toBe(1);
    expect(share('terrible film')).toBe(0);
  });

  it('leaves out punctuation, emoji and emoticons, known or not', () => {
    expect(share('great, great! film.')).toBeCloseTo(2 / 3, 12);
    expect(share('Great movie! 👍👍👍')).toBe(1);
    expect(share('great :) film')).toBe(0.5);
    expect(['.', '!', '👍', ':)', '...'].map(isWord)).toEqual([false, false, false, false, false]);
    expect(['great', '7/10', '1999', '好', 'فيلم'].map(isWord)).toEqual([true, true, true, true, true]);
  });

  it('reads 0 for a text with no words', () => {
    expect(share('')).toBe(0);
    expect(share('!!! ... ?')).toBe(0);
    expect(share('👍👍👍')).toBe(0);
  });
});

describe('the "unreadable" label', () => {
  it('wins over "mixed" and the sides, below the threshold only', () => {
    const band = { low: 0.325, high: 0.675 };
    expect(labelOf(0.5, band, 0.2, 0.64)).toBe('unreadable');
    expect(labelOf(0.99, band, 0.63, 0.64)).toBe('unreadable');
    expect(labelOf(0.99, band, 0.64, 0.64)).toBe('positive');
    expect(labelOf(0.5, band, 0.64, 0.64)).toBe('mixed');
    expect(labelOf(0.01, band, 0, 0)).toBe('negative'); // no threshold (a card without one): never unreadable
  });

  it("is in the shipped model's card, chosen by the threshold script", () => {
    expect(card.readable?.unreadable_below).toBeGreaterThan(0.3);
    expect(card.readable?.unreadable_below).toBeLessThan(0.9);
    expect(card.readable?.command).toBe('npm run readable:threshold -- --write-card');
    expect(() => parseCard({ ...card, readable: { unreadable_below: 1.5 } })).toThrow(/unreadable_below/);
    expect(() => parseCard({ ...card, readable: {} })).toThrow(/unreadable_below/);
  });

  // The examples: each read as "Negative" with 62-68% confidence before.
  it.each([
    'Il mio film preferito di sempre, atmosfera mozzafiato.',
    'أفضل فيلم شاهدته في حياتي، رائع جدا',
    '这部电影太好看了，我非常喜欢。',
    'asdf qwer zxcv',
    '👍👍👍',
    'Отличный фильм, всем советую!',
    'बहुत अच्छी फिल्म है',
    '素晴らしい映画でした',
    'Ein wunderbarer Film, absolut sehenswert.',
    'Me encantó esta película, es preciosa.',
    '',
    '!!!',
  ])('labels %j "unreadable"', async (text) => {
    const prediction = await shipped.classify(text);
    expect(prediction.label).toBe('unreadable');
    expect(prediction.readable).toBeLessThan(0.64);
    expect(prediction.score).toBeGreaterThanOrEqual(0); // still scored: the contract always has a score
  });

  it.each([
    'Great movie!',
    'Boring.',
    'Loved it :)',
    '10/10',
    'Not bad at all',
    'Kubrick at his best.',
    'Mulholland Drive',
    'Amélie',
    'The Godfather',
    "Tarkovsky's Stalker",
    'Citizen Kane',
    "Schindler's List",
    'Meryl Streep was superb.',
    "Bong Joon-ho's Parasite is brilliant",
    'Great movie! 👍👍👍',
    'Beautiful to look at, but the story goes nowhere.',
  ])('reads %j: English, names and titles included', async (text) => {
    const prediction = await shipped.classify(text);
    expect(prediction.label).not.toBe('unreadable');
    expect(prediction.readable).toBeGreaterThanOrEqual(0.64);
  });

  it('gives every prediction its readable share, the same in a batch as alone', async () => {
    const texts = ['Great movie!', 'asdf qwer', 'Il film è bello, bravi attori.', 'A fine film. '.repeat(400)];
    const batch = await shipped.classifyBatch(texts);
    for (const [i, text] of texts.entries()) {
      const alone = await shipped.classify(text);
      expect(batch[i]?.readable).toBe(alone.readable);
      expect(batch[i]?.readable).toBe(readableShare(tokenize(text), shipped.vocabulary));
      expect(batch[i]?.readable).toBeGreaterThanOrEqual(0);
      expect(batch[i]?.readable).toBeLessThanOrEqual(1);
    }
  });
});
