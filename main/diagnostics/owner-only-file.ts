// A diagnostics bundle is written readable by the person only. It is written to a new file of its own
// next to the chosen name, then moved onto that name: whatever stood there before is replaced, never
// written into. Writing into it would follow a link someone placed at the name (in /tmp, a shared
// drive) to their file, or fill a file another user made writable for everyone, whose mode we may not
// change - either way the bundle would land where they can read it.

import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';

const OWNER_ONLY = 0o600;

/** A new name beside `file` (same folder, so the move is a rename on one file system). */
function temporaryBeside(file: string): string {
  return `${file}.${randomBytes(6).toString('hex')}.partial`;
}

/**
 * Writes `data` to `file` with mode 0600: a new file (created exclusively, so no link or existing file
 * is opened) gets the mode before anything is written, then replaces `file`. Where the file system has
 * no POSIX modes (FAT on a USB stick) setting it fails and the file is as any new file there would be.
 * A rename the folder refuses (another user's file in a sticky folder such as /tmp) fails the save.
 */
export function writeOwnerOnlyFileSync(file: string, data: Uint8Array): void {
  const temporary = temporaryBeside(file);
  const fd = openSync(temporary, 'wx', OWNER_ONLY);
  try {
    try {
      try {
        fchmodSync(fd, OWNER_ONLY);
      } catch {
        // No POSIX modes here (see above).
      }
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The same as writeOwnerOnlyFileSync without blocking the app (Help → Save Diagnostics…). */
export async function writeOwnerOnlyFile(file: string, data: Uint8Array): Promise<void> {
  const temporary = temporaryBeside(file);
  const handle = await open(temporary, 'wx', OWNER_ONLY);
  try {
    try {
      await handle.chmod(OWNER_ONLY).catch(() => undefined);
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
