import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { type Answer, call, login, startTestServer, testClock, useTestServers } from './test-support';

useTestServers();

const MINUTE = 60_000;

function attempt(server: { url: string }, username: string, password: string): Promise<Answer> {
  return call(server, '/login', { json: { username, password } });
}

/** Headers that differ between any two answers, so comparisons leave them out. */
function stableHeaders(answer: Answer): Record<string, string> {
  const entries = [...answer.headers.entries()].filter(([name]) => name !== 'date');
  return Object.fromEntries(entries);
}

describe('POST /login', () => {
  it('answers the token response with whole-second lifetimes and tokenType Bearer', async () => {
    const server = await startTestServer();
    const answer = await attempt(server, 'admin', 'admin-password');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body ?? {}).sort()).toEqual(
      ['accessToken', 'expiresIn', 'refreshExpiresIn', 'refreshToken', 'tokenType'].sort(),
    );
    expect(answer.body?.tokenType).toBe('Bearer');
    expect(Number.isInteger(answer.body?.expiresIn)).toBe(true);
    expect(Number.isInteger(answer.body?.refreshExpiresIn)).toBe(true);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(decodeJwt(answer.body?.accessToken as string)).toMatchObject({
      role: 'admin',
      name: 'Admin User',
    });
  });

  it('gives opaque refresh tokens of at least 256 bits', async () => {
    const server = await startTestServer();
    const { refreshToken } = await login(server);
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(refreshToken, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const server = await startTestServer();
    const unknown = await attempt(server, 'nobody', 'demo-password');
    const wrong = await attempt(server, 'demo', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({
      error: 'InvalidCredentialsError',
      message: 'Invalid username or password',
    });
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.text).toBe(unknown.text);
    expect(stableHeaders(wrong)).toEqual(stableHeaders(unknown));
  });

  it('locks a username out with 429 and Retry-After after 5 failures, even for the right password', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now });
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt(server, 'demo', `wrong-${i}`)).status).toBe(401);
      clock.advance(MINUTE);
    }
    // First failure was 5 minutes ago: 10 minutes of the 15-minute window are left.
    const locked = await attempt(server, 'demo', 'demo-password');
    expect(locked.status).toBe(429);
    expect(locked.body?.error).toBe('TooManyRequestsError');
    expect(typeof locked.body?.message).toBe('string');
    expect(locked.headers.get('retry-after')).toBe(String(10 * 60));

    // Other usernames are not affected.
    expect((await attempt(server, 'admin', 'admin-password')).status).toBe(200);
  });

  it('counts a failure before the password check, so parallel guesses get no more than 5 checks', async () => {
    const server = await startTestServer();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(server, 'demo', `parallel-wrong-${i}`)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    expect((await attempt(server, 'demo', 'demo-password')).status).toBe(429);
  });

  it('lets the username in again once the window has passed', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now });
    for (let i = 0; i < 5; i += 1) await attempt(server, 'demo', 'wrong');
    clock.advance(15 * MINUTE - 1_000);
    const almost = await attempt(server, 'demo', 'demo-password');
    expect(almost.status).toBe(429);
    expect(almost.headers.get('retry-after')).toBe('1');
    clock.advance(1_000);
    expect((await attempt(server, 'demo', 'demo-password')).status).toBe(200);
  });

  it('resets the failure count after a successful sign-in', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now });
    for (let i = 0; i < 4; i += 1) expect((await attempt(server, 'demo', 'wrong')).status).toBe(401);
    expect((await attempt(server, 'demo', 'demo-password')).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await attempt(server, 'demo', 'wrong')).status).toBe(401);
    expect((await attempt(server, 'demo', 'wrong')).status).toBe(429);
  });

  it('counts failures for unknown usernames too', async () => {
    const server = await startTestServer();
    for (let i = 0; i < 5; i += 1) expect((await attempt(server, 'ghost', 'x')).status).toBe(401);
    expect((await attempt(server, 'ghost', 'x')).status).toBe(429);
  });
});

describe('expiresIn and refreshExpiresIn', () => {
  it.each([0, 1, 499, 500, 999])(
    'never overstate the lifetime when issued %i ms into a second',
    async (ms) => {
      const clock = testClock(Date.UTC(2030, 0, 1) + ms);
      const server = await startTestServer({
        now: clock.now,
        accessTtlSeconds: 900,
        refreshTtlSeconds: 3600,
      });
      const tokens = await login(server);
      const { exp } = decodeJwt(tokens.accessToken);
      const issuedAt = clock.now();
      expect(Number.isInteger(tokens.expiresIn)).toBe(true);
      expect(tokens.expiresIn).toBe(Math.floor(((exp as number) * 1000 - issuedAt) / 1000));
      expect(tokens.expiresIn * 1000).toBeLessThanOrEqual((exp as number) * 1000 - issuedAt);
      expect(tokens.expiresIn).toBeGreaterThanOrEqual(899);
      expect(tokens.refreshExpiresIn).toBe(3600);
    },
  );
});
