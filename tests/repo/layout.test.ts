/** The repository's promises about itself: layout, one version, the two commands. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(path, root), 'utf8')) as Record<string, unknown>;

describe('repository', () => {
  it.each([
    'model',
    'backend',
    'extension',
    'website',
    'tests',
    'manifest.json',
    'package.json',
    'tsconfig.json',
    'model/train/requirements.txt',
  ])('has %s where DESIGN.md puts it', (path) => {
    expect(existsSync(new URL(path, root))).toBe(true);
  });

  it('gives the extension manifest the package version', () => {
    const manifest = json('manifest.json');
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.version).toBe(json('package.json').version);
  });

  it('opens the README with the two commands, and CI runs the test one', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const firstSection = readme.split(/\n## /)[1] ?? '';
    expect(firstSection).toContain('npm start');
    expect(firstSection).toContain('npm test');
    expect(readFileSync(new URL('.ci/run', root), 'utf8')).toMatch(/^npm test$/m);
  });

  it('pins torch to the build that lies on disk', () => {
    expect(readFileSync(new URL('model/train/requirements.txt', root), 'utf8')).toMatch(/^torch==2\.13\.0$/m);
  });
});
