import { describe, expect, it } from 'vitest';
import type { TesseraBridge } from '../../common/ipc';
import type { SessionView, SignOutResult } from '../../common/session';
import { signedOutView } from '../../test/support/session-view';
import { createTranslator } from '../src/i18n/index';
import type { Route } from '../src/routes';
import type { AppContext, Flash } from '../src/state';
import { accountChangeText, signOutAndLand } from '../src/views/sign-out';

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
function page(after: SessionView, flash: Flash = {}, locale: 'en' | 'ko' = 'en') {
  const landed: Array<{ session: SessionView; route: Route | undefined }> = [];
  const asked: unknown[] = [];
  const said: Array<{ text: string; account: string | null; warning?: boolean }> = [];
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
    t: createTranslator(locale),
    state: () => ({ settings: { values: { apiBaseUrl: 'http://127.0.0.1:4000' } }, session: after }),
    setSession: (session: SessionView, route?: Route) => landed.push({ session, route }),
    announce: (text: string, options: { account: string | null; warning?: boolean }) =>
      said.push({ text, ...options }),
  } as unknown as AppContext;
  return { ctx, flash, landed, asked, said };
}

describe('signOutAndLand()', () => {
  it('signed out altogether: on to the sign-in page, which says the server (the account’s) did not hear of it', async () => {
    const signedOut = signedOutView({ reason: 'userSignedOut' });
    const { ctx, flash, landed, asked } = page(signedOut);
    await expect(
      signOutAndLand(ctx, { all: true }, { name: 'Demo User', apiBaseUrl: 'http://other.test:4100' }),
    ).resolves.toBe(signedOut);
    expect(asked).toEqual([{ all: true }]);
    expect(flash.signOutResult).toEqual({ ...failed, apiBaseUrl: 'http://other.test:4100' });
    expect(landed).toEqual([{ session: signedOut, route: 'sign-in' }]);
  });

  it('another account still signed in: the page stays, and keeps no result for a later sign-in page', async () => {
    const { ctx, flash, landed } = page(admin, {
      signOutResult: { revoked: true, apiBaseUrl: 'http://127.0.0.1:4000' },
    });
    await expect(
      signOutAndLand(ctx, undefined, { name: 'Demo User', apiBaseUrl: 'http://127.0.0.1:4000' }),
    ).resolves.toBe(admin);
    expect(flash).toEqual({});
    expect(landed).toEqual([{ session: admin, route: undefined }]);
  });

  it('another account still signed in: says who was signed out, who is active now, and the server not told', async () => {
    const { ctx, said } = page(admin);
    await signOutAndLand(ctx, undefined, { name: 'Demo User', apiBaseUrl: 'http://other.test:4100' });
    expect(said).toEqual([
      {
        text:
          'Signed out of Demo User on other.test:4100. Now using Admin (@admin) on 127.0.0.1:4000. ' +
          'Tessera could not tell the server (Cannot reach the server at http://other.test:4100). ' +
          'Your old session still ends on its own when it expires; you don’t need to do anything.',
        account: 'acct-admin',
        warning: true,
      },
    ]);
    const korean = page(admin, {}, 'ko');
    await signOutAndLand(korean.ctx, undefined, { name: 'Demo User', apiBaseUrl: 'http://other.test:4100' });
    expect(korean.said[0]?.text).toMatch(
      /^other\.test:4100의 Demo User에서 로그아웃했습니다\. 이제 127\.0\.0\.1:4000의 Admin\(@admin\) 계정을 사용합니다\. /,
    );
  });

  it('signed out altogether: says nothing there (the sign-in page does)', async () => {
    const { ctx, said } = page(signedOutView({ reason: 'userSignedOut' }));
    await signOutAndLand(ctx, undefined, { name: 'Demo User', apiBaseUrl: 'http://127.0.0.1:4000' });
    expect(said).toEqual([]);
  });
});

describe('accountChangeText()', () => {
  const active = { name: 'Demo User', username: 'demo', apiBaseUrl: 'https://api.example.com' };

  it('says a switch in one sentence, and a sign-out that the server heard of without a warning', () => {
    const t = createTranslator('en');
    expect(accountChangeText(t, active)).toEqual({
      text: 'Now using Demo User (@demo) on api.example.com.',
      warning: false,
    });
    expect(
      accountChangeText(t, active, {
        name: 'Admin',
        apiBaseUrl: 'https://api.example.com',
        result: { revoked: true },
      }),
    ).toEqual({
      text: 'Signed out of Admin on api.example.com. Now using Demo User (@demo) on api.example.com.',
      warning: false,
    });
    expect(accountChangeText(createTranslator('ko'), active).text).toBe(
      '이제 api.example.com의 Demo User(@demo) 계정을 사용합니다.',
    );
  });
});
