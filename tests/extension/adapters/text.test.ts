// @vitest-environment jsdom
/**
 * A review's text as a reader sees it (extension/src/content/adapters/text.ts): text only, whitespace as
 * rendered, spoilers in, "read more" labels out, quotes kept, capped at the API's limit.
 */
import { describe, expect, it } from 'vitest';
import {
  capText,
  isReadMoreLabel,
  MAX_REVIEW_CHARS,
  tidyWhitespace,
  reviewText,
  textFromHtmlString,
} from '../../../extension/src/content/adapters/text.ts';
import { one, parse } from './fixtures.ts';

/** The text of the element with id "r" in `html`. */
function text(html: string, options: Parameters<typeof reviewText>[1] = {}): string {
  return reviewText(one(parse(`<body>${html}</body>`), '#r'), options);
}

describe('reviewText', () => {
  it.each([
    ['collapses whitespace', '<div id="r">  A   film\n\tabout\u00a0grief.  </div>', 'A film about grief.'],
    ['keeps <br> as a line break', '<div id="r">One.<br>Two.<br/><br/>Three.</div>', 'One.\nTwo.\n\nThree.'],
    ['keeps paragraphs apart by a blank line', '<div id="r"><p>One.</p><p>Two.</p></div>', 'One.\n\nTwo.'],
    ['puts blocks on their own lines', '<div id="r"><div>One.</div><div>Two.</div>Three.</div>', 'One.\nTwo.\nThree.'],
    ['joins inline markup', '<div id="r">A <b>bold</b>, <i>odd</i> <a href="/x">film</a>.</div>', 'A bold, odd film.'],
    [
      'keeps nested quotes',
      '<div id="r"><p>She wrote:</p><blockquote><p>It is</p><blockquote>a light</blockquote></blockquote><p>Yes.</p></div>',
      'She wrote:\n\nIt is\n\na light\n\nYes.',
    ],
    [
      'marks an inline <q>',
      '<div id="r">He says <q>keep it burning</q> twice.</div>',
      'He says \u201ckeep it burning\u201d twice.',
    ],
    [
      'includes spoiler text hidden by CSS or the hidden attribute',
      '<div id="r"><span>Open.</span> <span style="display:none">The twist.</span> <span hidden>The end.</span></div>',
      'Open. The twist. The end.',
    ],
    [
      'leaves out buttons and their labels',
      '<div id="r">Great.<button>Read more</button><button aria-label="Spoiler">Spoiler</button></div>',
      'Great.',
    ],
    [
      "leaves out IMDb's expanders",
      '<div id="r">Text.<div data-testid="review-overflow-expander">Expand</div><div class="ipl-expander">Show</div></div>',
      'Text.',
    ],
    [
      'leaves out read-more links whatever their class',
      '<div id="r"><p>Start of it&hellip; <a href="/full">Read more</a></p><p>Also <a href="#">… see more »</a></p></div>',
      'Start of it\u2026\n\nAlso',
    ],
    [
      'leaves out a WordPress more-link',
      '<div id="r"><p>Excerpt. <a class="more-link" href="/p">Continue</a></p></div>',
      'Excerpt.',
    ],
    [
      "leaves out Letterboxd's spoiler placeholder",
      '<div id="r"><p class="contains-spoilers">This review may contain spoilers. <a class="js-reveal">I can handle the truth.</a></p><div class="hidden-spoilers expanded-text"><p>He dies.</p></div></div>',
      'He dies.',
    ],
    [
      'reads the expanded copy of a collapsed text once',
      '<div id="r"><span class="blurb blurb_collapsed">Short…</span><span class="blurb blurb_expanded">Short and then the rest.</span></div>',
      'Short and then the rest.',
    ],
    [
      'reads a collapsed text with no expanded copy',
      '<div id="r"><div class="collapsed-text"><p>Only this.</p></div></div>',
      'Only this.',
    ],
    [
      'skips script, style, template, noscript, svg and form fields',
      '<div id="r">A<script>var x = 1;</script><style>p{}</style><template><p>T</p></template><noscript>N</noscript><svg><title>star</title></svg><textarea>typed</textarea><select><option>O</option></select> film.</div>',
      'A film.',
    ],
    [
      'reads escaped HTML as the text it is',
      '<div id="r">He typed &lt;script&gt;alert(1)&lt;/script&gt; in the box.</div>',
      'He typed <script>alert(1)</script> in the box.',
    ],
    [
      "leaves out ReelSense's own badge and popover",
      '<div id="r">Fine.<span data-reelsense-badge>Positive 97%</span><div data-reelsense-popover>Negative</div></div>',
      'Fine.',
    ],
    [
      'ignores an <img> in the markup',
      '<div id="r">Fine<img src="x" onerror="window.__reelsensePwned = true"> film.</div>',
      'Fine film.',
    ],
  ])('%s', (_name, html, expected) => {
    expect(text(html)).toBe(expected);
  });

  it('keeps prose that says "more" and links that say more than "read more"', () => {
    expect(
      text(
        '<div id="r">I wanted <span>more</span> from it. <a href="/x">Read more reviews of this film here</a></div>',
      ),
    ).toBe('I wanted more from it. Read more reviews of this film here');
  });

  it('reads the element itself even when it would be skipped inside another', () => {
    expect(text('<span id="r" class="read-more">Read more</span>')).toBe('Read more');
  });

  it('leaves out what the caller excludes, by selector or by predicate', () => {
    const html = '<div id="r"><p class="by">By Jo</p><p>Great.</p><div class="x">No.</div></div>';
    expect(text(html, { exclude: '.by' })).toBe('Great.\n\nNo.');
    expect(text(html, { skip: (element) => element.classList.contains('x') })).toBe('By Jo\n\nGreat.');
  });

  it(`caps the text at the API's ${MAX_REVIEW_CHARS} characters`, () => {
    const long = 'word '.repeat(10_000);
    const result = text(`<div id="r"><p>${long}</p><p>${long}</p></div>`);
    expect(result.length).toBeLessThanOrEqual(MAX_REVIEW_CHARS);
    expect(result.length).toBeGreaterThan(MAX_REVIEW_CHARS - 10);
  });

  it('never executes anything while reading', () => {
    const doc = parse(
      '<body><div id="r"><img src="x" onerror="window.__reelsensePwned = true"><script>window.__reelsensePwned = true</script>Text</div></body>',
    );
    expect(reviewText(one(doc, '#r'))).toBe('Text');
    expect((window as unknown as Record<string, unknown>).__reelsensePwned).toBeUndefined();
  });
});

