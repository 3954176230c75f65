import { readFileSync } from 'node:fs';

/** What reading an optional JSON file gave: absent is normal, unreadable or invalid is an issue. */
export type JsonFileRead =
  | { kind: 'missing' }
  | { kind: 'ok'; data: unknown }
  | { kind: 'invalid'; reason: string };

/** Reads and parses an optional JSON file synchronously (start-up needs settings before any window). */
export function readJsonFile(path: string): JsonFileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: `cannot be read (${code ?? String(error)})` };
  }
  try {
    // Windows editors like Notepad may save a UTF-8 byte-order mark, which JSON.parse refuses.
    return { kind: 'ok', data: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    return { kind: 'invalid', reason: `is not valid JSON (${(error as Error).message})` };
  }
}
