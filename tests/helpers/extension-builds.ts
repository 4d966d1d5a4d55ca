/**
 * Vitest global setup: one folder per test run in which scripts/chromium.ts's buildExtension
 * builds each target once, instead of once per browser test file (seven files asked for a build
 * of about 10 s each). The test files' processes inherit the variable; the folder goes at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_CACHE_VARIABLE } from '../../scripts/chromium.ts';

export default function setup(): () => void {
  const cache = mkdtempSync(join(tmpdir(), 'reelsense-extension-builds-'));
  process.env[BUILD_CACHE_VARIABLE] = cache;
  return () => {
    rmSync(cache, { recursive: true, force: true });
  };
}
