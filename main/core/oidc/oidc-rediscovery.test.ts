// Discovery again, for an app left running for days: the provider's configuration is renewed once a
// day, and kept when the renewal fails. The provider is a stand-in answering discovery and the token
// endpoint: the test OpenID Provider cannot move its endpoints or fail its discovery while it runs,
// which is what these tests need. Time is the protocol's injected clock.
import { describe, expect, it } from 'vitest';
import { testSettings } from '../../../test/support/fixtures';
import type { AuthClient, FetchLike } from '../auth-client';
import type { Timers } from '../timers';
import { realTimers } from '../timers';
import { createOidcProtocol, DISCOVERY_MAX_AGE_MS, DISCOVERY_RETRY_MS } from './oidc-protocol';

const ISSUER = 'https://op.example';
const HOUR = 3600_000;

/** A provider whose token endpoint can move and whose discovery can fail; it counts what it served. */
function movingProvider() {
  const state = { tokenPath: '/token', discoveryDown: false, served: [] as string[] };
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch: FetchLike = async (request) => {
    const { pathname } = new URL(request.url);
    state.served.push(pathname);
    if (pathname === '/.well-known/openid-configuration') {
      if (state.discoveryDown) return new Response('<h1>502 Bad Gateway</h1>', { status: 502 });
      return json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/auth`,
        token_endpoint: `${ISSUER}${state.tokenPath}`,
        jwks_uri: `${ISSUER}/jwks`,
      });
    }
    if (pathname === state.tokenPath)
      return json({ access_token: `access-${state.served.length}`, token_type: 'Bearer', expires_in: 300 });
    return new Response('not found', { status: 404 });
  };
  return { state, fetch };
}

function protocolFor(fetch: FetchLike) {
  let clock = 0;
  const timers: Timers = { ...realTimers, monotonicNow: () => clock };
  const protocol = createOidcProtocol({
    settings: testSettings('https://api.example', {
      authMode: 'oidc',
      oidcIssuer: ISSUER,
      oidcClientId: 'tessera',
      mePath: '',
    }),
    fetch,
    // Not called: a refresh does not reach the API.
    api: {} as AuthClient,
    timers,
  });
  return {
    protocol,
    advance(ms: number) {
      clock += ms;
    },
  };
}

const discoveries = (served: string[]) =>
  served.filter((path) => path === '/.well-known/openid-configuration').length;

describe('provider discovery in a long-running app', () => {
  it('asks discovery again after a day, so an endpoint the provider moved is followed', async () => {
    const provider = movingProvider();
    const { protocol, advance } = protocolFor(provider.fetch);
    expect(await protocol.refresh('r1')).toMatchObject({ ok: true });
    advance(23 * HOUR);
    expect(await protocol.refresh('r2')).toMatchObject({ ok: true });
    expect(discoveries(provider.state.served)).toBe(1);

    // The provider moves its token endpoint; the old path answers 404 from now on.
    provider.state.tokenPath = '/oauth2/token';
    advance(DISCOVERY_MAX_AGE_MS - 23 * HOUR);
    expect(await protocol.refresh('r3')).toMatchObject({ ok: true });
    expect(discoveries(provider.state.served)).toBe(2);
    expect(provider.state.served.at(-1)).toBe('/oauth2/token');
  });

  it('keeps the earlier configuration when the renewal fails, and tries again after a few minutes', async () => {
    const provider = movingProvider();
    const { protocol, advance } = protocolFor(provider.fetch);
    expect(await protocol.refresh('r1')).toMatchObject({ ok: true });

    provider.state.discoveryDown = true;
    advance(DISCOVERY_MAX_AGE_MS);
    // Discovery failed, the refresh still went to the token endpoint it knew.
    expect(await protocol.refresh('r2')).toMatchObject({ ok: true });
    expect(provider.state.served.slice(-2)).toEqual(['/.well-known/openid-configuration', '/token']);
    advance(DISCOVERY_RETRY_MS - 1);
    expect(await protocol.refresh('r3')).toMatchObject({ ok: true });
    expect(discoveries(provider.state.served)).toBe(2);

    provider.state.discoveryDown = false;
    advance(1);
    expect(await protocol.refresh('r4')).toMatchObject({ ok: true });
    expect(discoveries(provider.state.served)).toBe(3);
  });

  it('shares one discovery between calls made at once, and keeps no failure when there is nothing earlier', async () => {
    const provider = movingProvider();
    provider.state.discoveryDown = true;
    const { protocol } = protocolFor(provider.fetch);
    const failed = await protocol.refresh('r1');
    expect(failed).toMatchObject({ ok: false });
    provider.state.discoveryDown = false;
    const results = await Promise.all([
      protocol.refresh('r2'),
      protocol.refresh('r3'),
      protocol.refresh('r4'),
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    expect(discoveries(provider.state.served)).toBe(2);
  });
});
