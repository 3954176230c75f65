// Reads what `reg export <key> <file> /y` writes: a registry script ("Windows Registry Editor
// Version 5.00"), UTF-16LE with a byte-order mark. The registry source reads the policy key through
// it, not through `reg query`, because reg.exe prints a query's answer in the console code page: a
// Korean or accented text value would arrive garbled, while the export keeps every character.
//
// The script, as reg.exe and regedit write it:
//   Windows Registry Editor Version 5.00
//
//   [HKEY_LOCAL_MACHINE\Software\Policies\Tessera]
//   "apiBaseUrl"="https://api.corp.example"        REG_SZ; \\ and \" are the only escapes
//   "updatesEnabled"=dword:00000000                 REG_DWORD, 8 hex digits
//   "oidcScopes"=hex(7):6f,00,70,00,…,00,00,\       any other type: hex(<type>): then the bytes
//     00,00                                         (long lines go on after "\" with two spaces)
//   "theme"=hex:01,ff                               REG_BINARY
//   @="…"                                           the key's default value
//
//   [HKEY_LOCAL_MACHINE\Software\Policies\Tessera\Subkey]   subkeys follow: not read here
import { isWellFormedText } from '../../../common/unicode';
import type { OsValue } from './os-policy';

const HEADER = 'Windows Registry Editor Version 5.00';

/** The registry's value types by number, as `hex(<n>):` names them. */
const TYPE_NAMES = [
  'REG_NONE',
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_BINARY',
  'REG_DWORD',
  'REG_DWORD_BIG_ENDIAN',
  'REG_LINK',
  'REG_MULTI_SZ',
  'REG_RESOURCE_LIST',
  'REG_FULL_RESOURCE_DESCRIPTOR',
  'REG_RESOURCE_REQUIREMENTS_LIST',
  'REG_QWORD',
] as const;

export type RegExportRead = { ok: true; values: Map<string, OsValue> } | { ok: false; reason: string };

/**
 * The values of `key` (its own section; subkeys are skipped) in the bytes of a `reg export` file.
 * Anything that is not such a script, or a line that cannot be read, makes the whole read fail with
 * the line named: a policy that cannot be read must fail closed, not lose a value silently.
 */
export function parseRegExport(bytes: Uint8Array, key: string): RegExportRead {
  if (bytes[0] !== 0xff || bytes[1] !== 0xfe)
    return { ok: false, reason: 'not a registry export (no UTF-16 byte-order mark)' };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 2, bytes.byteLength - 2).toString('utf16le');
  // Lines with the break that ended each, so a string holding a break keeps it as it was.
  const parts = text.split(/(\r\n|\n)/);
  const lines = parts.filter((_, i) => i % 2 === 0);
  const breaks = parts.filter((_, i) => i % 2 === 1);
  if (lines[0] !== HEADER)
    return { ok: false, reason: `not a registry export (first line is not "${HEADER}")` };

  const values = new Map<string, OsValue>();
  let inKey = false;
  let seenKey = false;
  for (let index = 1; index < lines.length; index++) {
    const lineNumber = index + 1;
    let line = lines[index] ?? '';
    if (line === '') continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) return fail(lineNumber, 'a key line without its closing "]"');
      inKey = line.slice(1, -1).toLowerCase() === key.toLowerCase();
      seenKey ||= inKey;
      continue;
    }
    // A value: its name, "=", its data. A quoted string may hold a line break; hex data goes on
    // after a trailing "\" on the next line, indented by two spaces.
    const name = readName(line);
    if (!name.ok) return fail(lineNumber, name.reason);
    let data = line.slice(name.end + 1);
    if (data.startsWith('"')) {
      let string = readString(data);
      while (string === 'open' && index + 1 < lines.length) {
        data += `${breaks[index]}${lines[++index]}`;
        string = readString(data);
      }
      if (string === 'open') return fail(lineNumber, 'a string that never ends');
      if (!string.ok) return fail(lineNumber, string.reason);
      if (string.end !== data.length) return fail(lineNumber, 'text after a closing quote');
      if (inKey) values.set(name.name, textValue('REG_SZ', string.text));
      continue;
    }
    while (line.endsWith('\\') && index + 1 < lines.length) {
      const next = lines[++index] ?? '';
      data = `${data.slice(0, -1)}${next.trimStart()}`;
      line = next;
    }
    const value = readData(data);
    if (!value.ok) return fail(lineNumber, value.reason);
    if (inKey) values.set(name.name, value.value);
  }
  if (!seenKey) return { ok: false, reason: `the export has no section [${key}]` };
  return { ok: true, values };
}

