/**
 * Text that remembers where it came from on the page. A review's text (text.ts) is built from
 * the text nodes of its element, with whitespace collapsed, line breaks and quote marks added
 * and labels removed; so an offset into that text (an explanation's span, in UTF-16 code units
 * as the background scored the very same string) is not an offset into the DOM. Each text here
 * carries, for every code unit, the index of the character it came from in its `TextSource` (the
 * text nodes read, in order), or -1 for what the reading added; `rangeOf` turns a span back into
 * a DOM Range over the page's own text nodes, which the CSS Custom Highlight API can paint
 * without a single change to the page.
 *
 * Every operation is the string operation of the same name, done on the text and its origins
 * together, so `traced.text` is exactly what the plain string code gave.
 */

export interface Traced {
  readonly text: string;
  /** Per UTF-16 code unit of `text`: its index in the source's joined node values, or -1 (added). */
  readonly from: readonly number[];
}

/** The text nodes a text was read from, in reading order, with their values when read. */
export class TextSource {
  readonly #nodes: Node[] = [];
  readonly #values: string[] = [];
  readonly #starts: number[] = [];
  #length = 0;

  /** A text node's value as read: each code unit traced to this node. */
  read(node: Node): Traced {
    const value = node.nodeValue ?? '';
    const start = this.#length;
    this.#nodes.push(node);
    this.#values.push(value);
    this.#starts.push(start);
    this.#length += value.length;
    const from = new Array<number>(value.length);
    for (let i = 0; i < value.length; i++) from[i] = start + i;
    return { text: value, from };
  }

  /**
   * The node and offset of source index `index`, if that node still holds the value it held when
   * read (a page that rewrote the review since has moved its characters: no position is better
   * than a wrong one).
   */
  locate(index: number): { readonly node: Node; readonly offset: number } | undefined {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    const node = this.#nodes[low];
    const start = this.#starts[low];
    const value = this.#values[low];
    if (node === undefined || start === undefined || value === undefined || index < start) return undefined;
    if (!node.isConnected || node.nodeValue !== value) return undefined;
    const offset = index - start;
    return offset < value.length ? { node, offset } : undefined;
  }
}

/** Text the reading added (a line break, a quote mark) or that is not on the page (an attribute's value). */
export function added(text: string): Traced {
  return { text, from: new Array<number>(text.length).fill(-1) };
}

export function concat(parts: readonly Traced[]): Traced {
  const from: number[] = [];
  for (const part of parts) for (const index of part.from) from.push(index);
  return { text: parts.map((part) => part.text).join(''), from };
}

/** `parts.map((part) => part.text).join(separator)`, traced; the separators count as added. */
export function joinWith(parts: readonly Traced[], separator: string): Traced {
  return concat(parts.flatMap((part, i) => (i === 0 ? [part] : [added(separator), part])));
}

export function slice(traced: Traced, start: number, end?: number): Traced {
  return { text: traced.text.slice(start, end), from: traced.from.slice(start, end) };
}

/**
 * `traced.text.replace(pattern, replacement)` with a literal replacement (no `$` patterns): every
 * match, or the first without the `g` flag. Replacement characters count as added, except where
 * the match is its own replacement.
 */
export function replace(traced: Traced, pattern: RegExp, replacement: string): Traced {
  const parts: Traced[] = [];
  let last = 0;
  traced.text.replace(pattern, (match: string, ...rest: unknown[]) => {
    // The match's offset is the first number after the capture groups.
    // A match that stays as it is (one space for one space) keeps its origins.
    if (match === replacement) return match;
    const offset = rest.find((value): value is number => typeof value === 'number') ?? 0;
    parts.push(slice(traced, last, offset), added(replacement));
    last = offset + match.length;
    return replacement;
  });
  if (parts.length === 0) return traced;
  parts.push(slice(traced, last));
  return concat(parts);
}

/** `String.prototype.trim` (its whitespace is exactly the regular expression's `\s`). */
export function trim(traced: Traced): Traced {
  return replace(traced, /^\s+|\s+$/g, '');
}

/** The traced text as a plain string's operation needs it: none of its characters on the page. */
export const plain = added;

/** A text read from the page, and the nodes it was read from: what `rangeOf` needs. */
export interface TextOrigin {
  readonly traced: Traced;
  readonly source: TextSource;
}

/**
 * The DOM Range of `origin.traced.text.slice(start, end)`: from the page position of its first character that
 * came from the page to just past its last. Undefined when none did (an attribute's text, a
 * quote mark alone) or the page has changed those nodes since they were read.
 */
export function rangeOf(doc: Document, { traced, source }: TextOrigin, start: number, end: number): Range | undefined {
  let first = Math.max(0, start);
  let last = Math.min(end, traced.from.length) - 1;
  while (first <= last && (traced.from[first] ?? -1) < 0) first++;
  while (last >= first && (traced.from[last] ?? -1) < 0) last--;
  if (first > last) return undefined;
  const from = source.locate(traced.from[first] ?? -1);
  const to = source.locate(traced.from[last] ?? -1);
  if (from === undefined || to === undefined) return undefined;
  const range = doc.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset + 1);
  return range;
}
