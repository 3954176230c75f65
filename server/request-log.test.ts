import { describe, expect, it } from 'vitest';
import { cutPath, escapeControl, MAX_RECORDED_PATH, rawPath } from './request-log';
import {
  call,
  collectedLog,
  expectLogFreeOfSecrets,
  login,
  me,
  refresh,
  rememberSecret,
  startTestServer,
  useTestServers,
} from './test-support';

useTestServers();

describe('the request log', () => {
  it('writes one line per request: method, path, status and duration', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ log: (line) => lines.push(line) });
    await call(server, '/health');
    await call(server, '/login', { json: { username: 'demo', password: 'wrong-password' } });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^GET \/health 200 \d+ms$/);
    expect(lines[1]).toMatch(/^POST \/login 401 \d+ms$/);
  });

  it('cuts a long path to 512 characters in the line and the record', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ log: (line) => lines.push(line) });
    // About the longest request line Node takes (16 KiB of headers in all).
    const long = `/${'a'.repeat(16_000)}`;
    expect((await call(server, long)).status).toBe(404);
    const cut = `/${'a'.repeat(MAX_RECORDED_PATH - 2)}…`;
    expect(cut).toHaveLength(MAX_RECORDED_PATH);
    expect(lines).toEqual([`GET ${cut} 404 ${lines[0]?.split(' ').at(-1)}`]);
    expect(server.requests().at(-1)).toEqual({ method: 'GET', path: cut, status: 404 });
    expect(cutPath('/short')).toBe('/short');
  });

  it('never contains a token, a password or a query string value', async () => {
    const server = await startTestServer();
    rememberSecret('query-secret-value');
    const first = await login(server);
    await call(server, '/login', { json: { username: 'demo', password: 'a-wrong-password' } });
    await call(server, '/login', { json: { username: 'admin', password: 'admin-password' } });
    await me(server, first.accessToken);
    await call(server, `/health?token=${first.accessToken}&code=query-secret-value`);
    await call(server, `/api/user/me?access_token=${first.accessToken}`);
    const next = await refresh(server, first.refreshToken);
    await refresh(server, first.refreshToken);
    await call(server, '/logout', {
      json: { refreshToken: next.body?.refreshToken },
      token: next.body?.accessToken as string,
    });
    // Malformed input quoting a secret must not end up in the log through an error message either.
    await call(server, '/login', {
      body: '{"password": "demo-password"',
      headers: { 'Content-Type': 'application/json' },
    });

    expect(collectedLog().length).toBeGreaterThanOrEqual(10);
    expectLogFreeOfSecrets();
  });

  it('logs the raw path: percent-encoded control characters are not decoded into the line', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ log: (line) => lines.push(line) });
    await call(server, '/x%0a200%20GET%20/forged%0d%00%1b[31m%E2%80%A8');
    await call(server, '/api/user/me%0aGET%20/health%20200%201ms');
    expect(lines).toEqual([
      expect.stringMatching(/^GET \/x%0a200%20GET%20\/forged%0d%00%1b\[31m%E2%80%A8 404 \d+ms$/),
      expect.stringMatching(/^GET \/api\/user\/me%0aGET%20\/health%20200%201ms 404 \d+ms$/),
    ]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence is the point.
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f\u2028]/);
  });

  it('escapes any control character left in a line (Node refuses raw ones in the request line)', () => {
    expect(escapeControl('a\nb\r\u0000c\u001b[0m\u007f\u0085\u2028\\x0a')).toBe(
      'a\\x0ab\\x0d\\x00c\\x1b[0m\\x7f\\x85\\u2028\\\\x0a',
    );
  });

  it('takes the path from the URL without query or fragment', () => {
    expect(rawPath('http://127.0.0.1:4000/a%0Ab?token=x#f')).toBe('/a%0Ab');
    expect(rawPath('https://[::1]:4000/')).toBe('/');
    expect(rawPath('http://host')).toBe('/');
  });
});
