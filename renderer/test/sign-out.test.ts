import { describe, expect, it } from 'vitest';
import type { TesseraBridge } from '../../common/ipc';
import type { SessionView, SignOutResult } from '../../common/session';
import { signedOutView } from '../../test/support/session-view';
import type { Route } from '../src/routes';
import type { AppContext, Flash } from '../src/state';
import { signOutAndLand } from '../src/views/sign-out';

const failed: SignOutResult = {
  revoked: false,
  revocationError: { code: 'NETWORK', message: 'connect ECONNREFUSED 127.0.0.1:4000' },
};
const admin = signedOutView({
  state: 'active',
  accountId: 'acct-admin',
  user: { sub: 'u2', username: 'admin', name: 'Admin', role: 'admin' },
});

/** The parts of the page's context a sign-out uses: main's answers, the flash, and where the page went. */
function page(after: SessionView, flash: Flash = {}) {
  const landed: Array<{ session: SessionView; route: Route | undefined }> = [];
  const asked: unknown[] = [];
  const bridge = {
    auth: {
      signOut: async (request?: unknown) => {
        asked.push(request);
        return failed;
      },
      getSession: async () => after,
    },
  } as unknown as TesseraBridge;
  const ctx = {
    bridge,
    flash,
    setSession: (session: SessionView, route?: Route) => landed.push({ session, route }),
  } as unknown as AppContext;
  return { ctx, flash, landed, asked };
}

describe('signOutAndLand()', () => {
  it('signed out altogether: on to the sign-in page, which says the server (the account’s) did not hear of it', async () => {
    const signedOut = signedOutView({ reason: 'userSignedOut' });
    const { ctx, flash, landed, asked } = page(signedOut);
    await expect(signOutAndLand(ctx, { all: true }, 'http://other.test:4100')).resolves.toBe(signedOut);
    expect(asked).toEqual([{ all: true }]);
    expect(flash.signOutResult).toEqual({ ...failed, apiBaseUrl: 'http://other.test:4100' });
    expect(landed).toEqual([{ session: signedOut, route: 'sign-in' }]);
  });

  it('another account still signed in: the page stays, and keeps no result for a later sign-in page', async () => {
    const { ctx, flash, landed } = page(admin, {
      signOutResult: { revoked: true, apiBaseUrl: 'http://127.0.0.1:4000' },
    });
    await expect(signOutAndLand(ctx, undefined, 'http://127.0.0.1:4000')).resolves.toBe(admin);
    expect(flash).toEqual({});
    expect(landed).toEqual([{ session: admin, route: undefined }]);
  });
});
