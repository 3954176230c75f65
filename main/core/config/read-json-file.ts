import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync, readlinkSync, type Stats } from 'node:fs';

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

/** How to save a file as UTF-8 with the tool that most often writes it otherwise. */
const SAVE_AS_UTF8 = 'save it as UTF-8, e.g. Out-File -Encoding utf8';

/**
 * The file's text: UTF-8, or UTF-16 when it starts with a UTF-16 byte-order mark (what Windows
 * PowerShell 5.1 writes with `Out-File` or `>`, and Notepad's "UTF-16"). A byte-order mark is dropped:
 * Notepad may save one in UTF-8 too, and JSON.parse refuses it. Anything else is refused, not guessed:
 * a file in a legacy code page (Windows PowerShell 5.1's `Set-Content` writes code page 949 on a Korean
 * Windows) decoded as UTF-8 would turn its non-ASCII text into U+FFFD and be used garbled.
 */
function decodeText(bytes: Buffer): { text: string } | { problem: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le') };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return {
      text: Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
        .swap16()
        .toString('utf16le'),
    };
  if (bytes.includes(0))
    return {
      problem: `is not UTF-8 text (it holds NUL bytes: UTF-16 without a byte-order mark?; ${SAVE_AS_UTF8})`,
    };
  if (!isUtf8(bytes)) {
    const at = firstNonUtf8(bytes);
    const byte = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    return { problem: `is not UTF-8 text (byte 0x${byte} at offset ${at} is no UTF-8; ${SAVE_AS_UTF8})` };
  }
  return { text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
}

/** Where the first byte sequence that is not UTF-8 starts (`bytes` is known not to be UTF-8). */
function firstNonUtf8(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at] ?? 0;
    // How many continuation bytes the lead byte announces (RFC 3629), or -1 for no lead byte.
    const more =
      lead < 0x80 ? 0 : lead < 0xc2 ? -1 : lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : lead < 0xf5 ? 3 : -1;
    const end = at + 1 + more;
    if (more < 0 || end > bytes.length || !isUtf8(bytes.subarray(at, end))) return at;
    at = end;
  }
  return at;
}

/** Quotes a name from the file for a message, bounded so a hostile file cannot flood the log. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

/**
 * The first name given twice in one object of `text` (JSON that parses), and the names of the objects
 * it sits in, or null. JSON.parse keeps the last of two silently, another tool may take the first: in a
 * policy, which value IT meant is anyone's guess (the macOS profile reader refuses a repeated key too).
 */
function repeatedName(text: string): { name: string; path: string[] } | null {
  type Frame = { names: Set<string>; key: string | null; expectKey: boolean } | null;
  // One frame per open object (null: an array); `key` is the name whose value is being read.
  const stack: Frame[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    const top = stack[stack.length - 1];
    if (char === '{') stack.push({ names: new Set(), key: null, expectKey: true });
    else if (char === '[') stack.push(null);
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',' && top) top.expectKey = true;
    else if (char === ':' && top) top.expectKey = false;
    else if (char === '"') {
      let end = at + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.expectKey) {
        const name = JSON.parse(text.slice(at, end + 1)) as string;
        const path = stack.slice(0, -1).flatMap((frame) => (frame?.key != null ? [frame.key] : []));
        if (top.names.has(name)) return { name, path };
        top.names.add(name);
        top.key = name;
      }
      at = end;
    }
  }
  return null;
}

/**
 * Where JSON.parse stopped, as an editor counts it (" at line 4, column 3"), from the character
 * position its message names; "position 1234" alone does not help anyone find a trailing comma.
 */
function lineAndColumn(text: string, message: string): string {
  const position = parsePosition(text, message);
  if (position === null) return '';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** The position JSON.parse's message names ("… in JSON at position 12"), or undefined. */
function namedPosition(message: string): number | undefined {
  const given = /at position (\d+)/.exec(message)?.[1];
  return given === undefined ? undefined : Number(given);
}

/**
 * Where JSON.parse stopped reading `text`: the position its message names, else (an unexpected token,
 * whose message quotes the file instead) the first character no prefix can be read past: the shortest
 * prefix that fails before its own end (every shorter one only ends too early). Null when none fails.
 */
function parsePosition(text: string, message: string): number | null {
  const given = namedPosition(message);
  if (given !== undefined) return given;
  const stops = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const { message: said } = error as Error;
      if (said.startsWith('Unexpected end of JSON input')) return false;
      const at = namedPosition(said);
      return at === undefined || at < length;
    }
  };
  if (!stops(text.length)) return null;
  let fine = 0;
  let stopped = text.length;
  while (stopped - fine > 1) {
    const middle = Math.floor((fine + stopped) / 2);
    if (stops(middle)) stopped = middle;
    else fine = middle;
  }
  return stopped - 1;
}

