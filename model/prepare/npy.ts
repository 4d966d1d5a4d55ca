/**
 * Writes NumPy `.npy` files (format 1.0) so that Python reads the prepared data with
 * `numpy.load` and no parsing of its own. Node-only.
 */
import { writeFile } from 'node:fs/promises';

export type NpyArray = Int32Array | BigInt64Array | Uint8Array;

const DESCR: ReadonlyMap<string, string> = new Map([
  ['Int32Array', '<i4'],
  ['BigInt64Array', '<i8'],
  ['Uint8Array', '|u1'],
]);

/** The .npy bytes of a 1-D little-endian array. */
export function encodeNpy(array: NpyArray): Buffer {
  const descr = DESCR.get(array.constructor.name);
  if (descr === undefined) throw new TypeError(`No .npy type for ${array.constructor.name}`);
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${array.length},), }`;
  // Magic (6) + version (2) + header length (2) + dict + padding + "\n", aligned to 64 bytes.
  const unpadded = 10 + dict.length + 1;
  const headerLength = Math.ceil(unpadded / 64) * 64 - 10;
  const header = Buffer.alloc(10 + headerLength, 0x20);
  header.write('\x93NUMPY', 0, 'latin1');
  header.writeUInt8(1, 6);
  header.writeUInt8(0, 7);
  header.writeUInt16LE(headerLength, 8);
  header.write(dict, 10, 'latin1');
  header.write('\n', 10 + headerLength - 1, 'latin1');
  // Typed arrays are little-endian on every platform Node runs on.
  return Buffer.concat([header, Buffer.from(array.buffer, array.byteOffset, array.byteLength)]);
}

export async function writeNpy(path: string, array: NpyArray): Promise<Buffer> {
  const bytes = encodeNpy(array);
  await writeFile(path, bytes);
  return bytes;
}
