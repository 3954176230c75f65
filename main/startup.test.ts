import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { loadBuilderConfig, RELEASE_CONFIG_FILE } from '../scripts/release-config.mjs';
import {
  APP_USER_MODEL_ID,
  appMenuTemplate,
  revealWindow,
  runStartup,
  startupFailureMessage,
} from './startup';

/** Every role in a menu template, submenus included. */
function roles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

describe('APP_USER_MODEL_ID', () => {
  it("is electron-builder's appId, the ID Windows knows the installed app by", async () => {
    const config = await loadBuilderConfig(`${import.meta.dirname}/..`, RELEASE_CONFIG_FILE);
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });
});

describe('appMenuTemplate()', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'has no Reload, Force Reload or Developer Tools in a packaged app on %s',
    (platform) => {
      const all = roles(appMenuTemplate({ packaged: true, platform }));
      expect(all).not.toContain('reload');
      expect(all).not.toContain('forceReload');
      expect(all).not.toContain('toggleDevTools');
      // The default menus carrying them are not used either.
      expect(all).not.toContain('viewMenu');
      expect(all).toContain('editMenu');
      expect(all).toContain('zoomIn');
    },
  );

  it('keeps them for development (npm start)', () => {
    expect(roles(appMenuTemplate({ packaged: false, platform: 'linux' }))).toEqual(
      expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']),
    );
  });

  it('gives macOS its app and window menus, and the others a way to quit', () => {
    expect(roles(appMenuTemplate({ packaged: true, platform: 'darwin' }))).toEqual(
      expect.arrayContaining(['appMenu', 'windowMenu']),
    );
    expect(roles(appMenuTemplate({ packaged: true, platform: 'win32' }))).toContain('quit');
  });

  it.each(['linux', 'win32', 'darwin'] as const)(
    'ends with Help → Save Diagnostics…, which calls the save on %s',
    (platform) => {
      let saves = 0;
      const template = appMenuTemplate({ packaged: true, platform, onSaveDiagnostics: () => saves++ });
      const help = template.at(-1);
      expect(help?.role).toBe('help');
      const item = Array.isArray(help?.submenu) ? help.submenu[0] : undefined;
      expect(item?.label).toBe('Save Diagnostics…');
      (item?.click as (() => void) | undefined)?.();
      expect(saves).toBe(1);
    },
  );
});

describe('revealWindow()', () => {
  function windowThat(minimized: boolean) {
    const calls: string[] = [];
    return {
      calls,
      isMinimized: () => minimized,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    };
  }

  it('shows before it focuses (focus alone leaves a hidden window hidden)', () => {
    const window = windowThat(false);
    revealWindow(window);
    expect(window.calls).toEqual(['show', 'focus']);
  });

  it('restores a minimized window first', () => {
    const window = windowThat(true);
    revealWindow(window);
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
  });
});

describe('runStartup()', () => {
  function deps() {
    const seen = { logged: [] as string[], boxes: [] as Array<[string, string]>, exits: [] as number[] };
    return {
      seen,
      log: (message: string) => seen.logged.push(message),
      showErrorBox: (title: string, content: string) => seen.boxes.push([title, content]),
      exit: (code: number) => seen.exits.push(code),
      logDir: '/home/u/.config/Tessera/logs',
    };
  }

  it('does nothing more when start-up succeeds', async () => {
    const d = deps();
    await runStartup(async () => {}, d);
    expect(d.seen).toEqual({ logged: [], boxes: [], exits: [] });
  });

  it('logs a failure, shows what failed in an error box, and exits with code 1', async () => {
    const d = deps();
    await runStartup(async () => {
      throw new Error('EACCES: permission denied, open /home/u/.config/Tessera/settings.json');
    }, d);
    expect(d.seen.logged).toEqual([expect.stringContaining('[tessera] start-up failed: Error: EACCES')]);
    expect(d.seen.boxes).toEqual([
      [
        'Tessera could not start',
        'Tessera could not start: EACCES: permission denied, open /home/u/.config/Tessera/settings.json.\n\n' +
          'Try starting it again. If this keeps happening, give this message and the log in ' +
          '/home/u/.config/Tessera/logs to your IT department.',
      ],
    ]);
    expect(d.seen.exits).toEqual([1]);
  });

  it('keeps anything token-shaped out of the box and the log', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWc';
    const d = deps();
    await runStartup(async () => {
      throw new Error(`bad token ${jwt}`);
    }, d);
    expect(JSON.stringify(d.seen)).not.toContain(jwt);
    expect(d.seen.exits).toEqual([1]);
  });

  it('words a thrown non-error too', () => {
    expect(startupFailureMessage('').content).toMatch(/^Tessera could not start: an unexpected error\./);
  });
});
