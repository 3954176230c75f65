// The system browser's launch (shell.openExternal) that never settles: on Windows the "How do you want
// to open this?" picker can be left open, and Electron's promise waits for it. The sign-in must still
// end on Cancel, on the timeout or when the browser comes back, and its loopback listener must close.
// The provider is a stand-in answering discovery only: the sign-in never reaches its token endpoint.
import { describe, expect, it } from 'vitest';
import { testSettings } from '../../../test/support/fixtures';
import { memoryVault } from '../../../test/support/memory-vault';
import { discoveryOnly, listenerAnswer, STAND_IN_ISSUER } from '../../../test/support/oidc-stand-in';
import { eventually } from '../../../test/support/wait-until';
import { createSession, type SessionDeps } from '../session/session';

const ISSUER = STAND_IN_ISSUER;
const fetch = discoveryOnly;
const probe = listenerAnswer;

/** Settles with the promise's value, or 'still pending' after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still pending'> {
  return Promise.race([
    promise,
    new Promise<'still pending'>((resolve) => setTimeout(() => resolve('still pending'), ms)),
  ]);
}

/** A session in oidc mode whose browser launch never settles; `opened()` is the URL it was asked to open. */
function sessionWithStuckLaunch(deps: Partial<SessionDeps> = {}) {
  let asked = '';
  const session = createSession({
    settings: testSettings('https://api.example', {
      authMode: 'oidc',
      oidcIssuer: ISSUER,
      oidcClientId: 'tessera',
      mePath: '',
    }),
    fetch,
    vault: memoryVault(),
    openExternal: (href) => {
      asked = href;
      return new Promise<void>(() => {});
    },
    ...deps,
  });
  return { session, opened: () => asked };
}

describe('a browser launch that never settles', () => {
  it('Cancel still ends the sign-in call (CANCELLED) and closes the listener', async () => {
    const { session, opened } = sessionWithStuckLaunch();
    const signIn = session.signInWithProvider();
    await eventually(() => opened() !== '');
    const redirectUri = new URL(opened()).searchParams.get('redirect_uri') ?? '';
    expect(session.cancelSignIn()).toEqual({ cancelled: true });
    expect(await within(signIn, 2000)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await probe(redirectUri)).toBe('ECONNREFUSED');
  });

  it('the timeout still ends it (TIMEOUT) and closes the listener', async () => {
    const { session, opened } = sessionWithStuckLaunch({ oidcCallbackTimeoutMs: 300 });
    const signIn = session.signInWithProvider();
    await eventually(() => opened() !== '');
    const redirectUri = new URL(opened()).searchParams.get('redirect_uri') ?? '';
    expect(await within(signIn, 2000)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(await probe(redirectUri)).toBe('ECONNREFUSED');
  });

  it('the browser coming back goes on: its answer is read, the tab answered, the listener closed', async () => {
    const { session, opened } = sessionWithStuckLaunch();
    const signIn = session.signInWithProvider();
    await eventually(() => opened() !== '');
    const url = new URL(opened());
    const back = `${url.searchParams.get('redirect_uri')}?error=access_denied&state=${url.searchParams.get('state')}`;
    const tab = globalThis.fetch(back).then((response) => response.status);
    expect(await within(signIn, 2000)).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    expect(await tab).toBe(400);
    expect(await probe(back)).toBe('ECONNREFUSED');
  });
});
