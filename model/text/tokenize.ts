/**
 * Splits normalised text (see normalize.ts) into tokens. Rules, in order of precedence:
 * - a URL becomes the single token `<url>` and an e-mail address `<email>`;
 * - a rating such as "7/10", "4.5/5" or "1/2" is one token, because reviewers state their verdict that way
 *   (not inside a date such as "12/25/2004");
 * - an emoticon standing alone becomes a canonical token (":-)" and "=)" are both ":)");
 * - each emoji, and each Han, Kana or Thai character with its marks (scripts written without spaces), is a token;
 * - a number with separators ("1,000", "7.5") is one token;
 * - a word is letters, digits and marks, with inner apostrophes; negations stay whole ("don't",
 *   "isn't", "can't") so the model sees each as one unit, while the other clitics are split off
 *   ("movie's" -> "movie" "'s", "they're" -> "they" "'re");
 * - "!" and "?" runs become one "!" or "?", a run of dots "...", and . , ; : ( ) are kept;
 * - everything else (other symbols, quotes, hyphens) separates tokens and is dropped.
 * Browser-safe: only RegExp and String built-ins.
 */

const EMOTICONS: Readonly<Record<string, string>> = {
  ':)': ':)',
  ':-)': ':)',
  ':]': ':)',
  '=)': ':)',
  ':o)': ':)',
  ':d': ':d',
  ':-d': ':d',
  xd: ':d',
  'x-d': ':d',
  '=d': ':d',
  ';)': ';)',
  ';-)': ';)',
  ':(': ':(',
  ':-(': ':(',
  ':[': ':(',
  '=(': ':(',
  '>:(': ':(',
  ":'(": ":'(",
  ":'-(": ":'(",
  ':/': ':/',
  ':-/': ':/',
  ':\\': ':/',
  ':p': ':p',
  ':-p': ':p',
  ':o': ':o',
  ':-o': ':o',
  '<3': '<3',
  '</3': '</3',
  '^_^': '^_^',
  '^^': '^_^',
  '-_-': '-_-',
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const EMOTICON_PATTERN = Object.keys(EMOTICONS)
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');

// One sticky-free global pattern; each alternative is a named group so the loop below
// knows which rule matched. Order matters: earlier alternatives win at the same position.
const TOKEN = new RegExp(
  [
    String.raw`(?<url>(?:https?:\/\/|www\.)[^\s<>"]+)`,
    // Bounded, and anchored on a letter or digit, so that long runs of symbols stay linear.
    String.raw`(?<email>[\p{L}\p{N}][\p{L}\p{N}._%+-]{0,63}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})+)`,
    String.raw`(?<![\p{N}\/.])(?<rating>\p{Nd}+(?:\.\p{Nd}+)?\/\p{Nd}+(?![\p{L}\p{N}\/]))`,
    String.raw`(?<=^|\s)(?<emoticon>${EMOTICON_PATTERN})(?=$|\s|[.,!?])`,
    String.raw`(?<single>\p{Extended_Pictographic}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]\p{M}*)`,
    String.raw`(?<number>\p{Nd}+(?:[.,]\p{Nd}+)+)`,
    String.raw`(?<word>[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:'[\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*)`,
    String.raw`(?<dots>\.{2,})`,
    String.raw`(?<bang>!+)`,
    String.raw`(?<question>\?+)`,
    String.raw`(?<punct>[.,;:()])`,
  ].join('|'),
  'gu',
);

// Clitics split off a word; "n't" is deliberately absent (negations stay whole).
const CLITIC = /^(.+?)('s|'re|'ve|'ll|'d|'m)$/;

function pushWord(word: string, out: string[]): void {
  if (word.endsWith("n't")) {
    out.push(word);
    return;
  }
  const clitic = CLITIC.exec(word);
  if (clitic?.[1] !== undefined && clitic[2] !== undefined) {
    out.push(clitic[1], clitic[2]);
  } else {
    out.push(word);
  }
}

// Shortcut for the common chunk: a plain word, maybe followed by "," or "." ("xd" is an emoticon).
const PLAIN_WORD = /^([a-z]+)([.,]?)$/;

/**
 * Tokenises text that has already been through `normalizeText`. No token holds whitespace and
 * the rules look no further than the neighbouring whitespace, so each whitespace-separated
 * chunk is tokenised on its own; plain words skip the big pattern.
 */
export function tokenizeNormalized(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(' ')) {
    const plain = PLAIN_WORD.exec(chunk);
    if (plain?.[1] !== undefined && plain[1] !== 'xd') {
      out.push(plain[1]);
      if (plain[2]) out.push(plain[2]);
    } else if (chunk) {
      tokenizeChunk(chunk, out);
    }
  }
  return out;
}

function tokenizeChunk(chunk: string, out: string[]): void {
  for (const match of chunk.matchAll(TOKEN)) {
    const g = match.groups ?? {};
    if (g.url !== undefined) out.push('<url>');
    else if (g.email !== undefined) out.push('<email>');
    else if (g.emoticon !== undefined) out.push(EMOTICONS[g.emoticon] ?? g.emoticon);
    else if (g.word !== undefined) pushWord(g.word, out);
    else if (g.dots !== undefined) out.push('...');
    else if (g.bang !== undefined) out.push('!');
    else if (g.question !== undefined) out.push('?');
    else out.push(match[0]);
  }
}
