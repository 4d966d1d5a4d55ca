// @vitest-environment jsdom
/**
 * The Metacritic adapter on real saved pages: the current review cards on a critic reviews page
 * and on a user reviews page (captured 2026-09-07), and the JSON-LD fallback. The 2023-2025
 * div.c-siteReview and the pre-2023 div.review / li.review generations have no real saved page
 * (selectors.ts, WITHOUT_SAVED_PAGE), so no test here.
 */
import { describe, expect, it } from 'vitest';
import { metacritic } from '../../../extension/src/content/adapters/metacritic.ts';
import { fixtureHtml, fragment, loadFixture, one, parse } from './fixtures.ts';

const CARD = '[data-testid="review-card"]';

describe('Metacritic critic reviews page, current cards (metacritic-critic-reviews.html)', () => {
  const doc = loadFixture('metacritic-critic-reviews.html');
  const found = metacritic.find(doc);

  it('finds the five review cards and nothing else', () => {
    expect(found).toHaveLength(5);
    expect(found.map((review) => review.element)).toEqual([...doc.querySelectorAll(CARD)]);
  });

  it('reads the quote only: no score, publication, date or Metascore panel', () => {
    expect(found[0]?.text).toBe(
      'Elden Ring is the real next step for souls-like standards. It is unlike anything FromSoftware has created before, displaying an uncanny world that will keep on wowing players even as they pile up more and more hours of gameplay. Elden Ring is, thus, a prime candidate to become the 2022 GOTY.',
    );
    expect(found[3]?.text).toBe(
      "As an experience, it's one of the most wondrous and open-ended games I've played in years.",
    );
    for (const { text } of found) expect(text).not.toMatch(/^\d|Destructoid|Feb 23, 2022|Universal Acclaim/);
  });
});

describe('Metacritic user reviews page, current cards (metacritic-user-reviews.html)', () => {
  const doc = loadFixture('metacritic-user-reviews.html');
  const found = metacritic.find(doc);

  it('finds the five review cards and nothing else', () => {
    expect(found).toHaveLength(5);
    expect(found.map((review) => review.element)).toEqual([...doc.querySelectorAll(CARD)]);
  });

  it('reads each quote as the page shows it (its source line breaks are white space, as in the browser)', () => {
    expect(found[0]?.text).toBe(
      'Eines der Besten Spiele die ich jemals Spielen durfte. Unglaublich was Miyazaki da gezaubert hat. Alles Perfekt kann nichts weiter dazu sagen',
    );
    expect(found[4]?.text).toBe(
      'Top 3 game of all time. Amazing in every way shape or form. I beat malenia in one try thanks to Rivers of blood.',
    );
    for (const { text } of found) expect(text).not.toMatch(/User score|NextGas|Sep 7, 2026|Generally Favorable/);
  });

  it('finds only a card added later (infinite scroll)', () => {
    const page = loadFixture('metacritic-user-reviews.html');
    const card = page.querySelector(CARD);
    if (card === null) throw new Error('fixture has no card');
    // A copy of a real card, as the page appends the next ones.
    const added = fragment(page, card.outerHTML);
    one(page, '#fx-reviews').append(added);
    expect(metacritic.find(added)).toHaveLength(1);
    expect(metacritic.find(page)).toHaveLength(6);
  });
});

describe('Metacritic JSON-LD fallback', () => {
  it('finds a review named in JSON-LD when the card markup is unknown', () => {
    const quote = 'An uncompromising vision of wonder and terror, Elden Ring is the ultimate dark fantasy odyssey.';
    const html = fixtureHtml('metacritic-critic-reviews.html')
      .replace(/data-testid="review-(card|quote-text)"/g, 'data-testid="renamed-$1"')
      .replace(
        '</head>',
        `<script type="application/ld+json">{"@context":"https://schema.org","@type":"VideoGame","name":"Elden Ring","review":[{"@type":"Review","reviewBody":"${quote}"}]}</script></head>`,
      );
    const found = metacritic.find(parse(html));
    expect(found.map((review) => review.text)).toEqual([quote]);
  });
});

describe('metacritic.matches', () => {
  it.each([
    'https://www.metacritic.com/movie/oppenheimer/',
    'https://www.metacritic.com/movie/oppenheimer',
    'https://www.metacritic.com/movie/oppenheimer/critic-reviews/',
    'https://www.metacritic.com/movie/oppenheimer/user-reviews/?sort-by=Recently%20Added',
    'https://metacritic.com/movie/oppenheimer/critic-reviews',
  ])('matches %s', (url) => {
    expect(metacritic.matches(new URL(url))).toBe(true);
  });

  it.each([
    'https://www.metacritic.com/',
    'https://www.metacritic.com/browse/movie/',
    'https://www.metacritic.com/game/elden-ring/',
    'https://www.metacritic.com/tv/the-bear/',
    'https://www.metacritic.com/movie/oppenheimer/details/',
    'https://metacritic.com.example/movie/oppenheimer/',
  ])('does not match %s', (url) => {
    expect(metacritic.matches(new URL(url))).toBe(false);
  });
});
