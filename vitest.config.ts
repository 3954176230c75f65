import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{common,main,preload,renderer,server,scripts,test}/**/*.test.ts', '*.test.ts'],
    // test/interop starts real backends: `npm run test:interop` (vitest.interop.config.ts).
    exclude: ['**/node_modules/**', 'out/**', 'e2e/**', 'test/interop/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Keychain tests share one Secret Service; files run in parallel, tests within a file in order.
    pool: 'forks',
  },
});
