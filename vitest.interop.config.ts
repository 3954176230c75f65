import { defineConfig } from 'vitest/config';

// `npm run test:interop`: each file starts a real JWT backend on a loopback port (Django SimpleJWT,
// Directus, an OAuth2 password-grant server) and walks the app path against it. One file at a time:
// the backends are heavy, and results.json is written by each file in turn.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
