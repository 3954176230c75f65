import { closeSync, constants, copyFileSync, fsyncSync, openSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readRegularFile } from './read-json-file';
import { syncFolderSync } from './sync-folder';

/**
 * Flushes a copy just made, as far as it can be opened for that (Windows flushes only a file open for
 * writing; a copy of a read-only file cannot be): best effort, like the folder's flush.
 */
function flushFile(file: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r+');
    fsyncSync(fd);
  } catch {
    // Kept all the same: readers see it; only a power cut in the next seconds could empty it.
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

/**
 * Keeps a copy of `path` as it is, next to it (`<name>.bad-<time>`), before the app replaces a file it
 * could not fully use (the person's settings, the account list), once per content: a file left as it
 * is is not copied again at every start. When no copy can be made (the file cannot be read: left
 * unreadable by another user, or a pipe at the name), the file itself is moved to that name, which
 * needs only the folder: whatever it held stays, out of the way. Answers the name it got, or null when
 * nothing is at `path` any more (removed meanwhile: nothing to keep, nothing to lose); throws when
 * neither worked, or a folder stands at the name, and the caller then must not write over it.
 *
 * The copy (or the move) is flushed, with its folder, before this answers: the caller replaces the file
 * right after with an atomic write, which is durable at once, so a copy left to the OS's own writeback
 * could come back empty or missing after a power cut while the replacement stays, losing the very
 * content it was kept for. It is rare (once per bad content), so the flush costs nothing that matters.
 */
export function keepBadCopy(path: string): string | null {
  const dir = dirname(path);
  const prefix = `${basename(path)}.bad-`;
  const name = `${prefix}${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    const content = readRegularFile(path);
    const earlier = readdirSync(dir).find((other) => {
      if (!other.startsWith(prefix)) return false;
      try {
        return readRegularFile(join(dir, other)).equals(content);
      } catch {
        return false;
      }
    });
    if (earlier) return earlier;
    copyFileSync(path, join(dir, name), constants.COPYFILE_EXCL);
    flushFile(join(dir, name));
    syncFolderSync(dir);
    return name;
  } catch (error) {
    // A folder at the name is left where it is: moving someone's folder is no way to keep a file.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw error;
    try {
      renameSync(path, join(dir, name));
      syncFolderSync(dir);
      return name;
    } catch (moveError) {
      if ((moveError as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw moveError;
    }
  }
}
