// A diagnostics bundle is written readable by the person only, also over a file that already existed
// (`mode` in writeFile applies only when the file is created; an overwrite keeps the old mode).
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

const OWNER_ONLY = 0o600;

/**
 * Writes `data` to `file` with mode 0600: the mode is set on the open file before anything is written,
 * so the bundle is never readable by others even for a moment. Where the file system has no POSIX modes
 * (FAT on a USB stick) setting it fails and the file is written as any new file there would be.
 */
export function writeOwnerOnlyFileSync(file: string, data: Uint8Array): void {
  const fd = openSync(file, 'w', OWNER_ONLY);
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
}

/** The same as writeOwnerOnlyFileSync without blocking the app (Help → Save Diagnostics…). */
export async function writeOwnerOnlyFile(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, 'w', OWNER_ONLY);
  try {
    await handle.chmod(OWNER_ONLY).catch(() => undefined);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
