import { describe, expect, it } from 'vitest';
import type { BridgeTransport } from '../../common/ipc';
import { secureWebPreferences } from '../../main/security/web-preferences';
import { createBridge } from '../../preload/bridge';
import { codeOf, findInCode, shippedSources } from './source-scan';

const FACTORY = 'main/shell/secure-window.ts';

describe('window creation in main/', () => {
  const mainSources = shippedSources('main');

  it('creates BrowserWindow / WebContentsView / BrowserView only in the secure window factory', () => {
    const creations = findInCode(mainSources, /\bnew\s+(BrowserWindow|WebContentsView|BrowserView)\s*\(/g);
    expect(creations.length).toBeGreaterThan(0);
    expect(creations.map(({ file }) => file)).toEqual(creations.map(() => FACTORY));
  });

  it('sets webPreferences only in the factory, and only from secureWebPreferences()', () => {
    const settings = findInCode(mainSources, /\bwebPreferences\s*:\s*[^,\n}]*/g);
    expect(settings).toEqual([
      { file: FACTORY, match: expect.stringMatching(/^webPreferences:\s*secureWebPreferences\(/) },
    ]);
  });

  it('never changes webPreferences after creation or opens a window through another API', () => {
    const escapes = findInCode(
      mainSources,
      /\b(setWebPreferences|webContents\.create|BrowserWindow\.fromWebContents\([^)]*\)\.setWebPreferences)\b/g,
    );
    expect(escapes).toEqual([]);
  });

  it('denies pop-ups, filters navigation and refuses <webview> in the factory', () => {
    const code = codeOf(FACTORY);
    expect(code).toMatch(/setWindowOpenHandler\([\s\S]*?action:\s*'deny'/);
    expect(code).toMatch(/on\(\s*'will-navigate'/);
    expect(code).toMatch(/on\(\s*'will-attach-webview',\s*\(event\)\s*=>\s*event\.preventDefault\(\)\s*\)/);
  });
});

describe('secureWebPreferences()', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs');

  it('isolates, sandboxes and keeps Node out of every renderer', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('gives a window without a preload no bridge, and can turn JavaScript off (the proxy prompt)', () => {
    const prompt = secureWebPreferences(null, { javascript: false });
    expect('preload' in prompt).toBe(false);
    expect(prompt).toMatchObject({
      javascript: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect('javascript' in prefs).toBe(false);
  });

  it('enables no Blink features and passes the preload path through unchanged', () => {
    expect(prefs.enableBlinkFeatures).toBe('');
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('sets no switch that would relax the defaults', () => {
    const relaxing = ['disableBlinkFeatures', 'additionalArguments', 'plugins', 'javascript'] as const;
    for (const key of relaxing) expect(prefs).not.toHaveProperty(key);
  });

  it('puts on the command line only the regional-formats switch, with valid locale tags only', () => {
    const british = secureWebPreferences('/app/out/preload/index.cjs', { formatLocales: ['en-GB', 'en-US'] });
    expect(british.additionalArguments).toEqual(['--tessera-format-locales=en-GB,en-US']);
    // Another switch dressed as a locale is not a tag; a window without a preload gets no arguments.
    const smuggled = ['--no-sandbox', 'en-GB --js-flags=--x', 'de,--no-sandbox', 42];
    expect(secureWebPreferences('/p.cjs', { formatLocales: smuggled })).not.toHaveProperty(
      'additionalArguments',
    );
    expect(secureWebPreferences(null, { formatLocales: ['en-GB'] })).not.toHaveProperty(
      'additionalArguments',
    );
  });
});

describe('the preload', () => {
  const preloadSources = shippedSources('preload');
  const entry = 'preload/index.ts';

  it('exposes exactly one global, `tessera`, built by createBridge()', () => {
    const exposures = findInCode(preloadSources, /\bexposeIn(Main|Isolated)World\s*\(/g);
    expect(exposures).toEqual([{ file: entry, match: expect.stringContaining('exposeInMainWorld') }]);
    // The second argument is the renderer's command line, where main puts only the regional formats.
    expect(codeOf(entry)).toMatch(
      /contextBridge\.exposeInMainWorld\(\s*'tessera',\s*createBridge\(\s*\w+\s*,\s*\{\s*argv:\s*process\.argv\s*\}\s*\)\s*\)/,
    );
  });

  it('uses contextBridge for nothing else (no executeInMainWorld or second bridge)', () => {
    expect(findInCode(preloadSources, /\bcontextBridge\.\w+/g)).toEqual([
      { file: entry, match: 'contextBridge.exposeInMainWorld' },
    ]);
  });

  it('never passes ipcRenderer itself along: every use is a method call on it', () => {
    const code = codeOf(entry).replace(/import\s*\{[^}]*\}\s*from\s*'electron';/, '');
    const uses = [...code.matchAll(/\bipcRenderer\b(\s*\.\s*\w+)?/g)].map((m) => m[0].replace(/\s/g, ''));
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^ipcRenderer\.(invoke|on|once|off|removeListener)$/);
  });

  it('keeps electron out of the bridge itself (only the entry file touches it)', () => {
    const electronImports = findInCode(preloadSources, /from\s*'electron'/g);
    expect(electronImports.map(({ file }) => file)).toEqual([entry]);
  });

  it('hands the page only functions, none of them the transport itself', () => {
    const transport: BridgeTransport = {
      invoke: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'test transport' } }) as never,
      subscribe: () => () => {},
    };
    const bridge = createBridge(transport) as unknown as Record<string, Record<string, unknown>>;
    const leaves = Object.values(bridge).flatMap((group) => Object.values(group));
    expect(leaves.length).toBeGreaterThan(0);
    for (const leaf of leaves) {
      expect(typeof leaf).toBe('function');
      expect(leaf).not.toBe(transport.invoke);
      expect(leaf).not.toBe(transport.subscribe);
    }
  });
});
