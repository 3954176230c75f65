import { describe, expect, it } from 'vitest';
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
});
