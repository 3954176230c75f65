// The log rotation when a file cannot be moved. On Windows a program that holds a log file open without
// sharing delete access (some log viewers and tail tools, a virus scanner) makes renaming or
// deleting it fail with EPERM/EBUSY until it lets go. That cannot happen on this Linux runner (and root
// ignores a read-only folder), so renameSync and rmSync of the files named in `held` fail as Windows
// fails them; every other file operation is the real one.
import type * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../core/logger';
import { createFileSink, readLogHistory } from './file-sink';

/** Names of log files "another program holds open". */
const held = new Set<string>();

function heldError(syscall: string, path: fs.PathLike): NodeJS.ErrnoException {
  return Object.assign(new Error(`EPERM: operation not permitted, ${syscall} '${String(path)}'`), {
    code: 'EPERM',
    syscall,
  });
}

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      for (const path of [from, to])
        if (held.has(basename(String(path))) && real.existsSync(path)) throw heldError('rename', path);
      real.renameSync(from, to);
    },
    rmSync: (path: fs.PathLike, options?: fs.RmOptions) => {
      if (held.has(basename(String(path))) && real.existsSync(path)) throw heldError('unlink', path);
      real.rmSync(path, options);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  held.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The log files of a full history, oldest first. */
const FILES = ['tessera.4.log', 'tessera.3.log', 'tessera.2.log', 'tessera.1.log', 'tessera.log'];

/** A log folder with a full history, 300 bytes in each file: `older 0` (the oldest) … `older 4`. */
function fullHistory() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-log-'));
  dirs.push(dir);
  FILES.forEach((name, i) => {
    writeFileSync(join(dir, name), `older ${i} `.padEnd(299, '-').concat('\n'));
  });
  const sink = createFileSink({ dir, historyBytes: 1500 });
  return { dir, logger: createLogger({ sink, scope: 'test' }) };
}

/** The numbers of `entry N` lines in the whole history, oldest first. */
function entries(dir: string): number[] {
  return readLogHistory(dir, 1_000_000)
    .reverse()
    .flatMap((file) => [...file.text.matchAll(/entry (\d+)$/gm)].map((m) => Number(m[1])));
}

/** The `older N` lines still in the folder. */
function older(dir: string): string[] {
  return readLogHistory(dir, 1_000_000)
    .reverse()
    .flatMap((file) => [...file.text.matchAll(/^older (\d)/gm)].map((m) => `older ${m[1]}`));
}

describe('createFileSink() when a log file cannot be moved (Windows: held open by another program)', () => {
  it('keeps every entry and the older files while tessera.log is held, and rotates once it is free', () => {
    const { dir, logger } = fullHistory();
    held.add('tessera.log');
    for (let i = 0; i < 10; i += 1) logger.info(`entry ${i}`);
    // Every entry is in tessera.log; the rotation that could not finish dropped only the oldest file,
    // as any rotation does, and the retries at each entry dropped nothing more.
    expect(entries(dir)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(/^older 4.*entry 9\n$/s);
    expect(older(dir)).toEqual(['older 1', 'older 2', 'older 3', 'older 4']);

    held.clear();
    logger.info('entry 10');
    expect(entries(dir)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(readFileSync(join(dir, 'tessera.log'), 'utf8')).toMatch(/^[^\n]*entry 10\n$/);
    expect(readFileSync(join(dir, 'tessera.1.log'), 'utf8')).toMatch(/^older 4.*entry 9\n$/s);
    expect(older(dir)).toEqual(['older 1', 'older 2', 'older 3', 'older 4']);
  });

  it('keeps every entry and every older file while an older file is held', () => {
    const { dir, logger } = fullHistory();
    held.add('tessera.2.log');
    for (let i = 0; i < 10; i += 1) logger.info(`entry ${i}`);
    expect(entries(dir)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(older(dir)).toEqual(['older 1', 'older 2', 'older 3', 'older 4']);
    held.clear();
    logger.info('entry 10');
    expect(entries(dir)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(readdirSync(dir).sort()).toEqual([...FILES].sort());
  });

  it('keeps the folder within twice the history however long the file stays held', () => {
    const { dir, logger } = fullHistory();
    held.add('tessera.log');
    for (let i = 0; i < 500; i += 1) logger.info(`entry ${i}`);
    const total = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    expect(total).toBeLessThanOrEqual(2 * 1500);
  });
});
