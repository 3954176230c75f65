// The one rule for making a rename (or a new name) durable: a rename changes the folder, not the file,
// so on POSIX it survives a power cut only once the folder itself is flushed. Without it a crash right
// after a save can come back with the old file, or with no file at all on a first write. Every writer
// that writes a temp file and renames (or links) it into place calls this after the rename.
//
// - Windows: a folder cannot be opened as a file there (EISDIR/EPERM), and needs no flush: NTFS journals
//   the rename itself, and the file's own data was flushed before it.
// - macOS: a plain fsync, what every program does there; the stronger F_FULLFSYNC (through the disk's
//   own cache) is not available from Node.
// - A failure of the folder's flush is not a failed write: the rename is done, every reader already sees
//   the new file, and the flush only narrows the window in which a power cut can undo it (which the OS
//   closes on its own within seconds). So it is answered as false, never thrown, and nothing is logged
//   (a caller that logs says only that, never the path or the content). File systems that cannot flush
//   a folder at all (some network and FUSE ones answer EINVAL or ENOTSUP) would otherwise fail every save.

import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, sep } from 'node:path';

/** Flushes the folder `dir` (after a rename into it); false when skipped (Windows) or refused. */
export function syncFolderSync(dir: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return false;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Nothing was written through it.
      }
    }
  }
}

/** `syncFolderSync` without blocking the thread (the settings store's saves). */
export async function syncFolder(
  dir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  if (platform === 'win32') return false;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
      return true;
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch {
    return false;
  }
}

/**
 * The folders to flush after a file was renamed into `dir`: `dir`, and when `mkdir` created folders for
 * it (`created`: the first one it made, as `mkdir(…, { recursive: true })` answers), every folder from
 * `dir` up to the one holding `created` — a new folder's own name lives in its parent, so on a first
 * write (a fresh profile) the file survives a power cut only once every new level is flushed.
 */
export function foldersToFlush(dir: string, created: string | undefined): string[] {
  const folders = [dir];
  if (created === undefined || (dir !== created && !dir.startsWith(`${created}${sep}`))) return folders;
  for (let current = dir; current !== created; ) {
    current = dirname(current);
    folders.push(current);
  }
  if (dirname(created) !== created) folders.push(dirname(created));
  return folders;
}
