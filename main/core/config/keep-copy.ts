import { constants, copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Keeps a copy of `path` as it is, next to it (`<name>.bad-<time>`), before the app replaces a file it
 * could not fully use (the person's settings, the account list), once per content: a file left as it
 * is is not copied again at every start. Answers the copy's name; throws when none could be made.
 */
export function keepBadCopy(path: string): string {
  const dir = dirname(path);
  const prefix = `${basename(path)}.bad-`;
  const content = readFileSync(path);
  const earlier = readdirSync(dir).find(
    (name) => name.startsWith(prefix) && readFileSync(join(dir, name)).equals(content),
  );
  if (earlier) return earlier;
  const name = `${prefix}${new Date().toISOString().replace(/[:.]/g, '-')}`;
  copyFileSync(path, join(dir, name), constants.COPYFILE_EXCL);
  return name;
}
