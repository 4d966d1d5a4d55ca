// @vitest-environment jsdom
/**
 * The generic adapter, for any page on request: JSON-LD reviews matched to their elements,
 * microdata reviews, and blog posts and comments by heuristic; nothing on a page without reviews.
 */
import { describe, expect, it } from 'vitest';
import { genericAdapter, MIN_BLOG_REVIEW_CHARS } from '../../../extension/src/content/adapters/generic.ts';
import {
  ADAPTER_FIXTURE_NAMES,
  INVENTED_PAGES,
  fragment,
  ids,
  loadFixture,
  markedIds,
  one,
  textOf,
} from './fixtures.ts';

describe('generic adapter on a blog post with JSON-LD reviews (blog-json-ld.html)', () => {
  const doc = loadFixture('blog-json-ld.html');
  const found = genericAdapter.find(doc);

  it('finds the element showing each JSON-LD review on the page, once, and nothing else', () => {
    expect(ids(found)).toEqual(['jl-1', 'jl-2']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it('reads the text as the page shows it', () => {
    expect(textOf(found, 'jl-1')).toBe(
      'The best film of the festival by a distance. Elena Marsh & Tomas Reyes are magnificent as a father and daughter who have forgotten how to talk to each other.\n\n' +
        'The storm sequence is astonishing, and the ending is earned, not manipulated. I cried, and so did the critic next to me.',
    );
    expect(textOf(found, 'jl-2')).toContain('The <script> tag in its marketing was the only surprise.');
  });

  it('skips a JSON-LD review the page does not show, and the post, the sidebar and the footer', () => {
    expect(found.some((review) => review.text.includes('Harbour Lights'))).toBe(false);
    const post = one(doc, 'article');
    expect(found.some((review) => review.element === post)).toBe(false);
    expect(found.some((review) => review.element.closest('aside, footer, header') !== null)).toBe(false);
  });
});

describe('generic adapter on microdata reviews (blog-microdata.html)', () => {
  const doc = loadFixture('blog-microdata.html');
  const found = genericAdapter.find(doc);

  it('finds each Review item with text (http or https, CriticReview too) and skips one without', () => {
    expect(ids(found)).toEqual(['md-1', 'md-2', 'md-3']);
  });

  it("reads the item's own reviewBody, not the reviewed movie's description", () => {
    expect(textOf(found, 'md-1')).toBe(
      'Quietly overwhelming.\nMarsh and Reyes give the performances of their careers.\n\nSee it on the biggest screen you can find.',
    );
    expect(textOf(found, 'md-2')).toBe(
      'A road movie with nowhere to go. Its director told us:\n\nWe wanted the audience to feel the heat.\n\nWe felt the length.',
    );
    expect(textOf(found, 'md-3')).toBe('A tense, elegant little thriller that never outstays its welcome.');
  });
});

describe('generic adapter on a blog post with comments (blog-plain.html)', () => {
  const doc = loadFixture('blog-plain.html');
  const found = genericAdapter.find(doc);

  it('finds the post and the long comments, the innermost block that holds each text', () => {
    expect(ids(found)).toEqual(['post', 'comment-1', 'reply-1']);
    expect(ids(found)).toEqual(markedIds(doc));
  });

  it("reads the post's text without its header and footer, nested quotes kept", () => {
    expect(textOf(found, 'post')).toBe(
      [
        "I did not expect to spend a Tuesday night crying over a lighthouse, but here we are. Anna Voss's second feature is a small film in every way but the one that matters.",
        'The story is simple: a keeper, his estranged daughter, one last winter. What makes it special is how much it trusts silence. Whole scenes pass without a word, and you never feel lost.',
        'A critic I admire wrote that the film',
        'keeps a light on for its characters',
        'and I cannot put it better.',
        'Go and see it. Take tissues.',
      ].join('\n\n'),
    );
  });

  it('does not find short comments, comment lists, the form, the sidebar, a "preview" or the footer', () => {
    const texts = found.map((review) => review.text).join('\n');
    expect(texts).not.toMatch(/Great review, thanks|Leave a Reply|Small Screens is where|Night Ferry|registered|Reply/);
    for (const selector of ['#comments', '.comment-list', '#comment-101', '#div-comment-101', '#respond', 'aside']) {
      const block = one(doc, selector);
      expect(found.some((review) => review.element === block)).toBe(false);
    }
  });

  it(`counts a block as a review only from ${MIN_BLOG_REVIEW_CHARS} characters of its own text`, () => {
    const page = loadFixture('blog-plain.html');
    const comment = one(page, '[data-test-review="comment-1"] p');
    comment.textContent = 'x'.repeat(MIN_BLOG_REVIEW_CHARS - 1);
    expect(ids(genericAdapter.find(page))).toEqual(['post', 'reply-1']);
    comment.textContent = 'x'.repeat(MIN_BLOG_REVIEW_CHARS);
    expect(ids(genericAdapter.find(page))).toEqual(['post', 'comment-1', 'reply-1']);
  });

  it('finds only a comment added later', () => {
    const page = loadFixture('blog-plain.html');
    const added = fragment(
      page,
      `<li class="comment depth-1"><article class="comment-body"><footer class="comment-meta"><b class="fn">Ana</b></footer><div class="comment-content" data-test-review="comment-new"><p>${'A late comment that is long enough to count as a review of its own. '.repeat(4)}</p></div></article></li>`,
    );
    one(page, '.comment-list').append(added);
    expect(ids(genericAdapter.find(added))).toEqual(['comment-new']);
    expect(ids(genericAdapter.find(page))).toEqual(['post', 'comment-1', 'reply-1', 'comment-new']);
  });
});

describe('generic adapter on a page without reviews (no-reviews.html)', () => {
  it('finds nothing', () => {
    expect(genericAdapter.find(loadFixture('no-reviews.html'))).toEqual([]);
  });
});

describe('genericAdapter', () => {
  it('handles any web or file page, on request', () => {
    for (const url of ['https://blog.example/post/', 'http://localhost:5173/', 'file:///tmp/page.html']) {
      expect(genericAdapter.matches(new URL(url))).toBe(true);
    }
    for (const url of ['chrome://extensions/', 'about:blank', 'data:text/html,hi']) {
      expect(genericAdapter.matches(new URL(url))).toBe(false);
    }
  });

  it.each(ADAPTER_FIXTURE_NAMES.filter((name) => !INVENTED_PAGES.includes(name)))(
    'never finds one element twice or one inside another on %s',
    (name) => {
      const found = genericAdapter.find(loadFixture(name));
      for (const a of found) {
        for (const b of found) if (a !== b) expect(a.element.contains(b.element)).toBe(false);
      }
    },
  );
});
