import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/support/capture-logs';
import { fakeJwt } from '../../test/support/fixtures';
import { createLogger, formatLogEntry, type LogEntry } from './logger';

describe('createLogger()', () => {
  it('redacts messages and fields before they reach the sink', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ sink: (entry) => entries.push(entry), now: () => 0 });
    const jwt = fakeJwt();
    logger.info(`token ${jwt}`, { password: 'hunter2', header: `Bearer ${jwt}` });
    const text = entries.map(formatLogEntry).join('\n');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('hunter2');
    expect(entries[0]?.message).toBe('token [redacted]');
  });

  it('drops entries below its level', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ level: 'warn', sink: (entry) => entries.push(entry) });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(entries.map((e) => e.level)).toEqual(['warn', 'error']);
  });

  it('asks a level function at each entry, children included (a level known only later)', () => {
    const entries: LogEntry[] = [];
    let level: 'info' | 'error' = 'info';
    const logger = createLogger({ level: () => level, sink: (entry) => entries.push(entry) });
    const child = logger.child('config');
    logger.info('before');
    level = 'error';
    logger.warn('dropped');
    child.info('dropped too');
    child.error('kept');
    expect(entries.map((e) => e.message)).toEqual(['before', 'kept']);
  });

  it('gives children a nested scope on the same sink', () => {
    const capture = captureLogs('root');
    capture.logger.child('session').child('vault').info('hello');
    expect(capture.entries[0]?.scope).toBe('root:session:vault');
  });

  it('survives a sink that throws', () => {
    const logger = createLogger({
      sink: () => {
        throw new Error('disk full');
      },
    });
    expect(() => logger.error('x')).not.toThrow();
  });
});

describe('captureLogs()', () => {
  it('keeps every entry at debug level and renders them as text', () => {
    const capture = captureLogs();
    capture.logger.debug('one', { n: 1 });
    capture.logger.warn('two');
    expect(capture.entries).toHaveLength(2);
    expect(capture.text()).toMatch(/DEBUG \[test\] one \{"n":1\}\n.*WARN \[test\] two/);
  });
});
