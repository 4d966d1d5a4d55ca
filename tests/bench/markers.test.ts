/** The BENCHMARKS.md updater: it replaces only its own section, and refuses broken markers. */
import { describe, expect, it } from 'vitest';
import { endMarker, replaceMarkedSection, startMarker } from '../../bench/lib/markers.ts';

const START = startMarker('peers');
const END = endMarker('peers');

describe('replaceMarkedSection', () => {
  it('appends the section at the end when the markers are not there yet', () => {
    const doc = '# Benchmarks\n\n## Other\n\nHand-written figures.\n\n';
    expect(replaceMarkedSection(doc, 'peers', '## Peers\n\n| a |\n| - |\n')).toBe(
      `# Benchmarks\n\n## Other\n\nHand-written figures.\n\n${START}\n\n## Peers\n\n| a |\n| - |\n\n${END}\n`,
    );
  });

  it('replaces only what lies between the markers, leaving the rest byte for byte', () => {
    const before = '# Benchmarks\r\n\nintro **kept**\n\n';
    const after = '\n\n## Later section\n\nAlso kept.\n';
    const doc = `${before}${START}\n\nold figures 1, 2, 3\n\n${END}${after}`;
    const updated = replaceMarkedSection(doc, 'peers', 'new figures');
    expect(updated).toBe(`${before}${START}\n\nnew figures\n\n${END}${after}`);
  });

  it('gives the same file when run twice with the same body', () => {
    const once = replaceMarkedSection('# B\n', 'peers', 'body');
    expect(replaceMarkedSection(once, 'peers', 'body')).toBe(once);
  });

  it('leaves other benchmarks’ sections alone', () => {
    const other = `${startMarker('serving')}\n\nserving figures\n\n${endMarker('serving')}`;
    const doc = `# B\n\n${other}\n`;
    const updated = replaceMarkedSection(doc, 'peers', 'peers figures');
    expect(updated).toContain(other);
    expect(updated).toContain(`${START}\n\npeers figures\n\n${END}`);
  });

  it.each([
    ['a start without an end', `${START}\nx\n`],
    ['an end without a start', `x\n${END}\n`],
    ['the end before the start', `${END}\nx\n${START}\n`],
    ['two starts', `${START}\n${START}\nx\n${END}\n`],
  ])('refuses %s', (_what, doc) => {
    expect(() => replaceMarkedSection(doc, 'peers', 'body')).toThrow(/markers/);
  });

  it('refuses a section name that would not make a plain marker', () => {
    expect(() => replaceMarkedSection('', 'pe ers', 'x')).toThrow(/name/);
  });
});
