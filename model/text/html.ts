/**
 * HTML to plain text: drops tags, comments, script and style bodies, and decodes entities once.
 * Browser-safe and DOM-free (it must also run in a service worker, which has no DOMParser).
 */

// Tags become a space so that "good<br />bad" stays two words. A tag must start with a
// letter, "/" or "!" so that "<3" and "a < b" survive as text.
// Exported so that explanations (model/inference/explain.ts) mask exactly what this step drops.
export const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
export const COMMENT = /<!--[\s\S]*?-->/g;
export const TAG = /<\/?[a-z][^<>]*>|<![a-z][^<>]*>/gi;
export const ENTITY = /&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;

// Named entities that occur in reviews; unknown names are left as written.
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  euml: 'ë',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  auml: 'ä',
  aring: 'å',
  ccedil: 'ç',
  iacute: 'í',
  iuml: 'ï',
  ntilde: 'ñ',
  oacute: 'ó',
  ocirc: 'ô',
  ouml: 'ö',
  uacute: 'ú',
  uuml: 'ü',
  szlig: 'ß',
  pound: '£',
  euro: '€',
  cent: '¢',
  yen: '¥',
  times: '×',
  shy: '',
  zwj: '',
  zwnj: '',
};

function decodeEntity(match: string, body: string): string {
  if (body[0] === '#') {
    const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    // Lone surrogates and out-of-range values would make an invalid string: drop them.
    const valid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    return valid ? String.fromCodePoint(codePoint) : ' ';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? match;
}

/** Removes markup and decodes entities; the result is plain text, never re-parsed as HTML. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(SCRIPT_OR_STYLE, ' ').replace(COMMENT, ' ').replace(TAG, ' '));
}

/**
 * Decodes character references once (named ones that occur in reviews, and numeric ones); an
 * unknown name is left as written and an invalid number becomes a space. The extension's site
 * adapters use it for review bodies written as HTML in a string, so pages and the model agree.
 */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, decodeEntity);
}
