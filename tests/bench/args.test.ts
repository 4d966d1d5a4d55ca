/** `npm run bench -- [NAME ...] [flags]`: names and flags in any order. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUITE, splitArgs } from '../../bench/lib/args.ts';

describe('splitArgs', () => {
  it('runs the side-by-side suite when no name is given', () => {
    expect(splitArgs(['--quick'])).toEqual({ names: DEFAULT_SUITE, flagArgs: ['--quick'] });
    expect(DEFAULT_SUITE).toEqual(['peers', 'length', 'load']);
  });

  it('takes names and flags in any order, a value flag’s value not being a name', () => {
    expect(splitArgs(['load', '--reviews', '500', 'peers', '--quick', '--from=x.json'])).toEqual({
      names: ['load', 'peers'],
      flagArgs: ['--reviews', '500', '--quick', '--from=x.json'],
    });
  });

  it('does not take the value of --from for a benchmark even when it is one', () => {
    expect(splitArgs(['report', '--from', 'peers'])).toEqual({ names: ['report'], flagArgs: ['--from', 'peers'] });
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => splitArgs(['perf'])).toThrow(/Unknown benchmark "perf".*peers, length, load, serving, report/);
  });
});
