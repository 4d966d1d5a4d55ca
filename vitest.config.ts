import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/**/*.test.ts',
      'model/**/*.test.ts',
      'backend/**/*.test.ts',
      'extension/**/*.test.ts',
      'website/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/.venv/**'],
    environment: 'node',
    testTimeout: 30_000,
    // The extension is built once per run for all browser test files (scripts/chromium.ts).
    globalSetup: ['tests/helpers/extension-builds.ts'],
  },
});
