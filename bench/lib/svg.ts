/**
 * A small SVG writer for the benchmark charts: elements as strings with escaped text and
 * attributes, scales, and ticks. No dependencies; the output is plain SVG 1.1 that browsers and
 * GitHub render as an image.
 */

export type Attributes = Readonly<Record<string, string | number | undefined>>;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Numbers with at most 2 decimals, so the file stays small and stable from run to run. */
const num = (x: number): string => {
  if (!Number.isFinite(x)) throw new Error(`An SVG attribute cannot be ${x}.`);
  return String(Math.round(x * 100) / 100);
};

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => {
      if (!/^[a-zA-Z][\w:-]*$/.test(key)) throw new Error(`Bad attribute name "${key}".`);
      return ` ${key}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
    })
    .join('');
}

/** An element; children are strings already written by el() or text(). No children: self-closing. */
export function el(tag: string, attrs: Attributes = {}, ...children: string[]): string {
  if (!/^[a-zA-Z][\w-]*$/.test(tag)) throw new Error(`Bad element name "${tag}".`);
  return children.length === 0
    ? `<${tag}${attributes(attrs)}/>`
    : `<${tag}${attributes(attrs)}>${children.join('')}</${tag}>`;
}

/** Escaped character data. */
export const text = (content: string): string => escapeXml(content);

/** A whole SVG document with a title (its accessible name) and a white background. */
export function svgDocument(width: number, height: number, title: string, ...children: string[]): string {
  return `${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      role: 'img',
      'font-family': 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif',
      'font-size': 12,
    },
    el('title', {}, text(title)),
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    ...children,
  )}\n`;
}

export type Scale = (x: number) => number;

export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d0 === d1) return () => (r0 + r1) / 2;
  return (x) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/** Log base 10; the domain must be positive. */
export function logScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d0 <= 0 || d1 <= 0) throw new Error(`A log scale needs a positive domain, not [${d0}, ${d1}].`);
  const linear = linearScale([Math.log10(d0), Math.log10(d1)], [r0, r1]);
  return (x) => linear(Math.log10(x));
}

/** The powers of ten and their 2x and 5x within [min, max], and the decade bounds around them. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(Number(t.toPrecision(6)));
    }
  }
  return ticks;
}

/** A log domain that starts and ends on a decade (or 2x, 5x) mark around [min, max]. */
export function logDomain(min: number, max: number): [number, number] {
  const marks = (e: number): number[] => [1, 2, 5, 10].map((m) => m * 10 ** e);
  const low =
    marks(Math.floor(Math.log10(min)))
      .filter((m) => m <= min)
      .pop() ?? min;
  const high = marks(Math.floor(Math.log10(max))).find((m) => m >= max) ?? max;
  return [Number(low.toPrecision(6)), Number(high.toPrecision(6))];
}

/** Evenly spaced round ticks (steps of 1, 2 or 5 times a power of ten) covering [min, max]. */
export function linearTicks(min: number, max: number, about = 6): number[] {
  if (min === max) return [min];
  const raw = (max - min) / about;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A compact label for a tick: 1,000 -> "1k", 20,000 -> "20k", 0.5 -> "0.5". */
export function tickLabel(x: number): string {
  if (Math.abs(x) >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (Math.abs(x) >= 1e3) return `${Number((x / 1e3).toPrecision(3))}k`;
  return String(Number(x.toPrecision(3)));
}
