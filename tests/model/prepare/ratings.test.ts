/** Star ratings from the dataset's ids file: one per review, in row order, 1 to 10. */
import { describe, expect, it } from 'vitest';
import { parseRatings } from '../../../model/prepare/prepare.ts';

describe('parseRatings', () => {
  it('reads the rating at the end of each original file name', () => {
    expect([...parseRatings('train/pos/0_9.txt\ntrain/neg/12_1.txt\ntrain/pos/7_10.txt\n', 3, 'ids')]).toEqual([
      9, 1, 10,
    ]);
  });

  it.each([
    ['train/pos/0_9.txt\n', 2, 'has 1 lines for 2 reviews'],
    ['train/pos/0_11.txt\n', 1, 'does not end in a 1-10 rating'],
    ['train/pos/0.txt\n', 1, 'does not end in a 1-10 rating'],
  ])('refuses %j for %i reviews: %s', (text, reviews, message) => {
    expect(() => parseRatings(text, reviews, 'ids')).toThrow(message);
  });
});
