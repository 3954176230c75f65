import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { TesseraBridge } from '../../common/ipc';
import { ACCOUNTS_FILE } from '../../main/core/accounts/account-store';
import { expect, test } from '../fixtures';
import { skipWithReason } from '../support/skip';

test.describe('signing in and out', () => {
  test('signs in with the demo account and shows the profile on Home', async ({
    window,
    signIn,
    server,
    app,
  }) => {
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('link', { name: 'Change server address' })).toBeVisible();
    // The server, small: its host only; the full address is in Settings.
    await expect(window.getByText(new URL(server.url).host, { exact: true })).toBeVisible();

    await signIn();

    const profile = window.getByRole('region', { name: 'Profile' });
    await expect(profile).toContainText('Demo User');
    await expect(profile).toContainText('@demo');
    await expect(profile.locator('.badge-role')).toHaveText('Role: User');
    // What only support asks for (the server's ID of the account, where the profile came from) waits
    // behind a closed disclosure, in words the person understands.
    const { sub } = JSON.parse(
      Buffer.from(((await app.accessToken()) as string).split('.')[1] as string, 'base64url').toString(),
    ) as { sub: string };
    const accountId = profile.getByRole('definition').filter({ hasText: sub });
    const source = profile.getByText(`Your profile came from ${server.url}/api/user/me.`, { exact: true });
    await expect(accountId).toBeHidden();
    await expect(source).toBeHidden();
    await profile.getByText('Details for support', { exact: true }).click();
    await expect(profile.getByRole('term').filter({ hasText: /^Account ID$/ })).toBeVisible();
    await expect(accountId).toHaveText(sub);
    await expect(source).toBeVisible();
    const nav = window.getByRole('navigation', { name: 'Main' });
    for (const name of ['Home', 'Request console', 'Settings']) {
      await expect(nav.getByRole('link', { name })).toBeVisible();
    }
    // The header names the account; the session panel says until when the person stays signed in.
    await expect(window.getByRole('banner')).toContainText('Demo User');
    await expect(window.getByRole('complementary', { name: 'Session' }).getByRole('status')).toHaveText(
      /^Signed in · until [A-Z][a-z]+ \d+$/,
    );
    expect(server.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
    // One profile request from main after the sign-in and one from Home. Before, the page heard the
    // session signed in first without its account id, took the id's arrival for an account switch and
    // loaded the profile three times.
    expect(server.requests('/api/user/me').map((request) => request.status)).toEqual([200, 200]);
  });

  test('signing out revokes the session, forgets the keychain entry and returns to sign-in', async ({
    window,
    signIn,
    server,
    app,
  }) => {
    await signIn();
    await expect.poll(() => app.refreshToken()).not.toBeNull();

    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' })
      .click();

    const heading = window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' });
    await expect(heading).toBeVisible();
    await expect(window.getByRole('status').filter({ hasText: 'You signed out.' })).toBeVisible();
    // The status was there when the page arrived (no live change to announce): the focused heading says it.
    await expect(heading).toBeFocused();
    await expect(heading).toHaveAccessibleDescription('You signed out.');
    await expect(window.getByRole('link', { name: 'Request console' })).toHaveCount(0);
    expect(server.requests('/logout')).toEqual([{ method: 'POST', path: '/logout', status: 204 }]);
    await expect.poll(() => app.refreshToken('demo')).toBeNull();
  });

  test('when the account list cannot be saved, the sign-in lasts until Tessera quits and says so; nothing is stored', async ({
    window,
    signIn,
    workDir,
    app,
  }) => {
    // A folder where the account list goes: main's write really fails (as on a full or read-only disk).
    const file = join(workDir, 'userData', ACCOUNTS_FILE);
    rmSync(file, { recursive: true, force: true });
    mkdirSync(file, { recursive: true });
    writeFileSync(join(file, 'kept'), 'x');

    await signIn();
    const panel = window.getByRole('complementary', { name: 'Session' });
    await expect(panel.getByRole('status')).toHaveText('Signed in · until you quit Tessera');
    await expect(panel).toContainText(
      'Not stored — Tessera could not save its list of accounts, so you will be signed out when Tessera quits.',
    );
    // The session works; the keychain holds nothing that no account list names.
    expect(await app.accessToken()).toBeTruthy();
    expect(await app.refreshToken('demo')).toBeNull();
  });

  test('signing out with the server down is a warning, never a success: the server was not told', async ({
    window,
    signIn,
    server,
    app,
  }) => {
    await signIn();
    await server.stop();
    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' })
      .click();

    const status = window.getByRole('status').filter({ hasText: 'You signed out.' });
    await expect(status).toHaveText(
      `You signed out. Tessera could not tell the server (Cannot reach the server at ${server.url}). Your old session still ends on its own when it expires; you don’t need to do anything.`,
    );
    await expect(status).toHaveClass(/notice-warning/);
    await expect(
      window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' }),
    ).toHaveAccessibleDescription(/^You signed out\. Tessera could not tell the server/);
    await expect.poll(() => app.refreshToken('demo')).toBeNull();
    await server.start();
  });

  test('signing out from the account menu with the server down is the same warning', async ({
    window,
    signIn,
    server,
    app,
  }) => {
    await signIn();
    await server.stop();
    await window.getByRole('button', { name: /^Account/ }).click();
    await window.getByRole('menuitem', { name: 'Sign out of all accounts' }).click();

    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    const status = window.getByRole('status').filter({ hasText: 'You signed out.' });
    await expect(status).toHaveText(
      `You signed out. Tessera could not tell the server (Cannot reach the server at ${server.url}). Your old session still ends on its own when it expires; you don’t need to do anything.`,
    );
    await expect(status).toHaveClass(/notice-warning/);
    await expect.poll(() => app.refreshToken('demo')).toBeNull();
    await server.start();
  });

  test('the status line follows the day: on the day the session ends it says the time', async ({
    window,
    signIn,
  }) => {
    await signIn();
    const status = window.getByRole('complementary', { name: 'Session' }).getByRole('status');
    await expect(status).toHaveText(/^Signed in · until [A-Z][a-z]+ \d+$/);
    // The page's clock alone (main's session is untouched, so no session event arrives) moves to the
    // start of the day the session ends, as after a night asleep or a clock change.
    const startOfLastDay = await window.evaluate(async () => {
      const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
      const ends = (await tessera.auth.getSession()).refreshExpiresAt as number;
      return new Date(ends).setHours(0, 0, 1, 0);
    });
    await window.clock.setSystemTime(startOfLastDay);
    // Before, the line kept the date it was written with until the next refresh.
    await expect(status).toHaveText(/^Signed in · until \d{1,2}:\d{2}\s?[AP]M$/);
  });
});

