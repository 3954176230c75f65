import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger';
import { createFileSink, teeSink } from './file-sink';

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

  it('rotates past the size limit, keeping one previous file', () => {
    const dir = tempDir();
    const logger = createLogger({ sink: createFileSink({ dir, maxBytes: 400 }), scope: 'test' });
    for (let i = 0; i < 20; i += 1) logger.info(`line number ${i} with some padding text`);
    expect(statSync(join(dir, 'tessera.log')).size).toBeLessThanOrEqual(400);
    expect(readFileSync(join(dir, 'tessera.old.log'), 'utf8')).toMatch(/line number/);
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(/line number 19/);
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
