// bench/app-path.ts: the app path the benchmarks, the soak, the fault matrix and the interop walk
// drive. What it holds beside the app's services — a throw-away user data folder — ends with it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppPath } from '../../bench/app-path';
import { TEST_SERVICE } from '../support/fixtures';
import { startQuietServer } from '../support/test-server';

// Nothing here is sent: the API is never called, so a closed loopback port will do.
const options = { apiBaseUrl: 'http://127.0.0.1:9', keychainService: TEST_SERVICE };

describe('createAppPath', () => {
  it('removes its throw-away folder on close(), after the keychain is quiet', async () => {
    const app = createAppPath(options);
    expect(existsSync(app.userDataDir)).toBe(true);
    await app.start();
    await app.close();
    expect(existsSync(app.userDataDir)).toBe(false);
    await app.close();
  });

  it('removes its throw-away folder on dispose() too', () => {
    const app = createAppPath(options);
    app.dispose();
    expect(existsSync(app.userDataDir)).toBe(false);
  });

  it('leaves a folder it was given in place (a restart reuses it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-app-path-given-'));
    try {
      const app = createAppPath({ ...options, userDataDir: dir });
      expect(app.userDataDir).toBe(dir);
      await app.close();
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives a window the app's clock: a token expired by it is refreshed before any call, not after a 401", async () => {
    // The page and main share one clock in the app; a benchmark moves it with `now`.
    let offset = 0;
    const server = await startQuietServer({ accessTtlSeconds: 60, now: () => Date.now() + offset });
    const app = createAppPath({
      apiBaseUrl: server.url,
      keychainService: TEST_SERVICE,
      now: () => Date.now() + offset,
    });
    try {
      const win = app.openWindow();
      await win.bridge.auth.signIn({ username: 'demo', password: 'demo-password' });
      await win.api.get('api/user/me').json();
      offset += 120_000;
      server.clearRequests();
      await win.api.get('api/user/me').json();
      // (The other 200 is the profile the core loads after its refresh.)
      expect(server.requests('/api/user/me').map((request) => request.status)).not.toContain(401);
      expect(server.requests('/token/refresh')).toHaveLength(1);
      await win.bridge.auth.signOut();
    } finally {
      await app.close();
      await server.close();
    }
  });
});
