import type { Locator, Page } from '@playwright/test';
import { expect, type TesseraApp, type TestServer, test } from '../fixtures';

// IT's `allowedApiOrigins` (docs/it-guide.md): wherever main refuses a server the list does not name,
// the person reads, in their words, that their organization does not allow Tessera to connect to that
// server and what to do next, on the field they changed. Main's English sentence (naming the setting)
// is never shown outside "Details".

const originOf = (server: TestServer) => new URL(server.url).origin;
const refused = (server: TestServer) =>
  `Your organization does not allow Tessera to connect to ${originOf(server)}.`;
const next = 'Choose a server your organization has approved, or ask your administrator.';
/** Main's English message: only ever inside a closed "Details". */
const MAIN_TEXT = /send sign-ins or tokens|\(allowedApiOrigins\)/;

async function expectNoMainTextShown(window: Page): Promise<void> {
  await expect(window.getByText(MAIN_TEXT).filter({ visible: true })).toHaveCount(0);
  await expect(window.getByText('This setting is managed by your organization.')).toHaveCount(0);
}

/** Checks the refusal of `server` is said on `field`, which has focus, and nothing reached the server. */
async function expectRefusedOn(field: Locator, window: Page, server: TestServer): Promise<void> {
  await expect(field).toHaveAccessibleDescription(new RegExp(`${literal(refused(server))} ${next}`));
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expectNoMainTextShown(window);
  expect(server.requests()).toEqual([]);
}

/** Signs in as demo on the sign-in page and checks it is refused, naming `server`, with nothing sent. */
async function expectSignInRefused(window: Page, server: TestServer): Promise<void> {
  await window.getByRole('textbox', { name: 'Username' }).fill('demo');
  await window.getByLabel('Password').fill('demo-password');
  server.clearRequests();
  await window.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(window.getByRole('alert')).toContainText(`${refused(server)} ${next}`);
  await expectNoMainTextShown(window);
  expect(server.requests()).toEqual([]);
}

/** Restarts the app under a policy allowing only `allowed`, and opens Settings from the sign-in page. */
async function settingsAllowingOnly(app: TesseraApp, allowed: TestServer): Promise<Page> {
  const window = await app.setPolicy({ managed: { allowedApiOrigins: originOf(allowed) } });
  await window.getByRole('link', { name: 'Change server address' }).click();
  return window;
}

/** Opens the connect wizard from Settings and types `url` into its Server address. */
async function openWizard(window: Page, url: string): Promise<Locator> {
  await window.getByRole('button', { name: 'Connect to a server…' }).click();
  const wizard = window.getByRole('region', { name: 'Connect to a server' });
  await wizard.getByRole('textbox', { name: 'Server address' }).fill(url);
  await wizard.getByRole('button', { name: 'Check server' }).click();
  return wizard;
}