/** The session panel once signed in, its details open: the status line and one detail by its term. */
async function sessionDates(window: Page, signIn: () => Promise<unknown>) {
  await signIn();
  const panel = window.getByRole('complementary', { name: 'Session' });
  const status = panel.getByRole('status');
  await expect(status).toHaveText(/^Signed in · until /);
  await panel.getByText('Details', { exact: true }).click();
  return { status, detail: (term: string) => panel.locator(`dt:text-is("${term}") + dd`) };
}

/** British dates: day before month, a 24-hour clock (en-US would say "until December 14", "3:05:07 PM"). */
async function expectBritishDates(window: Page, signIn: () => Promise<unknown>) {
  const { status, detail } = await sessionDates(window, signIn);
  await expect(status).toHaveText(/^Signed in · until \d{1,2} [A-Z][a-z]+$/);
  await expect(detail('Next refresh')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  await expect(detail('Sign-in needed again')).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
}

/** The OS's regional formats the page's bridge holds (what main handed the window). */
const pageFormatLocales = (window: Page) =>
  window.evaluate(() => (globalThis as unknown as { tessera: TesseraBridge }).tessera.system.formatLocales());

test.describe('on a British English system (page locale en-GB)', () => {
  test.use({ locale: 'en-GB' });

  test('the English interface writes dates and times as the region does: day before month, a 24-hour clock', async ({
    window,
    signIn,
    app,
  }) => {
    if (app.kind !== 'browser')
      skipWithReason(
        test.info(),
        "the electron host's page locale is pinned to en-US (e2e/support/electron-launch.ts)",
      );
    await expect(window.locator('html')).toHaveAttribute('lang', 'en');
    await expectBritishDates(window, signIn);
  });
});

test.describe('on an English display with a British region (page locale en-US, OS regional format en-GB)', () => {
  // Windows with an en-US display language and the UK regional format: the page's navigator.languages
  // says en-US only; main reads en-GB (app.getSystemLocale()) and hands it to the window's preload.
  test.use({ locale: 'en-US', systemLocales: ['en-GB', 'en-US'] });

  test('dates and times follow the region main read, not the display language', async ({
    window,
    signIn,
  }) => {
    expect(await window.evaluate(() => navigator.languages)).toEqual(['en-US']);
    expect(await pageFormatLocales(window)).toEqual(['en-GB', 'en-US']);
    await expect(window.locator('html')).toHaveAttribute('lang', 'en');
    await expectBritishDates(window, signIn);
  });
});

test.describe('on an English display in the US with no region from main (page locale en-US)', () => {
  test.use({ locale: 'en-US' });

  test('dates and times are US ones: month before day, a 12-hour clock', async ({ window, signIn, app }) => {
    if (app.kind !== 'browser')
      skipWithReason(test.info(), "the electron host's system region is not the test's to set");
    expect(await pageFormatLocales(window)).toEqual([]);
    const { status, detail } = await sessionDates(window, signIn);
    await expect(status).toHaveText(/^Signed in · until [A-Z][a-z]+ \d{1,2}$/);
    await expect(detail('Next refresh')).toHaveText(/^\d{1,2}:\d{2}:\d{2}\s?[AP]M$/);
  });
});
