// Cancel pressed while the provider's token endpoint is slow, after the browser came back: the app
// drops the sign-in (CANCELLED, the grant revoked when it comes), and the browser tab, still waiting
// for its page, must say the sign-in was cancelled, not "Signed in to Tessera". The provider is a
// stand-in with a really signed ID token, its token endpoint held until the test releases it.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { testSettings } from '../../../test/support/fixtures';
import { memoryVault } from '../../../test/support/memory-vault';
import { eventually } from '../../../test/support/wait-until';
import type { FetchLike } from '../auth-client';
import { createSession } from '../session/session';

const ISSUER = 'https://op.example';

describe('Cancel pressed during the token exchange', () => {
  it('answers CANCELLED, revokes the late grant and tells the browser tab "Sign-in cancelled"', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    let nonce = '';
    let tokenAsked = false;
    let releaseToken: () => void = () => {};
    const tokenGate = new Promise<void>((resolve) => {
      releaseToken = resolve;
    });
    const revoked: string[] = [];
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    const fetch: FetchLike = async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/.well-known/openid-configuration')
        return json({
          issuer: ISSUER,
          authorization_endpoint: `${ISSUER}/auth`,
          token_endpoint: `${ISSUER}/token`,
          revocation_endpoint: `${ISSUER}/revoke`,
          jwks_uri: `${ISSUER}/jwks`,
          id_token_signing_alg_values_supported: ['RS256'],
        });
      if (pathname === '/jwks') return json({ keys: [jwk] });
      if (pathname === '/revoke') {
        revoked.push(new URLSearchParams(await request.text()).get('token') ?? '');
        return new Response(null, { status: 200 });
      }
      if (pathname === '/token') {
        tokenAsked = true;
        await tokenGate;
        const iat = Math.floor(Date.now() / 1000);
        const idToken = await new SignJWT({ sub: 'kim', nonce })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(ISSUER)
          .setAudience('tessera')
          .setIssuedAt(iat)
          .setExpirationTime(iat + 300)
          .sign(privateKey);
        return json({
          access_token: 'access-1',
          token_type: 'Bearer',
          expires_in: 300,
          refresh_token: 'refresh-1',
          id_token: idToken,
        });
      }
      return new Response('not found', { status: 404 });
    };
    let tab: Promise<{ status: number; page: string }> | null = null;
    const session = createSession({
      settings: testSettings('https://api.example', {
        authMode: 'oidc',
        oidcIssuer: ISSUER,
        oidcClientId: 'tessera',
        mePath: '',
      }),
      fetch,
      vault: memoryVault(),
      openExternal: async (href) => {
        const url = new URL(href);
        nonce = url.searchParams.get('nonce') ?? '';
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', 'the-code');
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        // The browser comes back at once; its tab waits for the page.
        tab = globalThis
          .fetch(back)
          .then(async (response) => ({ status: response.status, page: await response.text() }));
      },
    });
    const signIn = session.signInWithProvider();
    await eventually(() => tokenAsked);
    expect(session.cancelSignIn()).toEqual({ cancelled: true });
    releaseToken();
    expect(await signIn).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await eventually(() => revoked.includes('refresh-1'));
    const answered = await (tab as unknown as Promise<{ status: number; page: string }>);
    expect(answered.page).not.toContain('You are signed in');
    expect(answered).toMatchObject({ status: 400, page: expect.stringContaining('Sign-in cancelled') });
  });
});
