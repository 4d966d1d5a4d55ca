/**
 * The built extension, both variants: only files the extension uses are packed (the model, one
 * WebAssembly runtime, our code), the packed model is the shipped artifact byte for byte, the
 * built manifests keep the source's permissions, and the Firefox build passes `web-ext lint`
 * with no errors (what addons.mozilla.org runs on upload).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_ARTIFACT_DIR } from '../../model/inference/node.ts';
import { buildExtension, ROOT } from '../../scripts/chromium.ts';

const run = promisify(execFile);
const SLOW = 180_000;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => relative(dir, join(dir, path)))
    .sort();
}

interface BuiltManifest {
  background: { service_worker?: string; scripts?: string[]; type?: string };
  content_scripts: { js: string[] }[];
  action: { default_popup: string };
  options_ui: { page: string };
  permissions: string[];
  optional_host_permissions: string[];
  content_security_policy: unknown;
  web_accessible_resources?: unknown;
  externally_connectable?: unknown;
  host_permissions?: unknown;
}

const source = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as BuiltManifest;

describe.each(['chrome', 'firefox'] as const)('the %s build', (target) => {
  let dist: string;
  let manifest: BuiltManifest;

  beforeAll(async () => {
    dist = await buildExtension(target);
    manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as BuiltManifest;
  }, SLOW);

  afterAll(() => {
    rmSync(dist, { recursive: true, force: true });
  });

  it('packs only what the extension uses', () => {
    const packed = files(dist);
    expect(packed.filter((path) => path.endsWith('.wasm'))).toEqual([
      expect.stringMatching(/^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/),
    ]);
    expect(packed.filter((path) => /\.map$|jsep|asyncify|jspi|webgl|webgpu|node_modules/.test(path))).toEqual([]);
    expect(packed.filter((path) => path.startsWith('model/'))).toEqual([
      'model/card.json',
      'model/model.onnx',
      'model/vocab.json',
    ]);
    // Nothing but the manifest, the loader, the two pages, the content script, assets and the model.
    const other = packed.filter((path) => !/^(assets|model)\//.test(path));
    expect(other).toEqual(
      [
        'manifest.json',
        'service-worker-loader.js',
        manifest.action.default_popup,
        manifest.options_ui.page,
        ...manifest.content_scripts.flatMap((script) => script.js),
      ].sort(),
    );
  });

  it('packs the shipped model byte for byte', () => {
    for (const name of ['card.json', 'vocab.json', 'model.onnx']) {
      expect(readFileSync(join(dist, 'model', name)).equals(readFileSync(join(SHIPPED_ARTIFACT_DIR, name))), name).toBe(
        true,
      );
    }
  });

  it("keeps the source manifest's permissions and policy, and exposes no file to web pages", () => {
    expect(manifest.permissions).toEqual(source.permissions);
    expect(manifest.optional_host_permissions).toEqual(source.optional_host_permissions);
    expect(manifest.content_security_policy).toEqual(source.content_security_policy);
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.web_accessible_resources).toBeUndefined();
    expect(manifest.externally_connectable).toBeUndefined();
    const background = target === 'chrome' ? manifest.background.service_worker : manifest.background.scripts?.[0];
    expect(background).toBe('service-worker-loader.js');
    expect(manifest.background.type).toBe('module');
  });

  it.runIf(target === 'firefox')(
    'passes web-ext lint with no errors',
    async () => {
      const { stdout } = await run(
        join(ROOT, 'node_modules/.bin/web-ext'),
        ['lint', '--source-dir', dist, '--output', 'json', '--no-config-discovery'],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: unknown) => error as { stdout: string });
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        summary: { errors: number; warnings: number };
        errors: { code: string; message: string; file?: string }[];
        warnings: { code: string; file?: string }[];
      };
      expect(report.errors).toEqual([]);
      // The one warning allowed: onnxruntime-web's bundle keeps an import() it never takes in
      // this build (it loads its glue from the bundle itself).
      expect(report.warnings.map((w) => `${w.code} ${w.file ?? ''}`)).toEqual(
        report.warnings.length === 0
          ? []
          : [expect.stringMatching(/^UNSAFE_VAR_ASSIGNMENT assets\/index\.ts-[\w-]+\.js$/)],
      );
    },
    SLOW,
  );
});
