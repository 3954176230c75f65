import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/support/capture-logs';
import { fakeJwt } from '../../test/support/fixtures';
import { createLogger, formatLogEntry, LOG_FIELDS_LIMIT, LOG_TEXT_LIMIT, type LogEntry } from './logger';

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

/** Harmless text of exactly `length` characters that the redactor leaves alone (no long runs). */
function padding(length: number): string {
  return 'ab. '.repeat(Math.ceil(length / 4)).slice(0, length);
}

describe('createLogger(): long entries', () => {
  it('cuts the message and each field to LOG_TEXT_LIMIT characters, saying how much was cut', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ sink: (entry) => entries.push(entry) });
    // What electron-updater puts in its error: the whole feed answer (here ~2 MB of a portal's page).
    const body = '<html><body>Captive portal</body></html>\n'.repeat(50_000);
    const stack = `Error: Cannot parse update info, rawData: ${body}\n    at Provider.js:100:13`;
    logger.error(`Cannot parse update info from latest-linux.yml: YAMLException, rawData: ${body}`, {
      stack,
      error: new Error(`rawData: ${body}`),
      lines: body.split('\n'),
      code: 'ERR_UPDATER_INVALID_UPDATE_INFO',
      status: 200,
    });
    const entry = entries[0];
    const cut = /… \[cut, (\d+) more characters\]$/;
    const message = `Cannot parse update info from latest-linux.yml: YAMLException, rawData: ${body}`;
    expect(entry?.message).toBe(
      `${message.slice(0, LOG_TEXT_LIMIT)}… [cut, ${message.length - LOG_TEXT_LIMIT} more characters]`,
    );
    const fields = entry?.fields ?? {};
    expect(fields.code).toBe('ERR_UPDATER_INVALID_UPDATE_INFO');
    expect(fields.status).toBe(200);
    for (const key of ['stack', 'error', 'lines']) {
      const value = fields[key];
      expect(typeof value, key).toBe('string');
      expect((value as string).length, key).toBeLessThan(LOG_TEXT_LIMIT + 50);
      expect(value, key).toMatch(cut);
    }
    // The count is what was cut: the kept part plus it is the whole (redacted) text.
    const stackCut = Number((fields.stack as string).match(cut)?.[1]);
    expect(stackCut).toBe(stack.length - LOG_TEXT_LIMIT);
    // A line in the file stays within a few KiB whatever went in.
    expect(formatLogEntry(entry as LogEntry).length).toBeLessThan(LOG_TEXT_LIMIT + LOG_FIELDS_LIMIT + 500);
    // Short text and small objects are kept as they were.
    logger.info('short', { user: { sub: 'u1', roles: ['a'] }, note: 'fine' });
    expect(entries[1]).toMatchObject({
      message: 'short',
      fields: { user: { sub: 'u1', roles: ['a'] }, note: 'fine' },
    });
  });

  it('keeps all fields together within LOG_FIELDS_LIMIT', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ sink: (entry) => entries.push(entry) });
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, padding(LOG_TEXT_LIMIT)]));
    logger.info('many fields', many);
    const fields = entries[0]?.fields ?? {};
    expect(Object.keys(fields)).toEqual(['fields']);
    expect(JSON.stringify(fields).length).toBeLessThan(LOG_FIELDS_LIMIT + 100);
    expect(fields.fields).toMatch(/^\{"f0":"ab\. .*… \[cut, \d+ more characters\]$/);
  });

  it('redacts before cutting, so a secret across the cut leaves no piece in the log', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ sink: (entry) => entries.push(entry) });
    const opaque = randomBytes(32).toString('hex');
    const jwt = fakeJwt({ sub: 'someone', padding: padding(200) });
    // Each secret starts 20 characters before the limit: cut first, 20 characters of it would remain,
    // too few for the redactor to know them as a token (and a quoted password loses its closing quote).
    const before = padding(LOG_TEXT_LIMIT - 20);
    const message = [
      `${before}${opaque} and more`,
      `${padding(LOG_TEXT_LIMIT - 24)}password: "correct horse battery staple" and more`,
      `${before}${jwt} and more`,
    ];
    for (const text of message) logger.warn(text, { text, nested: { text } });
    const written = entries.map(formatLogEntry).join('\n');
    expect(written).toMatch(/\[cut, \d+ more characters\]/);
    expect(written).not.toContain(opaque.slice(0, 8));
    expect(written).not.toContain('horse');
    expect(written).not.toContain(jwt.slice(0, 12));
  });

  it('never splits a character that takes two UTF-16 units', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ sink: (entry) => entries.push(entry) });
    logger.info(`${padding(LOG_TEXT_LIMIT - 1)}🔑🔑🔑`);
    const message = entries[0]?.message ?? '';
    expect(message).toBe(`${padding(LOG_TEXT_LIMIT - 1)}… [cut, 6 more characters]`);
    expect(() => encodeURIComponent(message)).not.toThrow(); // throws on half a pair
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
