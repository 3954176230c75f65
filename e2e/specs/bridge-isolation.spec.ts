import { bridgeApiShape, expect, test } from '../fixtures';

test.describe('what the page can reach', () => {
  test('no Node or Electron globals, and window.tessera offers exactly auth, settings and system', async ({
    window,
  }) => {
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();

    const seen = await window.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown> & {
        tessera: {
          auth: Record<string, unknown>;
          settings: Record<string, unknown>;
          system: Record<string, unknown>;
        };
      };
      return {
        require: typeof g.require,
        process: typeof g.process,
        ipcRenderer: typeof g.ipcRenderer,
        module: typeof g.module,
        tessera: Object.keys(g.tessera).sort(),
        auth: Object.keys(g.tessera.auth).sort(),
        settings: Object.keys(g.tessera.settings).sort(),
        system: Object.keys(g.tessera.system).sort(),
        onlyFunctions: [g.tessera.auth, g.tessera.settings, g.tessera.system].every((part) =>
          Object.values(part).every((member) => typeof member === 'function'),
        ),
        frozen:
          Object.isFrozen(g.tessera) && Object.isFrozen(g.tessera.auth) && Object.isFrozen(g.tessera.system),
      };
    });

    expect(seen).toEqual({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      module: 'undefined',
      tessera: ['auth', 'settings', 'system'],
      // Exactly what preload/bridge.ts builds: no raw invoke/send, nothing a host added.
      ...bridgeApiShape(),
      onlyFunctions: true,
      frozen: true,
    });
  });
});
