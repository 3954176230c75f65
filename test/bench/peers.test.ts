// The peer clients of the benchmarks must work as their documentation promises for one caller, so the
// storm figures show their design under concurrency, not a broken setup.
import { afterEach, describe, expect, it } from 'vitest';
import { axiosAuthRefreshClient, naiveKyClient, peerSignIn } from '../../bench/peers';
import { startQuietServer } from '../../test/support/test-server';

const TTL_S = 60;
let close: (() => Promise<void>) | null = null;

afterEach(async () => {
  await close?.();
  close = null;
});

async function expiredServer() {
  let offset = 0;
  const server = await startQuietServer({ accessTtlSeconds: TTL_S, now: () => Date.now() + offset });
  close = () => server.close();
  const tokens = await peerSignIn(server.url);
  const expire = () => {
    offset += 2 * TTL_S * 1000;
  };
  return { server, tokens, expire };
}

describe.each([
  [
    'ky afterResponse',
    (url: string, t: Parameters<typeof naiveKyClient>[1]) => {
      const client = naiveKyClient(url, t);
      return () => client.get('api/user/me').json();
    },
  ],
  [
    'axios + axios-auth-refresh',
    (url: string, t: Parameters<typeof axiosAuthRefreshClient>[1]) => {
      const client = axiosAuthRefreshClient(url, t);
      return async () => (await client.get('/api/user/me')).data;
    },
  ],
])('%s', (_name, makeCall) => {
  it('sends the bearer it holds', async () => {
    const { server, tokens } = await expiredServer();
    await expect(makeCall(server.url, tokens)()).resolves.toMatchObject({ username: 'demo' });
    expect(server.requests('/token/refresh')).toHaveLength(0);
  });

  it('refreshes once after a 401 for an expired token and retries with the new one', async () => {
    const { server, tokens, expire } = await expiredServer();
    const before = tokens.accessToken;
    const call = makeCall(server.url, tokens);
    expire();
    await expect(call()).resolves.toMatchObject({ username: 'demo' });
    expect(server.requests('/token/refresh').map((r) => r.status)).toEqual([200]);
    expect(tokens.accessToken).not.toBe(before);
  });
});
