/** Size on disk: a package with its dependencies, resolved as Node resolves them, each file once. */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderBytes, licenseOf, packageBytes, packageClosure, zippedSize } from '../../scripts/disk.ts';

const root = mkdtempSync(join(tmpdir(), 'reelsense-disk-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function file(path: string, bytes: number | string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof bytes === 'string' ? bytes : 'x'.repeat(bytes));
}
function pkg(dir: string, deps: Record<string, string> = {}, optional: Record<string, string> = {}): void {
  file(
    `${dir}/package.json`,
    JSON.stringify({
      name: dir.split('node_modules/').pop(),
      version: '1.0.0',
      dependencies: deps,
      optionalDependencies: optional,
    }),
  );
}

// a -> b, c; b -> c (shared, counted once); c -> d, nested in c's own node_modules; a -> @s/e; optional f missing.
pkg('node_modules/a', { b: '1', c: '1', '@s/e': '1' }, { f: '1' });
file('node_modules/a/index.js', 100);
pkg('node_modules/b', { c: '1' });
file('node_modules/b/index.js', 200);
pkg('node_modules/c', { d: '2' });
file('node_modules/c/index.js', 300);
pkg('node_modules/c/node_modules/d');
file('node_modules/c/node_modules/d/index.js', 400);
pkg('node_modules/d'); // another version of d, not a's
file('node_modules/d/index.js', 5000);
pkg('node_modules/@s/e');
file('node_modules/@s/e/index.js', 50);
file('node_modules/a/bin/linux/x64/lib.so', 1000);
file('node_modules/a/bin/win32/x64/lib.dll', 7000);
pkg('node_modules/broken', { missing: '1' });

const sizeOf = (path: string): number => statSync(join(root, path)).size;

describe('packageClosure', () => {
  it('finds every dependency once, nested versions first, scoped names too', () => {
    const dirs = packageClosure('a', root).map((d) => relative(root, d).split('\\').join('/'));
    expect(dirs.sort()).toEqual([
      'node_modules/@s/e',
      'node_modules/a',
      'node_modules/b',
      'node_modules/c',
      'node_modules/c/node_modules/d',
    ]);
  });

  it('refuses a missing required dependency, and a package that is not installed', () => {
    expect(() => packageClosure('broken', root)).toThrow(/missing, a dependency of broken/);
    expect(() => packageClosure('nope', root)).toThrow(/not installed/);
  });
});

describe('folderBytes and packageBytes', () => {
  it('counts file lengths, skips nested node_modules, and does not follow links', () => {
    symlinkSync(join(root, 'node_modules/d'), join(root, 'node_modules/c/link-to-d'));
    expect(folderBytes(join(root, 'node_modules/c'))).toBe(300 + sizeOf('node_modules/c/package.json'));
  });

  it('adds the dependencies once each, and can leave other platforms’ files out', () => {
    const all = packageBytes('a', root);
    const linuxOnly = packageBytes('a', root, { skip: (rel) => rel.startsWith('bin/win32') });
    expect(all - linuxOnly).toBe(7000);
    // a's own files + b + c + nested d + @s/e; the top-level d (5,000) is not a's
    const manifests = ['a', 'b', 'c', 'c/node_modules/d', '@s/e'].reduce(
      (total, dir) => total + sizeOf(`node_modules/${dir}/package.json`),
      0,
    );
    expect(linuxOnly).toBe(100 + 1000 + 200 + 300 + 400 + 50 + manifests);
  });
});

describe('licenseOf', () => {
  it.each([
    [{ license: 'MIT' }, 'MIT'],
    [{ license: { type: 'AGPL-3.0' } }, 'AGPL-3.0'],
    [{}, null],
  ])('%j states %s', (pkgJson, license) => {
    expect(licenseOf(pkgJson)).toBe(license);
  });
});

describe('zippedSize', () => {
  it('zips a folder as a store upload: the archive, and each file largest packed first', () => {
    file('zip/a.txt', 'a'.repeat(10_000));
    file(
      'zip/sub/b.bin',
      Array.from({ length: 2_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(''),
    );
    const { zip, files } = zippedSize(join(root, 'zip'));
    expect(files.map((f) => [f.name, f.size])).toEqual([
      ['sub/b.bin', 2_000],
      ['a.txt', 10_000],
    ]);
    expect(files.every((f, i) => i === 0 || f.packed <= (files[i - 1]?.packed ?? 0))).toBe(true);
    expect(zip).toBeGreaterThan(files.reduce((sum, f) => sum + f.packed, 0));
  });
});
