import { closeSync, constants, fstatSync, openSync, readFileSync, readlinkSync } from 'node:fs';

/** What reading an optional JSON file gave: absent is normal, unreadable or invalid is an issue. */
export type JsonFileRead =
  /** `danglingTo`: the path is a symbolic link whose target does not exist (that target). */
  | { kind: 'missing'; danglingTo?: string }
  | { kind: 'ok'; data: unknown }
  | { kind: 'invalid'; reason: string };

/**
 * The most a settings, policy or account file may hold. The biggest real one (every setting, a long
 * proxy bypass list and a custom contract) is a few KiB; anything near this is a wrong file, which is
 * refused before it is read instead of filling memory (and, past 512 MiB, failing with an opaque code).
 */
export const JSON_FILE_LIMIT = 1024 * 1024;

// Opening a named pipe for reading waits for a writer; non-blocking, it opens at once and fstat
// tells it is no file. (Windows has no such flag and no pipes in the file system.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The file's text: UTF-8, or UTF-16 when it starts with a UTF-16 byte-order mark (what Windows
 * PowerShell 5.1 writes with `Out-File` or `>`, and Notepad's "UTF-16"). A byte-order mark is dropped:
 * Notepad may save one in UTF-8 too, and JSON.parse refuses it.
 */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
      .swap16()
      .toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** Reads and parses an optional JSON file synchronously (start-up needs settings before any window). */
export function readJsonFile(path: string): JsonFileRead {
  let bytes: Buffer;
  try {
    const fd = openSync(path, OPEN_FLAGS);
    try {
      const stat = fstatSync(fd);
      if (stat.isDirectory()) return { kind: 'invalid', reason: 'is a directory, not a file' };
      if (!stat.isFile())
        return { kind: 'invalid', reason: 'is not a regular file (a pipe, socket or device)' };
      if (stat.size > JSON_FILE_LIMIT)
        return {
          kind: 'invalid',
          reason: `is ${stat.size} bytes, more than the ${JSON_FILE_LIMIT / 1024} KiB such a file may hold; not read`,
        };
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return danglingTo(path);
    return { kind: 'invalid', reason: `cannot be read (${code ?? String(error)})` };
  }
  const text = decodeText(bytes);
  // Said plainly: "Unexpected end of JSON input" does not tell someone who created it with `touch`.
  if (text.trim() === '')
    return { kind: 'invalid', reason: 'is empty (not valid JSON; {} is an empty object)' };
  try {
    return { kind: 'ok', data: JSON.parse(text) };
  } catch (error) {
    return { kind: 'invalid', reason: `is not valid JSON (${(error as Error).message})` };
  }
}

/** Missing, or a symbolic link to something missing (said, so a broken link is not silently "no file"). */
function danglingTo(path: string): JsonFileRead {
  try {
    return { kind: 'missing', danglingTo: readlinkSync(path) };
  } catch {
    return { kind: 'missing' };
  }
}