/**
 * JSON.parse's description of what it found, without the piece of the file it quotes for an unexpected
 * token (a value there may be a password or a client secret: the reason goes to the log, the page and
 * the diagnostics).
 */
function parseProblem(message: string): string {
  return message.startsWith('Unexpected token') ? 'an unexpected character' : message;
}

/** The error `readRegularFile` throws for a file over its `limit` (code `TOO_LARGE`, with its size). */
type TooLarge = NodeJS.ErrnoException & { size: number };

/**
 * The bytes of the regular file at `path`, opened without waiting: a named pipe put at the name throws
 * (`ENOTFILE`) instead of blocking the process until something writes to it, as a plain readFileSync
 * would; so does a directory (`EISDIR`), and a file over `limit` bytes (`TOO_LARGE`, not read). Other
 * failures throw as readFileSync's do. `opened` gets the `fstat` of the file as opened, before anything
 * is judged or read: what it judges is the file whose bytes are returned, whatever is renamed over the
 * path meanwhile.
 */
export function readRegularFile(
  path: string,
  options: { opened?: (stat: Stats) => void; limit?: number } = {},
): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stat = fstatSync(fd);
    options.opened?.(stat);
    if (!stat.isFile()) {
      const code = stat.isDirectory() ? 'EISDIR' : 'ENOTFILE';
      throw Object.assign(new Error(`${code}: not a regular file`), { code });
    }
    if (options.limit !== undefined && stat.size > options.limit)
      throw Object.assign(new Error(`TOO_LARGE: ${stat.size} bytes`), { code: 'TOO_LARGE', size: stat.size });
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Why a JSON file could not be read, from `readRegularFile`'s error. */
function unreadable(path: string, error: unknown): JsonFileRead {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return danglingTo(path);
    case 'EISDIR':
      return { kind: 'invalid', reason: 'is a directory, not a file' };
    case 'ENOTFILE':
      return { kind: 'invalid', reason: 'is not a regular file (a pipe, socket or device)' };
    case 'TOO_LARGE':
      return {
        kind: 'invalid',
        reason: `is ${(error as TooLarge).size} bytes, more than the ${JSON_FILE_LIMIT / 1024} KiB such a file may hold; not read`,
      };
    default:
      return { kind: 'invalid', reason: `cannot be read (${code ?? String(error)})` };
  }
}

/**
 * Reads and parses an optional JSON file synchronously (start-up needs settings before any window).
 * `opened`: see `readRegularFile` (the policy file's owner and mode are judged on the file read).
 */
export function readJsonFile(path: string, opened?: (stat: Stats) => void): JsonFileRead {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, { ...(opened ? { opened } : {}), limit: JSON_FILE_LIMIT });
  } catch (error) {
    return unreadable(path, error);
  }
  const decoded = decodeText(bytes);
  if ('problem' in decoded) return { kind: 'invalid', reason: decoded.problem };
  const { text } = decoded;
  // Said plainly: "Unexpected end of JSON input" does not tell someone who created it with `touch`.
  if (text.trim() === '')
    return { kind: 'invalid', reason: 'is empty (not valid JSON; {} is an empty object)' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { message } = error as Error;
    return {
      kind: 'invalid',
      reason: `is not valid JSON${lineAndColumn(text, message)} (${parseProblem(message)})`,
    };
  }
  const repeated = repeatedName(text);
  if (repeated !== null) {
    const where =
      repeated.path.length === 0 ? 'at the top' : `in ${repeated.path.map(quoteName).join(' > ')}`;
    return {
      kind: 'invalid',
      reason: `gives ${quoteName(repeated.name)} twice in one object (${where}); neither value is used`,
    };
  }
  return { kind: 'ok', data };
}

/** Missing, or a symbolic link to something missing (said, so a broken link is not silently "no file"). */
function danglingTo(path: string): JsonFileRead {
  try {
    return { kind: 'missing', danglingTo: readlinkSync(path) };
  } catch {
    return { kind: 'missing' };
  }
}
