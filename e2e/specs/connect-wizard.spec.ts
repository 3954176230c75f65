import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/** Opens Settings (signed out: from the sign-in page), then the connect wizard, and checks `url`. */
async function checkServer(window: Page, url: string): Promise<Locator> {
  await window.getByRole('link', { name: 'Change server address' }).click();
  await window.getByRole('button', { name: 'Connect to a server…' }).click();
  const wizard = window.getByRole('region', { name: 'Connect to a server' });
  // Keyboard first: opening the wizard puts the caret in its address field.
  await expect(wizard.getByRole('textbox', { name: 'Server address' })).toBeFocused();
  await window.keyboard.type(url);
  await window.keyboard.press('Enter');
  await expect(wizard.getByRole('combobox', { name: 'API contract' })).toBeVisible();
  return wizard;
}

/** Fills the wizard's trial sign-in and presses "Try sign-in". */
async function trySignIn(wizard: Locator, username = 'demo', password = 'demo-password'): Promise<void> {
  await wizard.getByRole('textbox', { name: 'Username' }).fill(username);
  await wizard.getByLabel('Password').fill(password);
  await wizard.getByRole('button', { name: 'Try sign-in' }).click();
}

test.describe('the connect wizard', () => {
  test('proposes tessera for the reference server it runs against, with the reason and the evidence', async ({
    window,
    server,
  }) => {
    const wizard = await checkServer(window, server.url);
    await expect(
      wizard.getByRole('status').filter({ hasText: 'Proposed contract: Tessera reference server.' }),
    ).toContainText('Its /health answered like the Tessera reference server.');
    await expect(wizard.getByRole('combobox', { name: 'API contract' })).toHaveValue('tessera');
    await wizard.getByText('What Tessera checked').click();
    await expect(wizard.getByRole('listitem').filter({ hasText: 'GET /health: 200, matches' })).toBeVisible();
    // Credential-free probe: no sign-in request reached the server.
    expect(server.requests('/login')).toEqual([]);
  });

  test('switching to a second server: the trial sign-in and the save are each confirmed in main, and the app then works there', async ({
    app,
    window,
    otherServer,
    keychain,
    signIn,
  }) => {
    const wizard = await checkServer(window, otherServer.url);
    await expect(
      wizard.getByRole('status').filter({ hasText: 'Proposed contract: Tessera reference server.' }),
    ).toBeVisible();

    await trySignIn(wizard);
    await expect(wizard.getByRole('status').filter({ hasText: 'Sign-in worked.' })).toContainText(
      'The test session was ended on the server.',
    );
    // Main asked before the probe reached the server (the page names the URL), then before the trial.
    const [probe, trial] = await app.connectionPrompts();
    expect(probe?.message).toBe('Check a different server?');
    expect(probe?.detail).toContain(`Server: ${otherServer.url}`);
    expect(trial?.message).toBe('Try signing in to a different server?');
    expect(trial?.detail).toContain(`Server: ${otherServer.url}`);
    // The trial kept nothing: its refresh token was revoked there, and none is in the keychain.
    const seen = otherServer.requests().map((r) => `${r.method} ${r.path}`);
    expect(seen.slice(0, 6).sort()).toEqual(
      [
        'GET /.well-known/openid-configuration',
        'POST /api/token/',
        'GET /server/info',
        'GET /auth/v1/settings',
        'GET /api/health',
        'GET /health',
      ].sort(),
    );
    expect(
      otherServer
        .requests()
        .slice(6)
        .map((r) => `${r.method} ${r.path} ${r.status}`),
    ).toEqual(['POST /login 200', 'POST /logout 204']);
    await app.keychainSettled();
    expect(await keychain.refreshToken(otherServer.url, 'demo')).toBeNull();

    const reloaded = window.waitForEvent('load');
    await wizard.getByRole('button', { name: 'Save and connect' }).click();
    await reloaded;
    const prompts = await app.connectionPrompts();
    expect(prompts.map((prompt) => prompt.message)).toEqual([
      'Check a different server?',
      'Try signing in to a different server?',
      'Connect Tessera to a different server?',
    ]);
    // Saved, and the reloaded window keeps its place; the person signs in again, at the new server.
    await expect(window.getByRole('textbox', { name: 'Server address' })).toHaveValue(otherServer.url);
    await window.getByRole('link', { name: 'Sign in' }).click();
    otherServer.clearRequests();
    await signIn();
    expect(otherServer.requests('/login')).toHaveLength(1);
  });

  test('a trial sign-in answered with something unusable says so in plain words, main’s detail under Details', async ({
    window,
    otherServer,
  }) => {
    const wizard = await checkServer(window, otherServer.url);
    await expect(wizard.getByRole('combobox', { name: 'API contract' })).toHaveValue('tessera');
    otherServer.failNext(1, { path: '/login', status: 200, body: '{"token": 42}' });
    await trySignIn(wizard);

    const alert = wizard.getByRole('alert');
    await expect(alert).toContainText('gave an answer Tessera does not understand');
    await expect(alert).not.toContainText('accessToken', { useInnerText: true });
    // Before, the sentence alone: nothing for whoever supports the person to go on.
    const details = alert.locator('details');
    await expect(details).not.toHaveAttribute('open');
    await expect(details).toContainText('accessToken');
  });

  test('a trial sign-in of a server whose access tokens last a week says "7 days", not thousands of minutes', async ({
    window,
    otherServer,
  }) => {
    otherServer.setTokenLifetimes({ accessSeconds: 7 * 86_400 });
    const wizard = await checkServer(window, otherServer.url);
    await trySignIn(wizard);
    await expect(wizard.getByRole('status').filter({ hasText: 'Sign-in worked.' })).toContainText(
      'Sign-in worked. The access token lasts 7 days.',
    );
  });

  test('when the person declines checking a server in main: the page says so and nothing reached it', async ({
    app,
    window,
    otherServer,
  }) => {
    await app.answerConnectionChanges('cancel');
    await window.getByRole('link', { name: 'Change server address' }).click();
    await window.getByRole('button', { name: 'Connect to a server…' }).click();
    const wizard = window.getByRole('region', { name: 'Connect to a server' });
    // A path that could carry what a compromised page read: main names only the server.
    await wizard.getByRole('textbox', { name: 'Server address' }).fill(`${otherServer.url}/carried-data`);
    await wizard.getByRole('button', { name: 'Check server' }).click();
    await expect(
      wizard
        .getByRole('status')
        .filter({ hasText: 'Not checked: you did not confirm checking this server.' }),
    ).toBeVisible();
    const [probe] = await app.connectionPrompts();
    expect(probe?.message).toBe('Check a different server?');
    expect(probe?.detail).toContain(`Server: ${otherServer.url}\n`);
    expect(otherServer.requests()).toEqual([]);
  });

  test('when the person declines in main: the trial sends nothing and the save stores nothing', async ({
    app,
    window,
    server,
    otherServer,
  }) => {
    const wizard = await checkServer(window, otherServer.url);
    await app.answerConnectionChanges('cancel');

    await trySignIn(wizard);
    await expect(
      wizard
        .getByRole('status')
        .filter({ hasText: 'Not tried: you did not confirm sending your sign-in to this server.' }),
    ).toBeVisible();
    expect(otherServer.requests('/login')).toEqual([]);

    await wizard.getByRole('button', { name: 'Save and connect' }).click();
    await expect(
      wizard.getByRole('status').filter({ hasText: 'Not saved: you did not confirm the new server.' }),
    ).toBeVisible();
    expect((await app.connectionPrompts()).map((prompt) => prompt.message)).toEqual([
      'Check a different server?',
      'Try signing in to a different server?',
      'Connect Tessera to a different server?',
    ]);
    const restarted = await app.restart();
    await restarted.getByRole('link', { name: 'Change server address' }).click();
    await expect(restarted.getByRole('textbox', { name: 'Server address' })).toHaveValue(server.url);
  });

  test('proposes simplejwt for a server answering as SimpleJWT documents, and names a bad field of an edited contract before anything is sent', async ({
    app,
    window,
    simpleJwtStandIn,
  }) => {
    const wizard = await checkServer(window, simpleJwtStandIn.url);
    await expect(
      wizard.getByRole('status').filter({ hasText: 'Proposed contract: Django REST framework SimpleJWT.' }),
    ).toContainText('Its /api/token/ route asked for username, password');
    // Only the probe reached it: one empty POST, no credentials.
    expect(simpleJwtStandIn.requests()).toContain('POST /api/token/');
    const probed = simpleJwtStandIn.requests().length;

    // A custom contract starts from the whole SimpleJWT contract, as JSON the person edits.
    await wizard.getByRole('combobox', { name: 'API contract' }).selectOption('custom');
    const contract = wizard.getByRole('textbox', { name: 'Contract details (JSON)' });
    await expect(contract).toHaveValue(/"path": "\/api\/token\/"/);
    await contract.fill('{"login": {"path": "/api/token/", "passwrd": "x"}}');
    await trySignIn(wizard);
    await expect(contract).toHaveAccessibleDescription(
      /The contract is not valid\..*unknown field "passwrd"/,
    );
    await expect(contract).toBeFocused();

    await contract.fill('{"login": ');
    await trySignIn(wizard);
    await expect(contract).toHaveAccessibleDescription(/This is not valid JSON\./);

    // Neither attempt asked the person (main asked once, for the probe) or sent anything.
    expect((await app.connectionPrompts()).map((prompt) => prompt.message)).toEqual([
      'Check a different server?',
    ]);
    expect(simpleJwtStandIn.requests()).toHaveLength(probed);
  });

  test.describe('on first run, when no API has been chosen', () => {
    test.use({ firstRun: true });

    test('the sign-in page offers the wizard, and after the confirmed save the person signs in at that server', async ({
      app,
      window,
      server,
      signIn,
    }) => {
      await expect(window.getByText('Tessera is not connected to your server yet.')).toBeVisible();
      await window.getByRole('button', { name: 'Connect to a server…' }).click();
      const wizard = window.getByRole('region', { name: 'Connect to a server' });
      await wizard.getByRole('textbox', { name: 'Server address' }).fill(server.url);
      await wizard.getByRole('button', { name: 'Check server' }).click();
      await expect(
        wizard.getByRole('status').filter({ hasText: 'Proposed contract: Tessera reference server.' }),
      ).toBeVisible();

      const reloaded = window.waitForEvent('load');
      await wizard.getByRole('button', { name: 'Save and connect' }).click();
      await reloaded;
      expect((await app.connectionPrompts()).map((prompt) => prompt.message)).toEqual([
        'Check a different server?',
        'Connect Tessera to a different server?',
      ]);
      // Chosen now: no more first-run offer, and signing in reaches the server.
      await expect(window.getByText('Tessera is not connected to your server yet.')).toBeHidden();
      await signIn();
      expect(server.requests('/login')).toHaveLength(1);
    });
  });
});
