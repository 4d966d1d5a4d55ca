/**
 * BENCHMARKS.md holds sections that a benchmark writes: everything between
 * `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` belongs to it and is replaced whole on
 * each run; the rest of the file is never touched. A section not there yet is appended at the end.
 */

const startMarker = (name: string): string => `<!-- bench:${name}:start -->`;
const endMarker = (name: string): string => `<!-- bench:${name}:end -->`;

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/**
 * `doc` with the section `name` holding `body` (markers on their own lines around it). Throws when
 * the markers are broken (one without the other, twice, or the end before the start), rather than
 * guess which text is the benchmark's to replace.
 */
export function replaceMarkedSection(doc: string, name: string, body: string): string {
  if (!/^[\w-]+$/.test(name)) throw new Error(`Bad section name "${name}".`);
  const start = startMarker(name);
  const end = endMarker(name);
  const starts = occurrences(doc, start);
  const ends = occurrences(doc, end);
  const section = `${start}\n\n${body.trim()}\n\n${end}`;
  if (starts.length === 0 && ends.length === 0) {
    const trimmed = doc.replace(/\s+$/, '');
    return `${trimmed}${trimmed === '' ? '' : '\n\n'}${section}\n`;
  }
  const [from] = starts;
  const [to] = ends;
  if (starts.length !== 1 || ends.length !== 1 || from === undefined || to === undefined || to < from) {
    throw new Error(
      `BENCHMARKS.md has ${starts.length} "${start}" and ${ends.length} "${end}"${to !== undefined && from !== undefined && to < from ? ', the end first' : ''}: fix the markers by hand (one of each, start first).`,
    );
  }
  return doc.slice(0, from) + section + doc.slice(to + end.length);
}
