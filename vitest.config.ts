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
  },
});
