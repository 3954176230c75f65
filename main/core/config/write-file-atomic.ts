import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { foldersToFlush, syncFolder, syncFolderSync } from './sync-folder';

export interface AtomicWriteOptions {
  /** The file's mode (default 0600). */
  mode?: number;
  /**
   * Skip the fsyncs (the file's and its folder's): for a file whose loss in a power cut costs nothing but
   * a hint.
   */
  flush?: boolean;
  /** Create the folder when missing (default); false: a missing folder fails the write (ENOENT). */
  createFolder?: boolean;
  /**
   * A symbolic link at `path` is written through: the file it names is replaced (in that file's own
   * folder, as atomically), and the link stays. For a file the person keeps elsewhere on purpose (their
   * settings in a dotfiles folder); default false, see `writeFileAtomic`.
   */
  followLink?: boolean;
}

/**
 * Where a write to `path` lands: `path` itself, or with `followLink`, the file a link there names
 * (through every link; a dangling one's target, which the write then creates).
 */
function destinationOf(path: string, options: AtomicWriteOptions): string {
  if (!options.followLink) return path;
  let current = path;
  for (let hops = 0; hops < 40; hops += 1) {
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    current = resolve(dirname(current), link);
  }
  throw Object.assign(new Error(`too many links at ${path}`), { code: 'ELOOP' });
}

/**
 * Writes `data` to `path` so a reader (or a crash) sees the old file or the new one, never half of
 * either: write a private temp file next to it, flush it, rename over the target, then flush the folder
 * (`syncFolder`: only then is the rename itself durable on POSIX; a folder that cannot be flushed does
 * not fail a write already in place). Whatever stood
 * at `path` is replaced, never written into: a link placed there is not followed (unless `followLink`),
 * and a file someone else made writable is not filled (the temp file is created exclusively, with
 * `mode`, before any byte).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  path = destinationOf(path, options);
  const created =
    options.createFolder !== false ? await mkdir(dirname(path), { recursive: true }) : undefined;
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  let handle: FileHandle | undefined;
  try {
    // 'wx': never follow or reuse something already at the temp path.
    handle = await open(temp, 'wx', options.mode ?? 0o600);
    await handle.writeFile(data);
    // Without the flush, a crash after rename can leave an empty file on some file systems.
    if (options.flush !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  if (options.flush !== false) {
    for (const folder of foldersToFlush(dirname(path), created)) await syncFolder(folder);
  }
}

/**
 * `writeFileAtomic` for the few files main must have written before its next step (a quit or a
 * keychain call right after): synchronous. `flush: false` skips the fsyncs for a file whose loss in a
 * power cut costs nothing but a hint (the rename alone already keeps a crashed process from leaving
 * half a file).
 */
export function writeFileAtomicSync(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  path = destinationOf(path, options);
  const created = options.createFolder !== false ? mkdirSync(dirname(path), { recursive: true }) : undefined;
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o600);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      if (options.flush !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (options.flush !== false) {
    for (const folder of foldersToFlush(dirname(path), created)) syncFolderSync(folder);
  }
}
