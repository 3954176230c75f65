import { apiScope, tokenAccount } from '../../main/core/vault';
import { promptedKeychain } from '../../test/support/prompted-keychain';
import { expect, type TesseraApp, test } from '../fixtures';

test.describe('restarting the app', () => {
  test('stays signed in: the refresh token from the keychain restores the session', async ({
    server,
    app,
    signIn,
  }) => {
    await signIn();
    await expect.poll(() => app.refreshToken('demo')).not.toBeNull();

    const window = await app.restart();

    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    expect(server.requests('/login')).toHaveLength(1);
    expect(server.requests('/token/refresh')).toEqual([
      { method: 'POST', path: '/token/refresh', status: 200 },
    ]);
  });

  test('with "Stay signed in" off, nothing is kept and the app starts signed out', async ({
    window,
    app,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    // A preference: saved as soon as it changes.
    await window.getByRole('checkbox', { name: 'Stay signed in' }).uncheck();
    await expect(window.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect.poll(() => app.refreshToken('demo')).toBeNull();

    const restarted = await app.restart();

    await expect(restarted.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
  });

  test.describe('when the keychain cannot be read at start (its password prompt answered late or dismissed)', () => {
    /** Signed in and stored, then restarted with the token's read waiting on a keychain "prompt". */
    const restartPrompted = async (app: TesseraApp, signIn: () => Promise<unknown>, apiBaseUrl: string) => {
      await signIn();
      await expect.poll(() => app.refreshToken('demo')).not.toBeNull();
      const keychain = promptedKeychain(tokenAccount(apiScope(apiBaseUrl), 'demo'));
      const window = await app.restartWithKeychain({ loadKeytar: keychain.loadKeytar, timeoutMs: 500 });
      const notice = window.getByRole('alert').filter({ hasText: 'Your saved sign-in could not be opened.' });
      await expect(notice).toContainText('did not answer in time');
      await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
      return { window, keychain, notice };
    };

    test('says so on the sign-in page, and opens the session by itself once the prompt is answered', async ({
      server,
      app,
      signIn,
    }) => {
      const { window, keychain } = await restartPrompted(app, signIn, server.url);
      expect(server.requests('/token/refresh')).toHaveLength(0);
      keychain.answer();
      await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
      await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
      expect(server.requests('/login')).toHaveLength(1);
      expect(server.requests('/token/refresh')).toHaveLength(1);
    });

    test('after a dismissed prompt, "Try again" opens the stored session', async ({
      server,
      app,
      signIn,
    }) => {
      const { window, keychain, notice } = await restartPrompted(app, signIn, server.url);
      keychain.dismiss();
      await app.keychainSettled();
      // Nothing is read again by itself after a dismissal (it would raise the prompt again).
      await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
      expect(server.requests('/token/refresh')).toHaveLength(0);
      await notice.getByRole('button', { name: 'Try again' }).click();
      await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
      expect(server.requests('/login')).toHaveLength(1);
      expect(server.requests('/token/refresh')).toHaveLength(1);
    });
  });
});