test.describe('a server outside the organization’s allowedApiOrigins', () => {
  test('Settings: saving another server address is refused on the Server address field, in plain words', async ({
    app,
    server,
    otherServer,
  }) => {
    const window = await settingsAllowingOnly(app, server);
    const address = window.getByRole('textbox', { name: 'Server address' });
    await address.fill(otherServer.url);
    otherServer.clearRequests();
    await window.getByRole('button', { name: 'Save' }).click();

    await expectRefusedOn(address, window, otherServer);
    // The summary above Save names the field and takes the person to it.
    const summary = window.getByRole('alert').filter({ hasText: 'Not saved.' });
    await expect(summary.getByRole('button', { name: 'Server address' })).toBeVisible();
    // Nothing was asked or saved.
    expect(await app.connectionPrompts()).toEqual([]);
    await expect(address).toHaveValue(otherServer.url);
  });

  test('connect wizard: checking a server outside the list is refused on its Server address field', async ({
    app,
    server,
    otherServer,
  }) => {
    const window = await settingsAllowingOnly(app, server);
    otherServer.clearRequests();
    const wizard = await openWizard(window, otherServer.url);
    await expectRefusedOn(wizard.getByRole('textbox', { name: 'Server address' }), window, otherServer);
  });

  test('connect wizard: a trial sign-in whose contract sends the password elsewhere is refused on the contract', async ({
    app,
    server,
    otherServer,
  }) => {
    const window = await settingsAllowingOnly(app, server);
    const wizard = await openWizard(window, server.url);
    await expect(wizard.getByRole('combobox', { name: 'API contract' })).toBeVisible();
    await wizard.getByRole('checkbox', { name: 'Edit the contract details' }).check();
    const contract = wizard.getByRole('textbox', { name: 'Contract details (JSON)' });
    await contract.fill(JSON.stringify({ login: { path: `${otherServer.url}/api/auth/login` } }));
    await wizard.getByRole('textbox', { name: 'Username' }).fill('demo');
    await wizard.getByLabel('Password').fill('demo-password');
    otherServer.clearRequests();
    await wizard.getByRole('button', { name: 'Try sign-in' }).click();

    await expectRefusedOn(contract, window, otherServer);
    await expect(wizard.getByRole('textbox', { name: 'Server address' })).not.toHaveAttribute('aria-invalid');
  });

  test('sign-in page: signing in at a server the list does not name says so, and what to do', async ({
    app,
    server,
    otherServer,
  }) => {
    // IT allows only the other server; this app is set to `server`.
    const window = await app.setPolicy({ managed: { allowedApiOrigins: originOf(otherServer) } });
    await expectSignInRefused(window, server);
  });

  test('in Korean: the sign-in page says it in the person’s language', async ({
    app,
    server,
    otherServer,
  }) => {
    const window = await app.setPolicy({
      managed: { allowedApiOrigins: originOf(otherServer) },
      defaults: { locale: 'ko' },
    });
    await window.getByRole('textbox', { name: '사용자 이름' }).fill('demo');
    await window.getByLabel('비밀번호').fill('demo-password');
    await window.getByRole('button', { name: '로그인', exact: true }).click();
    await expect(window.getByRole('alert')).toContainText(
      `조직에서 Tessera가 ${originOf(server)}에 연결하는 것을 허용하지 않습니다. 조직에서 승인한 서버를 선택하거나 관리자에게 문의하세요.`,
    );
    await expectNoMainTextShown(window);
  });

  test('Add account: another server outside the list is refused on the dialog’s Server address field', async ({
    app,
    server,
    otherServer,
    signIn,
    openAddAccount,
  }) => {
    await app.setPolicy({ managed: { allowedApiOrigins: originOf(server) } });
    await signIn();
    const window = app.window;
    const dialog = await openAddAccount();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('demo');
    await dialog.getByLabel('Password').fill('demo-password');
    const address = dialog.getByRole('textbox', { name: 'Server address' });
    await address.fill(otherServer.url);
    otherServer.clearRequests();
    await dialog.getByRole('button', { name: 'Add account' }).click();

    await expectRefusedOn(address, window, otherServer);
    // The password typed stays for another try; nothing was asked.
    await expect(dialog.getByLabel('Password')).toHaveValue('demo-password');
    expect(await app.connectionPrompts()).toEqual([]);
  });

  test('start-up: an account the new list no longer allows is not restored, and the sign-in page says why', async ({
    app,
    server,
    otherServer,
    signIn,
  }) => {
    await signIn();
    const window = await app.setPolicy({ managed: { allowedApiOrigins: originOf(otherServer) } });
    // Not restored: the sign-in page, no token in main, and it says why the account is gone.
    await expect(window.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    expect(await app.accessToken()).toBeNull();
    await expect(window.getByRole('alert')).toContainText(`${refused(server)} ${next}`);
    await expectNoMainTextShown(window);
    await expectSignInRefused(window, server);
  });
});

/** `text` as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
