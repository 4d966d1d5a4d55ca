/**
 * The port must match real CPython draw for draw, so Python itself is the oracle: each case runs
 * `python3 -c` and compares. Skipped (with the reason in the test name) only where python3 is missing.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PythonRandom } from '../../../model/data/python-random.ts';

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Runs a Python snippet that prints one JSON value, and returns it. */
function python(code: string): unknown {
  const result = spawnSync('python3', ['-c', `import json, random\n${code}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

const seeds: (number | bigint)[] = [20110619, 0, 1, 42, 0xffffffff, 2 ** 32, 2 ** 53 - 1, 12345678901234567890123n, -7];

describe.skipIf(!hasPython)(
  hasPython ? 'PythonRandom against CPython' : 'PythonRandom against CPython (skipped: python3 not found)',
  () => {
    it('shuffles list(range(1000)) like random.Random(20110619).shuffle', () => {
      const expected = python('x = list(range(1000)); random.Random(20110619).shuffle(x); print(json.dumps(x))');
      const actual = Array.from({ length: 1000 }, (_, i) => i);
      new PythonRandom(20110619).shuffle(actual);
      expect(actual).toEqual(expected);
      expect(actual).not.toEqual([...actual].sort((a, b) => a - b)); // a no-op shuffle must fail too
    });

    it('matches getrandbits for small, word-sized, multi-word and negative seeds', () => {
      const widths = [1, 2, 5, 8, 16, 31, 32, 0, 32, 7];
      // 700 draws of 32 bits cross the 624-word state refill (the twist) at least once.
      // One python3 run for every seed keeps the test fast.
      const expected = python(
        `ks = ${JSON.stringify(widths)}; out = []\n` +
          `for seed in (${seeds.map(String).join(', ')}):\n` +
          '    r = random.Random(seed); out.append([r.getrandbits(k) for k in ks] + [r.getrandbits(32) for _ in range(700)])\n' +
          'print(json.dumps(out))',
      );
      const actual = seeds.map((seed) => {
        const r = new PythonRandom(seed);
        return [...widths.map((k) => r.getrandbits(k)), ...Array.from({ length: 700 }, () => r.getrandbits(32))];
      });
      expect(actual).toEqual(expected);
    });

    it('matches _randbelow and shuffles of small and odd-sized lists', () => {
      const ns = [1, 2, 3, 7, 8, 9, 1000, 2 ** 31, 2 ** 32 - 1];
      const expected = python(
        `r = random.Random(5); ns = ${JSON.stringify(ns)}\n` +
          'out = [r._randbelow(n) for n in ns for _ in range(20)]\n' +
          'for size in (0, 1, 2, 3, 17): x = list(range(size)); r.shuffle(x); out.append(x)\n' +
          'print(json.dumps(out))',
      );
      const r = new PythonRandom(5);
      const actual: unknown[] = ns.flatMap((n) => Array.from({ length: 20 }, () => r.randbelow(n)));
      for (const size of [0, 1, 2, 3, 17]) {
        const x = Array.from({ length: size }, (_, i) => i);
        r.shuffle(x);
        actual.push(x);
      }
      expect(actual).toEqual(expected);
    });
  },
);

describe('PythonRandom argument checks', () => {
  it.each([
    ['getrandbits(33)', () => new PythonRandom(1).getrandbits(33)],
    ['randbelow(0)', () => new PythonRandom(1).randbelow(0)],
    ['a fractional seed', () => new PythonRandom(1.5)],
  ])('rejects %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});
