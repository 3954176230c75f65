// Which executable the electron e2e host launches (e2e/fixtures.ts), checked without Electron: an
// explicitly named packaged build that cannot be launched fails the run; a missing development
// binary skips it, saying why.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ElectronBinary, electronExecutable } from '../../e2e/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-executable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HELP = 'Supply one: …';
const DEV_BINARY: ElectronBinary = { found: true, path: '/repo/node_modules/electron/dist/electron' };
const NO_DEV_BINARY: ElectronBinary = { found: false, reason: 'the electron package is not installed' };

/** A file in the temp folder with `mode`. */
function file(name: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

function choose(env: Record<string, string | undefined>, dev: ElectronBinary = DEV_BINARY) {
  return electronExecutable(env, () => dev, HELP);
}

describe('electronExecutable() with TESSERA_E2E_EXECUTABLE set', () => {
  it('launches that packaged build when it is an executable file', () => {
    const packaged = file('tessera', 0o755);
    expect(choose({ TESSERA_E2E_EXECUTABLE: packaged })).toEqual({
      found: true,
      path: packaged,
      packaged: true,
    });
  });

  it.each([DEV_BINARY, NO_DEV_BINARY])(
    'fails, naming the variable and the path, when the file does not exist (never skips or falls back)',
    (dev) => {
      const missing = join(dir, 'dist-e2e', 'linux-unpacked', 'tesera');
      expect(() => choose({ TESSERA_E2E_EXECUTABLE: missing }, dev)).toThrow(
        `electron host: TESSERA_E2E_EXECUTABLE is set to ${missing}, which does not exist. Build the ` +
          'packaged test app with `npm run dist:e2e`',
      );
    },
  );

  it('fails when it names a folder (a .app bundle or the unpacked build) instead of the executable', () => {
    const folder = join(dir, 'Tessera E2E.app');
    mkdirSync(folder, { recursive: true });
    expect(() => choose({ TESSERA_E2E_EXECUTABLE: folder })).toThrow(
      `TESSERA_E2E_EXECUTABLE is set to ${folder}, which is not a file`,
    );
  });

  it('fails when the file is not executable (on Windows, which has no execute permission, it is launched)', () => {
    const plain = file('not-executable', 0o644);
    if (process.platform === 'win32') {
      expect(choose({ TESSERA_E2E_EXECUTABLE: plain })).toMatchObject({ found: true, packaged: true });
    } else {
      expect(() => choose({ TESSERA_E2E_EXECUTABLE: plain })).toThrow(
        `TESSERA_E2E_EXECUTABLE is set to ${plain}, which is not executable`,
      );
    }
  });
});

describe('electronExecutable() without TESSERA_E2E_EXECUTABLE', () => {
  it.each([{}, { TESSERA_E2E_EXECUTABLE: '' }])('launches the development binary (env %o)', (env) => {
    expect(choose(env)).toEqual({ found: true, path: DEV_BINARY.path, packaged: false });
  });

  it('skips with the reason and the help when the development binary is missing', () => {
    expect(choose({}, NO_DEV_BINARY)).toEqual({
      found: false,
      reason: `electron host: the electron package is not installed. ${HELP}`,
    });
  });
});
