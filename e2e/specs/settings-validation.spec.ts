import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, type TesseraApp, test } from '../fixtures';
import { skipWithReason } from '../support/skip';

test.describe('settings validation', () => {
  test('a server address main refuses is reported next to the field, in plain words, and not saved', async ({
    window,
    server,
  }) => {
    await window.getByRole('link', { name: 'Change server address' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const apiUrl = window.getByRole('textbox', { name: 'Server address' });
    await expect(apiUrl).toHaveValue(server.url);

    // http is allowed for loopback only.
    await apiUrl.fill('http://api.example.com');
    await window.getByRole('button', { name: 'Save' }).click();

    await expect(apiUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(apiUrl).toHaveAccessibleDescription(
      /^Enter a full address such as https:\/\/api\.example\.com, without spaces, \? or #, and with no port or a port from 1 to 65535\. http:\/\/ works only for this computer\./,
    );
    await expect(apiUrl).toBeFocused();
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toHaveCount(0);
  });

  test('a server address on port 0 is refused next to the field, naming the port', async ({
    window,
    server,
  }) => {
    await window.getByRole('link', { name: 'Change server address' }).click();
    const apiUrl = window.getByRole('textbox', { name: 'Server address' });
    await expect(apiUrl).toHaveValue(server.url);

    await apiUrl.fill('http://127.0.0.1:0');
    await window.getByRole('button', { name: 'Save' }).click();

    await expect(apiUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(apiUrl).toHaveAccessibleDescription(/with no port or a port from 1 to 65535\./);
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toHaveCount(0);
  });

  test('every invalid field is reported at once, none is saved, and the summary leads to each', async ({
    window,
    app,
    server,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const apiUrl = window.getByRole('textbox', { name: 'Server address' });
    const loginPath = window.getByRole('textbox', { name: 'Login path' });
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await apiUrl.fill('http://api.example.com');
    await loginPath.fill('login');
    await timeout.fill('soon');
    await window.getByRole('button', { name: 'Save' }).click();

    await expect(apiUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(loginPath).toHaveAccessibleDescription(
      'Enter a path on the server that starts with a single /, such as /login, without spaces, ? or #.',
    );
    await expect(timeout).toHaveAccessibleDescription(/^Enter a number of seconds from 1 to 120\./);
    // Developer wording (main's rule text, key names) never reaches the person.
    for (const shown of [window.getByRole('region', { name: 'Connection' }), window.getByRole('alert')]) {
      await expect(shown).not.toContainText('127.0.0.0/8');
      await expect(shown).not.toContainText('apiBaseUrl');
    }
    const summary = window.getByRole('alert');
    await expect(summary).toContainText('Not saved. Check these fields:');
    await expect(summary.getByRole('button')).toHaveText([
      'Server address',
      'Login path',
      'Request timeout (seconds)',
    ]);
    await expect(apiUrl).toBeFocused();
    await summary.getByRole('button', { name: 'Request timeout (seconds)' }).click();
    await expect(timeout).toBeFocused();
    expect(await app.connectionPrompts()).toEqual([]);

    // Fixed (the address back as it was, so main asks nothing), the change saves; the errors go away.
    await apiUrl.fill(server.url);
    await loginPath.fill('/signin');
    await timeout.fill('20');
    await window.getByRole('button', { name: 'Save' }).click();
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    await expect(timeout).not.toHaveAttribute('aria-invalid', 'true');
    await expect(window.getByRole('alert')).toHaveCount(0);
  });

  test('a valid change is saved in seconds, "Saved" clears on the next edit, and it survives a restart', async ({
    window,
    app,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await expect(timeout).toHaveValue('15');

    await timeout.fill('20');
    await window.getByRole('button', { name: 'Save' }).click();
    const saved = window.getByRole('status').filter({ hasText: 'Settings saved.' });
    await expect(saved).toBeVisible();
    await timeout.fill('25');
    await expect(saved).toHaveCount(0);
    await timeout.fill('20');

    const restarted = await app.restart();
    await restarted.getByRole('link', { name: 'Settings' }).click();
    await expect(restarted.getByRole('textbox', { name: 'Request timeout (seconds)' })).toHaveValue('20');
    await restarted.locator('summary', { hasText: 'About this configuration' }).click();
    await expect(
      restarted
        .getByRole('table', { name: 'About this configuration' })
        .getByRole('row', { name: /Request timeout \(ms\)/ })
        .getByRole('cell'),
    ).toHaveText(['20000', 'Your settings file']);
  });
});

test.describe('settings by trust level', () => {
  test('update settings are read-only in the page and refused from the bridge, only an administrator sets them', async ({
    window,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const feed = window.getByRole('textbox', { name: 'Update feed URL' });
    await expect(feed).toBeDisabled();
    await expect(feed).toHaveAccessibleDescription(/Only your administrator can change this/);
    await expect(window.getByRole('checkbox', { name: 'Check for updates' })).toBeDisabled();

    // Even a page that calls the bridge itself cannot point the updater at a feed of its choosing.
    const refusal = await window.evaluate(async () => {
      const bridge = (
        globalThis as unknown as { tessera: { settings: { update(p: unknown): Promise<unknown> } } }
      ).tessera;
      try {
        await bridge.settings.update({ updateUrl: 'https://attacker.example/feed' });
        return 'saved';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    });
    expect(refusal).toBe('ADMIN_SETTING');
  });
});

/** The built renderer the browser host serves (e2e/fixtures.ts). */
const RENDERER_DIR = join(import.meta.dirname, '..', '..', 'out', 'renderer');

/**
 * Serves the app with a buggy Settings page: its Save also sends `extra`, as a buggy or hostile page
 * could through the bridge. The browser host serves out/renderer through a route; this one takes
 * precedence and adds the keys to the patch the view builds (the spec fails if that line is gone).
 */
async function serveBuggySave(window: Page, app: TesseraApp, extra: Record<string, unknown>): Promise<Page> {
  if (app.kind !== 'browser')
    skipWithReason(test.info(), 'the page’s code is rewritten through a browser-host route');
  const built = 'const patch = buildPatch(shown.values, readForm(), locked());';
  let rewritten = 0;
  await window.route(/\/assets\/index-[\w-]+\.js$/, async (route) => {
    const file = join(RENDERER_DIR, new URL(route.request().url()).pathname);
    const code = readFileSync(file, 'utf8');
    if (code.includes(built)) rewritten += 1;
    await route.fulfill({
      contentType: 'text/javascript',
      body: code.replace(built, `${built} Object.assign(patch, ${JSON.stringify(extra)});`),
    });
  });
  await window.reload();
  await window.getByRole('link', { name: 'Settings' }).click();
  expect(rewritten, 'the Settings view still builds its patch in one line the spec can extend').toBe(1);
  return window;
}

/** Main's English text: only ever inside a closed "Details". */
async function expectOnlyUnderDetails(window: Page, text: string): Promise<void> {
  await expect(window.getByText(text).filter({ visible: true })).toHaveCount(0);
  const details = window.getByRole('alert').locator('details');
  await expect(details).toContainText(text);
  await details.locator('summary', { hasText: 'Details' }).click();
  await expect(details.getByText(text)).toBeVisible();
}

test.describe('refusals the page did not expect', () => {
  test('a setting with no field on the page is named in the person’s words, main’s text only under Details', async ({
    window,
    app,
  }) => {
    await serveBuggySave(window, app, { maxAccounts: 3 });
    await window.getByRole('button', { name: 'Save' }).click();

    const summary = window.getByRole('alert');
    await expect(summary).toContainText('Not saved. Check these fields:');
    await expect(summary.getByRole('listitem')).toHaveText([
      'Accounts signed in at once: Only your administrator can change this setting.',
    ]);
    await expect(summary).not.toContainText('This value is not allowed.');
    await expectOnlyUnderDetails(window, 'maxAccounts can only be set by your administrator');
  });

  test('a key main does not know gets a plain sentence, not main’s text', async ({ window, app }) => {
    await serveBuggySave(window, app, { favouriteColour: 'blue' });
    await window.getByRole('button', { name: 'Save' }).click();

    const summary = window.getByRole('alert');
    await expect(summary.getByRole('listitem')).toHaveText([
      'A setting that is not on this page could not be changed.',
    ]);
    await expectOnlyUnderDetails(window, 'Unknown setting "favouriteColour".');
  });

  test('a setting the organization locked while the page still showed it editable says it is managed', async ({
    window,
    app,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await timeout.fill('20');

    // IT locks the timeout; main applies it and reloads the window, but that reload does not land (it
    // stands for one still on its way), so the page the person edits sends the timeout main now refuses.
    const reloadAsked = new Promise<void>((resolve) => {
      void window.route(
        /\/index\.html$/,
        async (route) => {
          await route.abort('aborted');
          resolve();
        },
        { times: 1 },
      );
    });
    await app.changePolicy({ managed: { requestTimeoutMs: 30_000 } });
    await reloadAsked;
    await window.getByRole('button', { name: 'Save' }).click();

    await expect(timeout).toHaveAttribute('aria-invalid', 'true');
    await expect(timeout).toHaveAccessibleDescription(/This setting is managed by your organization\./);
    await expect(timeout).not.toHaveAccessibleDescription(/Enter a number of seconds/);
    await expect(window.getByRole('alert').getByRole('button')).toHaveText(['Request timeout (seconds)']);
    await expect(window.getByText('policy and cannot be changed').filter({ visible: true })).toHaveCount(0);

    // Once the page is loaded again, it shows the lock.
    await window.reload();
    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(timeout).toBeDisabled();
    await expect(timeout).toHaveValue('30');
  });
});

test.describe('a saved timeout that is no whole tenth of a second', () => {
  // 15.04 s typed and saved earlier: main keeps the whole milliseconds.
  test.use({ userSettings: { requestTimeoutMs: 15_040 } });

  test('is shown exactly, and leaving the untouched page asks nothing', async ({ window, signIn }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(window.getByRole('textbox', { name: 'Request timeout (seconds)' })).toHaveValue('15.04');
    await window.getByRole('link', { name: 'Home' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(window.getByRole('dialog', { name: 'Leave without saving?' })).toHaveCount(0);
  });
});
