import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** The file's mode (default 0600). */
  mode?: number;
  /** Skip the fsync: for a file whose loss in a power cut costs nothing but a hint. */
  flush?: boolean;
  /** Create the folder when missing (default); false: a missing folder fails the write (ENOENT). */
  createFolder?: boolean;
}

/**
 * Writes `data` to `path` so a reader (or a crash) sees the old file or the new one, never half of
 * either: write a private temp file next to it, flush it, then rename over the target. Whatever stood
 * at `path` is replaced, never written into: a link placed there is not followed, and a file someone
 * else made writable is not filled (the temp file is created exclusively, with `mode`, before any byte).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (options.createFolder !== false) await mkdir(dirname(path), { recursive: true });
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
}

/**
 * `writeFileAtomic` for the few files main must have written before its next step (a quit or a
 * keychain call right after): synchronous. `flush: false` skips the fsync for a file whose loss in a
 * power cut costs nothing but a hint (the rename alone already keeps a crashed process from leaving
 * half a file).
 */
export function writeFileAtomicSync(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  if (options.createFolder !== false) mkdirSync(dirname(path), { recursive: true });
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
}
