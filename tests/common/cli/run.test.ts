import { describe, expect, it } from 'vitest';
import { HelpRequested, parseFlags, positiveIntegerFlag } from '../../../common/cli/run.ts';

describe('parseFlags', () => {
  it('reads --name value, --name=value and booleans', () => {
    const flags = parseFlags(['--out', 'dir', '--max-length=64', '--force'], ['out', 'max-length'], ['force']);
    expect([...flags]).toEqual([
      ['out', 'dir'],
      ['max-length', '64'],
      ['force', 'true'],
    ]);
  });

  it.each([
    [['--bogus', '1'], /Unknown option --bogus/],
    [['stray'], /Unexpected argument "stray"/],
    [['--out'], /--out needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv, ['out'])).toThrow(message);
  });

  it.each([['--help'], ['-h']])('answers %s with the list of options', (arg) => {
    const call = () => parseFlags(['--out', 'x', arg], ['out'], ['force']);
    expect(call).toThrow(HelpRequested);
    expect(call).toThrow('Options: --out, --force.');
  });
});

describe('positiveIntegerFlag', () => {
  it.each([
    ['12', 12],
    [undefined, 7],
  ])('reads %s', (raw, expected) => {
    expect(positiveIntegerFlag(new Map(raw === undefined ? [] : [['runs', raw]]), 'runs', 7)).toBe(expected);
  });

  it.each(['0', '-3', '2.5', 'abc', ''])('refuses "%s" with the flag name', (raw) => {
    expect(() => positiveIntegerFlag(new Map([['runs', raw]]), 'runs', 7)).toThrow(/--runs must be a positive integer/);
  });
});
