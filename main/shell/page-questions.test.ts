// The questions the page can make main ask, wired as the app wires them: a link leaving the app
// (secure-window.ts) and a change of server (confirm-connection.ts) share one screen. Electron cannot
// run here: `electron` is a stand-in whose dialogs stay unanswered, as a person who has not clicked yet.
import { expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const shown: string[] = [];
  const created: Array<{ webPreferences?: Record<string, unknown> }> = [];
  let openHandler: ((details: { url: string }) => unknown) | null = null;
  class BrowserWindow {
    constructor(options: { webPreferences?: Record<string, unknown> }) {
      created.push(options);
    }
    webContents = {
      setWindowOpenHandler: (handler: (details: { url: string }) => unknown) => {
        openHandler = handler;
      },
      on: () => {},
    };
    once() {}
    isDestroyed() {
      return false;
    }
    static getFocusedWindow() {
      return null;
    }
  }
  return {
    shown,
    created,
    openLink: (url: string) => openHandler?.({ url }),
    module: {
      app: { getLocale: () => 'en' },
      BrowserWindow,
      shell: { openExternal: async () => {} },
      dialog: {
        showMessageBox: (...args: unknown[]) => {
          const options = (args.length === 2 ? args[1] : args[0]) as { message: string };
          shown.push(options.message);
          return new Promise(() => {});
        },
      },
    },
  };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

it('never shows a link question and a change-of-server question at once: the second is refused unasked', async () => {
  const { createSecureWindow } = await import('./secure-window');
  const { confirmConnectionChange } = await import('./confirm-connection');
  createSecureWindow({
    preloadPath: '/app/preload.cjs',
    title: 'Tessera',
    knownOrigins: () => ({ apiBaseUrl: 'https://api.example.com' }),
    locale: () => 'en',
    formatLocales: [],
    logger: { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } as never,
  });
  // window.open of a host the app does not talk to: "Open this link in your web browser?"
  electron.openLink('https://elsewhere.example/landing');
  await settle();
  expect(electron.shown).toEqual(['Open this link in your web browser?']);
  // Meanwhile the page asks to connect to another server: answered no, never shown.
  const asked = confirmConnectionChange({
    keys: ['apiBaseUrl'],
    fromOrigin: 'https://api.example.com',
    toOrigin: 'https://elsewhere.example',
    toIssuer: null,
    newOrigins: ['https://elsewhere.example'],
    locale: 'en',
  });
  expect(await asked).toBe(false);
  await settle();
  expect(electron.shown).toEqual(['Open this link in your web browser?']);
});

it("hands the window's preload the OS's regional formats, as the one switch on its command line", async () => {
  const { createSecureWindow } = await import('./secure-window');
  const { formatLocalesFromArgv } = await import('../../common/locale');
  const logger = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } as never;
  const open = (formatLocales: string[]) => {
    createSecureWindow({
      preloadPath: '/app/preload.cjs',
      title: 'Tessera',
      knownOrigins: () => ({ apiBaseUrl: 'https://api.example.com' }),
      locale: () => 'en',
      formatLocales,
      logger,
    });
    return electron.created.at(-1)?.webPreferences ?? {};
  };
  // Windows with an en-US display and a British region: getSystemLocale() says en-GB.
  const british = open(['en-GB', 'en-US']);
  expect(british.additionalArguments).toEqual(['--tessera-format-locales=en-GB,en-US']);
  // What the preload reads back from its process.argv (the renderer's own switches come first).
  const argv = ['/app/tessera', '--type=renderer', ...(british.additionalArguments as string[])];
  expect(formatLocalesFromArgv(argv)).toEqual(['en-GB', 'en-US']);
  // Nothing valid (an OS that answered '' before it was ready): no switch at all.
  expect(open(['', 'en_GB'])).not.toHaveProperty('additionalArguments');
  // A value that tries to smuggle another switch is not a tag: it never reaches the command line.
  expect(open(['en-GB --no-sandbox', 'en-GB,--no-sandbox']).additionalArguments).toBeUndefined();
});
