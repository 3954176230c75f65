import { confirmProviderSignOut } from '../../test/oidc/browser';
import { expect, oidcPolicy, test } from '../support/oidc';

test.describe('signing in with OpenID Connect', () => {
  test('signs in through the provider pages in the browser and shows the profile from the ID token', async ({
    app,
    oidcProvider,
    providerPages,
  }) => {
    const window = await app.setPolicy(oidcPolicy(oidcProvider));
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('textbox', { name: 'Username' })).toHaveCount(0);
    // The sign-in happens on the provider's page: the server address is not the person's to change here.
    await expect(window.getByRole('link', { name: 'Change server address' })).toHaveCount(0);

    await window.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    await expect(
      window.getByRole('status').filter({ hasText: 'Continue in your web browser' }),
    ).toBeVisible();
    await expect(window.getByRole('button', { name: 'Cancel' })).toBeVisible();

    await providerPages.signInNext('demo');
    await expect(providerPages.page.getByRole('heading', { name: 'Signed in to Tessera' })).toBeVisible();
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    const profile = window.getByRole('region', { name: 'Profile' });
    await expect(profile).toContainText('Demo User');
    await expect(profile).toContainText('@demo');
    // No profile endpoint: the profile is the sign-in's, which "Details for support" says.
    const source = profile.getByText('Your profile came with your sign-in.', { exact: true });
    await expect(source).toBeHidden();
    await profile.getByText('Details for support', { exact: true }).click();
    await expect(source).toBeVisible();
    await expect(window.getByRole('banner')).toContainText('Demo User');
    expect(await app.accessToken()).toBeTruthy();
  });

  test('cancelling the wait for the browser returns to the button and says so', async ({
    app,
    oidcProvider,
    providerPages,
  }) => {
    const window = await app.setPolicy(oidcPolicy(oidcProvider));
    const start = window.getByRole('button', { name: 'Sign in with Test IdP' });
    await start.click();
    const authorization = new URL(await providerPages.nextUrl());
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');

    await window.getByRole('button', { name: 'Cancel' }).click();
    await expect(window.getByRole('status').filter({ hasText: 'Sign-in was cancelled.' })).toBeVisible();
    await expect(start).toBeEnabled();
    await expect(window.getByRole('button', { name: 'Cancel' })).toBeHidden();
    // The loopback listener is gone: a late answer from the browser finds nobody.
    await expect(fetch(authorization.searchParams.get('redirect_uri') ?? '')).rejects.toThrow();
  });

  test('signing out revokes the refresh token and opens the provider sign-out page', async ({
    app,
    oidcProvider,
    providerPages,
  }) => {
    const window = await app.setPolicy(oidcPolicy(oidcProvider));
    await window.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    await providerPages.signInNext('admin');
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();

    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' })
      .click();
    await expect(window.getByRole('status').filter({ hasText: 'You signed out.' })).toBeVisible();
    await expect(window.getByRole('button', { name: 'Sign in with Test IdP' })).toBeVisible();
    expect(oidcProvider.requests()).toContain('POST /token/revocation');

    const logout = await providerPages.nextUrl();
    expect(new URL(logout).pathname).toBe('/session/end');
    expect(await confirmProviderSignOut(providerPages.page, logout)).toBe(true);
  });
});
