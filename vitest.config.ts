import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{common,main,preload,renderer,server,scripts,test}/**/*.test.ts', '*.test.ts'],
    exclude: ['**/node_modules/**', 'out/**', 'e2e/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Keychain tests share one Secret Service; files run in parallel, tests within a file in order.
    pool: 'forks',
  },
});
