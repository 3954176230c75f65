import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { type LocaleSetting, resolveLocale } from '../common/locale';
import { loadBuilderConfig, RELEASE_CONFIG_FILE } from '../scripts/release-config.mjs';
import {
  APP_USER_MODEL_ID,
  appMenuTemplate,
  createQuitFlow,
  type QuitPorts,
  relaunchOptions,
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

/** Every label a menu template sets itself, submenus included. */
function labels(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.label ? [item.label] : []),
    ...(Array.isArray(item.submenu) ? labels(item.submenu) : []),
  ]);
}

/** The items Electron would name itself (a role without a label: its English name), submenus included. */
function unlabelled(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role && !item.label ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? unlabelled(item.submenu) : []),
  ]);
}

/** The item with `role`, wherever it is in the menus. */
function itemWith(
  template: MenuItemConstructorOptions[],
  role: string,
): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.role === role) return item;
    const found = Array.isArray(item.submenu) ? itemWith(item.submenu, role) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The languages the setting and an OS language give: en, ko, and `system` on Korean and German OSes. */
const LANGUAGES: Array<[LocaleSetting, string, 'en' | 'ko']> = [
  ['en', 'ko-KR', 'en'],
  ['ko', 'en-US', 'ko'],
  ['system', 'ko-KR', 'ko'],
  ['system', 'de-DE', 'en'],
];

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
      expect(all).toEqual(expect.arrayContaining(['undo', 'copy', 'paste', 'selectAll', 'zoomIn', 'quit']));
    },
  );

  it('keeps them for development (npm start)', () => {
    expect(roles(appMenuTemplate({ packaged: false, platform: 'linux' }))).toEqual(
      expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']),
    );
  });

  it('gives macOS its app and window menus, and the others a way to quit', () => {
    expect(roles(appMenuTemplate({ packaged: true, platform: 'darwin' }))).toEqual(
      expect.arrayContaining([
        'about',
        'services',
        'hide',
        'hideOthers',
        'unhide',
        'quit',
        'window',
        'front',
      ]),
    );
    expect(roles(appMenuTemplate({ packaged: true, platform: 'win32' }))).toEqual(
      expect.arrayContaining(['quit', 'minimize', 'close']),
    );
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

describe('appMenuTemplate() labels', () => {
  const EN = ['File', 'Edit', 'View', 'Window', 'Help'];
  const KO = ['파일', '편집', '보기', '창', '도움말'];
  /** The menus' own names (macOS: after the app menu, which it names after the app itself). */
  const menus = (template: MenuItemConstructorOptions[], platform: NodeJS.Platform) =>
    template.slice(platform === 'darwin' ? 1 : 0).map((item) => item.label);

  it.each(LANGUAGES)('follow the setting %s on an OS in %s: %s', (setting, os, expected) => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const template = appMenuTemplate({
        packaged: true,
        platform,
        locale: resolveLocale(setting, os),
        onSaveDiagnostics: () => {},
      });
      expect(menus(template, platform)).toEqual(expected === 'ko' ? KO : EN);
      expect(itemWith(template, 'copy')?.label).toBe(expected === 'ko' ? '복사' : 'Copy');
      expect(labels(template)).toContain(expected === 'ko' ? '진단 정보 저장…' : 'Save Diagnostics…');
    }
  });

  it('are English without a language', () => {
    expect(menus(appMenuTemplate({ packaged: false, platform: 'linux' }), 'linux')).toEqual([
      'File',
      'Edit',
      'View',
      'Window',
    ]);
  });

  it.each(['linux', 'win32', 'darwin'] as const)(
    'name every item in the person’s language on %s, none left to Electron’s English names; each keeps its role',
    (platform) => {
      for (const locale of ['en', 'ko'] as const)
        for (const packaged of [true, false]) {
          const template = appMenuTemplate({ packaged, platform, locale, onSaveDiagnostics: () => {} });
          expect(unlabelled(template), `${locale}, packaged ${packaged}`).toEqual([]);
          if (locale === 'ko')
            expect(labels(template).filter((label) => /[A-Za-z]/.test(label.replace('Tessera', '')))).toEqual(
              [],
            );
        }
      const ko = appMenuTemplate({ packaged: false, platform, locale: 'ko' });
      expect(itemWith(ko, 'zoomIn')?.label).toBe('확대');
      expect(itemWith(ko, 'undo')?.label).toBe('실행 취소');
      expect(itemWith(ko, 'toggleDevTools')?.label).toBe('개발자 도구');
    },
  );

  it.each(['linux', 'win32', 'darwin'] as const)(
    'quit as the app says it everywhere on %s: "Quit Tessera" (Tessera 끄기), never Windows’ "Exit"',
    (platform) => {
      expect(itemWith(appMenuTemplate({ packaged: true, platform, locale: 'en' }), 'quit')?.label).toBe(
        'Quit Tessera',
      );
      expect(itemWith(appMenuTemplate({ packaged: true, platform, locale: 'ko' }), 'quit')?.label).toBe(
        'Tessera 끄기',
      );
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

  it.each(LANGUAGES)(
    'words the box in the language the setting %s gives on an OS in %s (%s), asked at the failure',
    async (setting, os, expected) => {
      const d = deps();
      let asked = 0;
      await runStartup(
        async () => {
          throw new Error('EACCES: permission denied');
        },
        {
          ...d,
          locale: () => {
            asked++;
            return resolveLocale(setting, os);
          },
        },
      );
      expect(asked).toBe(1);
      expect(d.seen.boxes).toEqual([
        expected === 'ko'
          ? [
              'Tessera를 시작하지 못했습니다',
              'Tessera를 시작하지 못했습니다: EACCES: permission denied.\n\n' +
                '다시 시작해 보세요. 이 문제가 계속되면 이 메시지와 /home/u/.config/Tessera/logs 폴더의 로그를 ' +
                'IT 부서에 전달하세요.',
            ]
          : [
              'Tessera could not start',
              'Tessera could not start: EACCES: permission denied.\n\n' +
                'Try starting it again. If this keeps happening, give this message and the log in ' +
                '/home/u/.config/Tessera/logs to your IT department.',
            ],
      ]);
      // The log is for IT and developers: English whatever the language.
      expect(d.seen.logged).toEqual([expect.stringContaining('[tessera] start-up failed: Error: EACCES')]);
    },
  );

  it('still shows the box, in English, when asking for the language throws', async () => {
    const d = deps();
    await runStartup(
      async () => {
        throw new Error('boom');
      },
      {
        ...d,
        locale: () => {
          throw new Error('no language');
        },
      },
    );
    expect(d.seen.boxes.map(([title]) => title)).toEqual(['Tessera could not start']);
    expect(d.seen.exits).toEqual([1]);
  });

  it('words a Korean box without a log folder or an error text', () => {
    expect(startupFailureMessage('', undefined, 'ko')).toEqual({
      title: 'Tessera를 시작하지 못했습니다',
      content:
        'Tessera를 시작하지 못했습니다: 예상하지 못한 오류.\n\n' +
        '다시 시작해 보세요. 이 문제가 계속되면 이 메시지를 IT 부서에 전달하세요.',
    });
  });

  it('words a thrown non-error too', () => {
    expect(startupFailureMessage('').content).toMatch(/^Tessera could not start: an unexpected error\./);
  });
});

/** Quit ports that record what was done, in order; `wait` is the keychain wait, ended by the test. */
function quitPorts(closeFails = false) {
  const done: string[] = [];
  let endWait: () => void = () => {};
  const ports: QuitPorts = {
    hide: () => done.push('hide'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        done.push('close');
        endWait = closeFails ? () => reject(new Error('keychain gone')) : resolve;
      }),
    quit: () => done.push('quit'),
    relaunch: () => done.push('relaunch'),
    log: (message) => done.push(`log: ${message}`),
  };
  return {
    ports,
    done,
    endWait: async () => {
      endWait();
      // The wait's then/catch/finally run as microtasks.
      for (let turn = 0; turn < 5; turn++) await Promise.resolve();
    },
  };
}

describe('createQuitFlow', () => {
  it('holds the first quit, hides the windows and waits for the keychain, then quits once', async () => {
    const { ports, done, endWait } = quitPorts();
    const flow = createQuitFlow(ports);
    expect(flow.beforeQuit()).toBe(true);
    expect(flow.beforeQuit()).toBe(true); // a second Quit while waiting: held, no second wait
    expect(done).toEqual(['hide', 'close']);
    expect(flow.state).toBe('closing');
    await endWait();
    expect(done).toEqual(['hide', 'close', 'quit']);
    expect(flow.state).toBe('closed');
    expect(flow.beforeQuit()).toBe(false); // the quit the wait sent goes through
  });

  it('answers a launch while running with a window, and does not relaunch', async () => {
    const { ports, done, endWait } = quitPorts();
    const flow = createQuitFlow(ports);
    expect(flow.launch()).toBe('show');
    flow.beforeQuit();
    await endWait();
    expect(done).not.toContain('relaunch');
  });

  it('keeps a launch made during the keychain wait: the app starts again once it has quit', async () => {
    const { ports, done, endWait } = quitPorts();
    const flow = createQuitFlow(ports);
    flow.beforeQuit();
    expect(flow.launch()).toBe('after-quit');
    expect(flow.launch()).toBe('after-quit'); // a double click: still one new start
    expect(done).toEqual(['hide', 'close']); // no window the quit would close
    await endWait();
    expect(done).toEqual(['hide', 'close', 'relaunch', 'quit']);
  });

  it('relaunches for a launch that arrives after the wait, while the process is exiting', async () => {
    const { ports, done, endWait } = quitPorts();
    const flow = createQuitFlow(ports);
    flow.beforeQuit();
    await endWait();
    expect(flow.launch()).toBe('after-quit');
    expect(flow.launch()).toBe('after-quit');
    expect(done).toEqual(['hide', 'close', 'quit', 'relaunch']);
  });

  it('quits and relaunches when the wait fails, logging why', async () => {
    const { ports, done, endWait } = quitPorts(true);
    const flow = createQuitFlow(ports);
    flow.beforeQuit();
    flow.launch();
    await endWait();
    expect(done).toEqual(['hide', 'close', 'log: closing the services failed', 'relaunch', 'quit']);
  });

  it('quits at a system shutdown with the same wait, holding it, and never relaunches', async () => {
    const { ports, done, endWait } = quitPorts();
    const flow = createQuitFlow(ports);
    expect(flow.systemEnding()).toBe(true);
    expect(done).toEqual(['hide', 'close']);
    expect(flow.launch()).toBe('ignore');
    expect(flow.beforeQuit()).toBe(true); // the quit the OS sends next waits for the same
    await endWait();
    expect(done).toEqual(['hide', 'close', 'quit']);
    expect(flow.systemEnding()).toBe(false); // nothing left to hold the shutdown for
  });

  it('drops a relaunch asked for before a shutdown that arrives during the wait', async () => {
    const { ports, done, endWait } = quitPorts();
    const flow = createQuitFlow(ports);
    flow.beforeQuit();
    expect(flow.launch()).toBe('after-quit');
    expect(flow.systemEnding()).toBe(true);
    await endWait();
    expect(done).toEqual(['hide', 'close', 'quit']);
  });
});

describe('relaunchOptions', () => {
  it('starts an AppImage again from its file, with the same arguments', () => {
    expect(
      relaunchOptions({ APPIMAGE: '/home/a/Tessera.AppImage' }, true, ['/tmp/.mount_x/tessera', '--x']),
    ).toEqual({ execPath: '/home/a/Tessera.AppImage', args: ['--x'] });
  });

  it("keeps Electron's default elsewhere, and in a development run that inherited APPIMAGE", () => {
    expect(relaunchOptions({}, true, ['/opt/Tessera/tessera'])).toBeUndefined();
    expect(relaunchOptions({ APPIMAGE: '/x.AppImage' }, false, ['electron', '.'])).toBeUndefined();
  });
});
