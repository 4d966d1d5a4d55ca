import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../model/prepare/npy.ts';

describe('encodeNpy', () => {
  it.each([
    [Int32Array.from([1, -2, 3]), "'<i4'", 4],
    [BigInt64Array.from([0n, 5n]), "'<i8'", 8],
    [Uint8Array.from([0, 1, 1]), "'|u1'", 1],
  ])('writes a 64-byte aligned header and the raw data (%s)', (array, descr, itemSize) => {
    const bytes = encodeNpy(array);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    const headerLength = bytes.readUInt16LE(8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
    expect(header).toContain(`'descr': ${descr}`);
    expect(header).toContain(`'shape': (${array.length},)`);
    expect(header.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLength + array.length * itemSize);
    expect(bytes.subarray(10 + headerLength).equals(Buffer.from(array.buffer))).toBe(true);
  });
});