describe('text helpers', () => {
  it.each([
    ['Read more', true],
    ['read MORE', true],
    ['… more', true],
    ['Show less', true],
    ['See more »', true],
    ['(more)', true],
    ['Expand', true],
    ['Read full review', true],
    ['Continue reading →', false],
    ['I wanted more from it', false],
    ['Read more reviews', false],
    ['', false],
  ])('isReadMoreLabel(%j) is %s', (label, expected) => {
    expect(isReadMoreLabel(label)).toBe(expected);
  });

  it('tidyWhitespace trims lines and keeps at most one blank line', () => {
    expect(tidyWhitespace('  a  b \r\n\n\n\n  c\t \n')).toBe('a b\n\nc');
  });

  it('capText never cuts a surrogate pair in half', () => {
    expect(capText('ab\u{1F600}', 3)).toBe('ab');
    expect(capText('abc', 3)).toBe('abc');
  });

  it('textFromHtmlString turns markup in a string into text without parsing it', () => {
    expect(textFromHtmlString('<p>One &amp; two.</p><p>Three<br/>four <em>five</em>.</p>')).toBe(
      'One & two.\n\nThree\nfour five.',
    );
    // The text pipeline's decoder: the named references beyond the common few decode too.
    expect(textFromHtmlString('Am&eacute;lie &frac12; &bogus;')).toBe('Am\u00e9lie \u00bd &bogus;');
  });
});
