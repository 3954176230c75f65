// A diagnostics bundle is written readable by the person only, and to a new file of its own next to the
// chosen name, then moved onto that name: whatever stood there before is replaced, never written into.
// Writing into it would follow a link someone placed at the name (in /tmp, a shared drive) to their
// file, or fill a file another user made writable for everyone, whose mode we may not change - either
// way the bundle would land where they can read it. The one rule for such writes is write-file-atomic.

import { writeFileAtomic, writeFileAtomicSync } from '../core/config/write-file-atomic';

/** Readable by the person only; the folder they chose must exist (it is never created). */
const BUNDLE_FILE = { mode: 0o600, createFolder: false } as const;

/**
 * Writes `data` to `file` with mode 0600 (where the file system has POSIX modes). A rename the folder
 * refuses (another user's file in a sticky folder such as /tmp) fails the save.
 */
export function writeOwnerOnlyFileSync(file: string, data: Uint8Array): void {
  writeFileAtomicSync(file, data, BUNDLE_FILE);
}

/** The same as writeOwnerOnlyFileSync without blocking the app (Help → Save Diagnostics…). */
export function writeOwnerOnlyFile(file: string, data: Uint8Array): Promise<void> {
  return writeFileAtomic(file, data, BUNDLE_FILE);
}
