/**
 * A port of CPython's `random.Random` (MT19937), just enough to reproduce
 * `random.Random(seed).shuffle(rows)` for an int seed: the dataset README shuffles with it, and a
 * dataset converted here must come out in the same row order as the shared copy.
 *
 * Faithful to CPython 3.11 `Modules/_randommodule.c` (`random_seed`, `init_by_array`,
 * `genrand_uint32`, `getrandbits`) and `Lib/random.py` (`_randbelow_with_getrandbits`, `shuffle`).
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** CPython seeds with the 32-bit words of abs(seed), least significant first; 0 gives [0]. */
function seedWords(seed: number | bigint): Uint32Array {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new RangeError(`PythonRandom needs an integer seed, got ${seed}`);
  }
  let n = BigInt(seed);
  if (n < 0n) n = -n;
  const words: number[] = [];
  do {
    words.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return Uint32Array.from(words);
}

export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: number | bigint) {
    this.initByArray(seedWords(seed));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    this.index = N;
  }

  private initByArray(key: Uint32Array): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    // The sums below stay exact in a double (< 2^34); the Uint32Array store wraps them mod 2^32.
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = ((mt[i] ?? 0) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + (key[j] ?? 0) + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = ((mt[i] ?? 0) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0;
        i = 1;
      }
    }
    mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
  }

  private twist(): void {
    const mt = this.mt;
    const mix = (a: number, b: number): number => ((mt[a] ?? 0) & UPPER_MASK) | ((mt[b] ?? 0) & LOWER_MASK);
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = mix(kk, kk + 1);
      mt[kk] = (mt[kk + M] ?? 0) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = mix(kk, kk + 1);
      mt[kk] = (mt[kk + (M - N)] ?? 0) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = mix(N - 1, 0);
    mt[N - 1] = (mt[M - 1] ?? 0) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }

  /** One tempered 32-bit output, as CPython's `genrand_uint32`. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++] ?? 0;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random.getrandbits(k)` for 0 <= k <= 32 (all the shuffle needs). */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 32) throw new RangeError(`getrandbits supports 0 <= k <= 32, got ${k}`);
    if (k === 0) return 0;
    return this.nextUint32() >>> (32 - k);
  }

  /** `random._randbelow_with_getrandbits(n)`: uniform in [0, n) for 0 < n < 2^32. */
  randbelow(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0xffffffff)
      throw new RangeError(`randbelow needs 0 < n < 2^32, got ${n}`);
    const k = 32 - Math.clz32(n); // n.bit_length(); not (n - 1), so n = 1 still draws a bit
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.shuffle(x)` of CPython 3.11, in place. */
  shuffle(x: unknown[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const xi = x[i];
      x[i] = x[j];
      x[j] = xi;
    }
  }
}
