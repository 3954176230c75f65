import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatchedLog } from './log-writer';

describe('createBatchedLog()', () => {
  let written: string[];
  let writtenSync: string[];
  const make = (options: { intervalMs?: number; maxChars?: number } = {}) =>
    createBatchedLog({
      write: (text) => written.push(text),
      writeSync: (text) => writtenSync.push(text),
      ...options,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    writtenSync = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of one interval together, in order, one line each', () => {
    const log = make({ intervalMs: 50 });
    log.log('GET /a 200 1ms');
    log.log('GET /b 200 0ms');
    vi.advanceTimersByTime(49);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['GET /a 200 1ms\nGET /b 200 0ms\n']);
    log.log('GET /c 404 0ms');
    vi.advanceTimersByTime(50);
    expect(written).toEqual(['GET /a 200 1ms\nGET /b 200 0ms\n', 'GET /c 404 0ms\n']);
    // Nothing queued: no empty writes.
    vi.advanceTimersByTime(500);
    expect(written).toHaveLength(2);
  });

  it('writes at once when the queue reaches its size, without waiting for the timer', () => {
    const log = make({ intervalMs: 50, maxChars: 20 });
    log.log('0123456789');
    expect(written).toEqual([]);
    log.log('abcdefghij');
    expect(written).toEqual(['0123456789\nabcdefghij\n']);
    vi.advanceTimersByTime(100);
    expect(written).toHaveLength(1);
  });

  it('flush() writes what is queued now; flushSync() writes through the synchronous writer', () => {
    const log = make();
    log.log('one');
    log.flush();
    expect(written).toEqual(['one\n']);
    log.log('two');
    log.flushSync();
    expect(writtenSync).toEqual(['two\n']);
    vi.advanceTimersByTime(100);
    expect(written).toEqual(['one\n']);
    log.flushSync();
    expect(writtenSync).toEqual(['two\n']);
  });

  it('never keeps the process alive, and a line still queued at exit is written', () => {
    vi.useRealTimers();
    // A real process: the line waits on a one-minute timer, which must not hold the process open
    // (spawnSync's timeout would end it, and the status would not be 0).
    const script = `
      import { createBatchedLog } from ${JSON.stringify(new URL('./log-writer.ts', import.meta.url).href)};
      const log = createBatchedLog({ intervalMs: 60_000 });
      process.on('exit', () => log.flushSync());
      log.log('GET /queued 200 0ms');
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('GET /queued 200 0ms\n');
  });
});
