// The bundle's writer against what a shared folder (/tmp, a shared drive) can hold at the chosen name
// before it is written: a link to another file, or a file another user made and let everyone write.
import {
  chownSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOwnerOnlyFile, writeOwnerOnlyFileSync } from './owner-only-file';

const BUNDLE = Buffer.from('PK bundle bytes');
const WRITERS = [
  ['the command line', async (file: string) => writeOwnerOnlyFileSync(file, BUNDLE)],
  ['the Help menu', (file: string) => writeOwnerOnlyFile(file, BUNDLE)],
] as const;
/** Making a file another user owns needs root; elsewhere that case cannot be set up. */
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-owner-only-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('writeOwnerOnlyFile (POSIX modes and links)', () => {
  it.each(WRITERS)(
    '%s never writes through a link placed at the name: the linked file stays as it was',
    async (_, write) => {
      const other = join(dir, 'someone-elses.txt');
      writeFileSync(other, 'their file', { mode: 0o644 });
      const file = join(dir, 'bundle.zip');
      symlinkSync(other, file);
      await write(file);
      expect(readFileSync(other, 'utf8')).toBe('their file');
      expect(statSync(other).mode & 0o777).toBe(0o644);
      expect(lstatSync(file).isSymbolicLink()).toBe(false);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file).equals(BUNDLE)).toBe(true);
    },
  );

  it.skipIf(!isRoot).each(WRITERS)(
    '%s never leaves the bundle in a file another user owns (runs as root only: it makes that file)',
    async (_, write) => {
      const file = join(dir, 'bundle.zip');
      writeFileSync(file, 'made by another user, writable by all', { mode: 0o666 });
      chownSync(file, NOBODY, NOBODY);
      await write(file);
      expect(statSync(file).uid).toBe(process.getuid?.());
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file).equals(BUNDLE)).toBe(true);
    },
  );

  it.each(WRITERS)('%s leaves no temporary file behind, written or failed', async (_, write) => {
    await write(join(dir, 'bundle.zip'));
    await expect(write(join(dir, 'missing', 'bundle.zip'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readFileSync(join(dir, 'bundle.zip')).equals(BUNDLE)).toBe(true);
    expect(readdirSync(dir)).toEqual(['bundle.zip']);
  });
});
