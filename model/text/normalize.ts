/**
 * Unicode and case normalisation, applied after HTML removal and before tokenising.
 * Browser-safe: only String built-ins.
 */

// Many IMDB reviews were typed in Windows-1252 and carry its punctuation as C1 control
// characters (U+0085 for "…", U+0092 for "’", U+0096 for "–"). Map them to what was meant.
const WINDOWS_1252_C1: Readonly<Record<string, string>> = {
  '\u0082': ',',
  '\u0084': '"',
  '\u0085': '...',
  '\u0091': "'",
  '\u0092': "'",
  '\u0093': '"',
  '\u0094': '"',
  '\u0096': '-',
  '\u0097': '-',
};
const C1_PUNCTUATION = /[\u0082\u0084\u0085\u0091-\u0094\u0096\u0097]/g;

// Characters people type as an apostrophe. Mapped before NFKC, which would turn "´" into a
// space plus a combining accent and so split "don´t" in two.
const APOSTROPHES = /[\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201a\u201b\u2032\u0060\uff07]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02]/g;
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
const ELLIPSIS = /\u2026/g;
const FRACTION_SLASH = /\u2044/g; // NFKC writes "½" as "1⁄2"; the tokeniser reads ratings with "/".

// Accents on Latin and Greek letters only: in other scripts a mark can make another letter
// (Cyrillic "й" is not "и"; Devanagari vowel signs are part of the syllable).
const FOLDABLE_ACCENTS = /([\p{Script=Latin}\p{Script=Greek}])[\u0300-\u036f]+/gu;
// Controls, format characters (zero-width joiners, bidi marks, soft hyphens), variation
// selectors and emoji skin tones: they carry no sentiment and split words invisibly.
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- removing these one by one is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}]/gu;
const WHITESPACE = /[\s\u0085]+/g;

// Most reviews are plain ASCII, for which the Unicode steps below change nothing but "`".
const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/;

/** Returns lower-case, NFKC-normalised text with accents folded and punctuation unified. */
export function normalizeText(text: string): string {
  if (PLAIN_ASCII.test(text)) {
    return text.replaceAll('`', "'").toLowerCase().replace(WHITESPACE, ' ').trim();
  }
  return normalizeUnicode(text);
}

/** The full path; exported so that a test can prove the ASCII shortcut gives the same result. */
export function normalizeUnicode(text: string): string {
  const unified = text
    .replace(C1_PUNCTUATION, (c) => WINDOWS_1252_C1[c] ?? c)
    .replace(APOSTROPHES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(ELLIPSIS, '...')
    .normalize('NFKC')
    .replace(FRACTION_SLASH, '/')
    .toLowerCase();
  return unified
    .normalize('NFD')
    .replace(FOLDABLE_ACCENTS, '$1')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, ' ')
    .trim();
}