function fail(line: number, what: string): RegExportRead {
  return { ok: false, reason: `registry export line ${line}: ${what}` };
}

/** `"name"=` or `@=`; `end` is the index of the "=". */
function readName(line: string): { ok: true; name: string; end: number } | { ok: false; reason: string } {
  if (line.startsWith('@=')) return { ok: true, name: '', end: 1 };
  const string = line.startsWith('"') ? readString(line) : 'open';
  if (string === 'open' || !string.ok)
    return { ok: false, reason: 'a value line that does not start with a quoted name' };
  if (line[string.end] !== '=') return { ok: false, reason: 'a value name not followed by "="' };
  return { ok: true, name: string.text, end: string.end };
}

/** The quoted string at the start of `source`; `end` is the index after its closing quote. */
function readString(
  source: string,
): { ok: true; text: string; end: number } | { ok: false; reason: string } | 'open' {
  let text = '';
  for (let i = 1; i < source.length; i++) {
    const char = source[i];
    if (char === '"') return { ok: true, text, end: i + 1 };
    if (char === '\\') {
      const next = source[++i];
      if (next === undefined) return 'open';
      if (next !== '\\' && next !== '"') return { ok: false, reason: `an unknown escape "\\${next}"` };
      text += next;
      continue;
    }
    text += char;
  }
  return 'open';
}

function readData(data: string): { ok: true; value: OsValue } | { ok: false; reason: string } {
  const dword = /^dword:([0-9a-f]{8})$/i.exec(data);
  if (dword) return { ok: true, value: { type: 'number', value: Number.parseInt(dword[1] ?? '', 16) } };
  const hex = /^hex(?:\(([0-9a-f]{1,8})\))?:((?:[0-9a-f]{2}(?:,[0-9a-f]{2})*)?)$/i.exec(data);
  if (!hex) return { ok: false, reason: 'data that is neither a string, dword: nor hex:' };
  const type = hex[1] === undefined ? 3 : Number.parseInt(hex[1], 16);
  const bytes = Buffer.from((hex[2] ?? '').replaceAll(',', ''), 'hex');
  return { ok: true, value: typedValue(type, bytes) };
}

function typedValue(type: number, bytes: Buffer): OsValue {
  const name = TYPE_NAMES[type] ?? `registry type ${type}`;
  switch (type) {
    case 1:
    case 2: {
      // Text is stored with its terminating NUL; a value written without one still reads.
      if (bytes.length % 2 !== 0) return { type: 'other', name: `${name} of an odd length` };
      const text = bytes.toString('utf16le');
      const end = text.indexOf('\0');
      return textValue(name, end === -1 ? text : text.slice(0, end));
    }
    case 7: {
      if (bytes.length % 2 !== 0) return { type: 'other', name: `${name} of an odd length` };
      // Strings each ended by a NUL, the list by one more: "a\0b\0\0" is the lines a and b.
      const strings = bytes.toString('utf16le').split('\0');
      while (strings.length > 0 && strings.at(-1) === '') strings.pop();
      return textValue(name, strings.join('\n'));
    }
    case 4:
      return bytes.length === 4 ? { type: 'number', value: bytes.readUInt32LE(0) } : { type: 'other', name };
    case 11: {
      if (bytes.length !== 8) return { type: 'other', name };
      const value = bytes.readBigUInt64LE(0);
      return value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? { type: 'number', value: Number(value) }
        : { type: 'other', name: `${name} above 2^53` };
    }
    default:
      return { type: 'other', name };
  }
}

/** Text as it is, unless it holds half of a UTF-16 pair, which no setting could mean. */
function textValue(type: string, text: string): OsValue {
  return isWellFormedText(text)
    ? { type: 'text', text }
    : { type: 'other', name: `${type} that is not well-formed Unicode` };
}
