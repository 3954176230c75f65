import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger';
import { createFileSink, readLogHistory, teeSink } from './file-sink';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createFileSink()', () => {
  it('appends redacted lines to tessera.log, readable only by the owner', () => {
    const dir = join(tempDir(), 'logs');
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
    const logger = createLogger({ sink: createFileSink({ dir }), scope: 'test' });
    logger.info(`got Bearer ${jwt}`, { password: 'hunter2-secret' });
    const text = readFileSync(join(dir, 'tessera.log'), 'utf8');
    expect(text).toMatch(/INFO \[test\] got Bearer/);
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('hunter2-secret');
    if (process.platform !== 'win32') expect(statSync(join(dir, 'tessera.log')).mode & 0o077).toBe(0);
  });

  it.each([
    ['a file', (at: string) => writeFileSync(at, 'not a folder'), 'EEXIST'],
    ['a link to nothing', (at: string) => symlinkSync(join(at, '..', 'gone', 'logs'), at), 'ENOENT'],
  ])(
    'does not stop the app when %s stands where the log folder belongs: says why, the other sinks go on',
    (_, make, code) => {
      const dir = join(tempDir(), 'logs');
      make(dir);
      const sink = createFileSink({ dir });
      expect(sink.problem).toBe(`the log folder ${dir} cannot be made (${code})`);
      const seen: string[] = [];
      const logger = createLogger({
        sink: teeSink((entry) => seen.push(entry.message), sink),
        scope: 'test',
      });
      logger.warn('still logged');
      logger.info('and again');
      expect(seen).toEqual(['still logged', 'and again']);
    },
  );

  it('has no problem when the folder is made', () => {
    expect(createFileSink({ dir: join(tempDir(), 'logs') }).problem).toBeNull();
  });

  it("makes a log folder and files an older release left readable by others the owner's only", () => {
    const dir = join(tempDir(), 'logs');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const name of ['tessera.log', 'tessera.1.log', 'tessera.old.log', 'notes.txt']) {
      writeFileSync(join(dir, name), 'older lines\n');
      chmodSync(join(dir, name), 0o644);
    }
    const logger = createLogger({ sink: createFileSink({ dir }), scope: 'test' });
    logger.info('after the upgrade');
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(/^older lines\n.*after the upgrade/s);
    // Windows has no POSIX modes (its ACLs follow the user profile).
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const name of ['tessera.log', 'tessera.1.log', 'tessera.old.log'])
        expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
      // Not a log file: left as it was.
      expect(statSync(join(dir, 'notes.txt')).mode & 0o777).toBe(0o644);
    }
  });

  it('keeps the folder within the history however long one entry is (a feed answer in an error)', () => {
    const dir = tempDir();
    const history = 1024 * 1024; // logHistoryMiB 1, the smallest
    const logger = createLogger({ sink: createFileSink({ dir, historyBytes: history }), scope: 'test' });
    // electron-updater's "Cannot parse update info … rawData: <the whole answer>", ~2 MB, logged three times.
    const body = '<html><body>Captive portal</body></html>\n'.repeat(50_000);
    for (let i = 0; i < 3; i += 1)
      logger.warn(`Cannot parse update info from latest-linux.yml: YAMLException, rawData: ${body}`, {
        stack: `Error: rawData: ${body}`,
      });
    const total = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    expect(total).toBeLessThanOrEqual(history);
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(
      /rawData: <html>.*… \[cut, \d+ more characters\]/,
    );
  });

  it('makes the folder again when it was removed while the app runs, and goes on recording', () => {
    const dir = join(tempDir(), 'logs');
    const logger = createLogger({ sink: createFileSink({ dir }), scope: 'test' });
    logger.info('before the folder was removed');
    rmSync(dir, { recursive: true, force: true });
    logger.info('after the folder was removed');
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(
      /INFO \[test\] after the folder was removed\n$/,
    );
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o077).toBe(0);
  });

  it('rotates at a fifth of the history, keeping four older files and dropping the oldest', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tessera.old.log'), 'from an older version\n');
    const logger = createLogger({ sink: createFileSink({ dir, historyBytes: 2000 }), scope: 'test' });
    for (let i = 0; i < 200; i += 1) logger.info(`line number ${i} with some padding text`);
    expect(readdirSync(dir).sort()).toEqual([
      'tessera.1.log',
      'tessera.2.log',
      'tessera.3.log',
      'tessera.4.log',
      'tessera.log',
    ]);
    const sizes = readdirSync(dir).map((name) => statSync(join(dir, name)).size);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(400);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2000);
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(/line number 199 /);
    const history = readLogHistory(dir, 10_000);
    expect(history.map((file) => file.name)).toEqual([
      'tessera.log',
      'tessera.1.log',
      'tessera.2.log',
      'tessera.3.log',
      'tessera.4.log',
    ]);
    // Newest first, each file's lines in order, with no gap between files.
    const numbers = history
      .reverse()
      .flatMap((file) => [...file.text.matchAll(/line number (\d+) /g)].map((m) => Number(m[1])));
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
    expect(numbers.at(-1)).toBe(199);
  });

  it('follows a history size that changes while it runs', () => {
    const dir = tempDir();
    let history = 50_000;
    const logger = createLogger({
      sink: createFileSink({ dir, historyBytes: () => history }),
      scope: 'test',
    });
    for (let i = 0; i < 20; i += 1) logger.info(`line number ${i} with some padding text`);
    expect(readdirSync(dir)).toEqual(['tessera.log']);
    history = 1000;
    logger.info('after the change');
    expect(readdirSync(dir).sort()).toEqual(['tessera.1.log', 'tessera.log']);
  });
});

describe('readLogHistory()', () => {
  it('takes whole newer files, then the newest whole lines of the next, within the budget', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tessera.log'), 'new 1\nnew 2\n');
    writeFileSync(join(dir, 'tessera.1.log'), 'old 1\nold 2\nold 3\n');
    writeFileSync(join(dir, 'unrelated.txt'), 'not a log');
    expect(readLogHistory(dir, 12 + 8)).toEqual([
      { name: 'tessera.log', text: 'new 1\nnew 2\n' },
      { name: 'tessera.1.log', text: 'old 3\n' },
    ]);
    expect(readLogHistory(join(dir, 'missing'), 100)).toEqual([]);
  });
});

describe('teeSink()', () => {
  it('hands every entry to each sink', () => {
    const a: string[] = [];
    const b: string[] = [];
    const logger = createLogger({
      sink: teeSink(
        (e) => a.push(e.message),
        (e) => b.push(e.message),
      ),
    });
    logger.warn('hello');
    expect(a).toEqual(['hello']);
    expect(b).toEqual(['hello']);
  });
});
