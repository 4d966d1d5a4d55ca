/**
 * How error sentences name what a client sent, so that every sentence of the request checks
 * (both servers' envelopes included) reads the same way, and never echoes review text.
 */

/** A count with thousands separators: 20,000. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** What kind of JSON value a client sent: null, an array, an object, a number, a string. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** A client-sent name (a content type, a field), quoted and cut short so a message stays a sentence. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
