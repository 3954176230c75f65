import { expect, test } from '../fixtures';
import { BROWSER_APP_ORIGIN } from '../support/host-names';

test.describe('the request console', () => {
  test('Ctrl+Enter sends; the response takes focus; a new attempt clears the old response', async ({
    window,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const response = window.getByRole('region', { name: 'Response' });
    const path = window.getByRole('textbox', { name: 'Path' });

    await path.fill('/api/admin/stats');
    await path.press('Control+Enter');
    await expect(response.getByRole('status')).toHaveText(/^403 Forbidden/);
    await expect(response.getByRole('heading', { name: 'Response' })).toBeFocused();

    // A path that cannot be sent: the stale 403 does not stay under the new error.
    await path.fill('no-slash');
    await path.press('Control+Enter');
    await expect(path).toHaveAttribute('aria-invalid', 'true');
    await expect(response.getByRole('status')).toHaveText('');
    await expect(response).toContainText('No request sent yet.');
    await expect(response).not.toContainText('Forbidden');
  });

  test('a slow server is "Timed out after 1 s" (the timeout from Settings), a dropped connection "Cannot reach the server"', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Request timeout (seconds)' }).fill('1');
    await window.getByRole('button', { name: 'Save' }).click();
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    await window.getByRole('link', { name: 'Request console' }).click();
    const response = window.getByRole('region', { name: 'Response' });

    server.failNext(1, { delayMs: 4000, path: '/api/user/me' });
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(response.getByRole('alert')).toHaveText(
      `Timed out after 1 s: the server at ${server.url} did not answer in time. It may be busy; try again, or raise the request timeout in Settings.`,
    );

    server.failNext(1, { resetConnection: true, path: '/api/user/me' });
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(response.getByRole('alert')).toContainText(`Cannot reach the server at ${server.url}.`);

    const history = window.getByRole('region', { name: 'History' });
    await expect(history.getByRole('listitem')).toHaveText([
      /^GET\/api\/user\/meNo connection/,
      /^GET\/api\/user\/meTimed out/,
    ]);
  });

  test('a request in flight can be cancelled', async ({ window, server, signIn }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const response = window.getByRole('region', { name: 'Response' });
    server.failNext(1, { delayMs: 10_000, path: '/api/user/me' });

    await window.getByRole('button', { name: 'Send' }).click();
    await expect(response).toContainText('Waiting for the server…');
    await window.getByRole('button', { name: 'Cancel request' }).click();
    await expect(response).toContainText('You cancelled the request.');
    await expect(response.getByRole('alert')).toHaveCount(0);
    await expect(window.getByRole('button', { name: 'Cancel request' })).toBeHidden();
    await expect(window.getByRole('button', { name: 'Send' })).toBeEnabled();
    await expect(window.getByRole('region', { name: 'History' }).getByRole('listitem')).toHaveText([
      /Cancelled/,
    ]);
  });

  test('sends the headers the person adds; Authorization is Tessera’s, shown masked, and refused when typed', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const headers = window.getByRole('group', { name: 'Request headers' });
    await expect(headers).toContainText('AuthorizationBearer •••• (added by Tessera)');

    await headers.getByRole('button', { name: 'Add header' }).click();
    await expect(headers.getByRole('textbox', { name: 'Header 1 name' })).toBeFocused();
    // A CORS-safelisted header: no preflight, so it reaches the API on both hosts (the shell's CORS
    // rule allows only the API's own allowed headers beyond these).
    await headers.getByRole('textbox', { name: 'Header 1 name' }).fill('Accept-Language');
    await headers.getByRole('textbox', { name: 'Header 1 value' }).fill('ko-KR');
    const sent = window.waitForRequest(
      (r) => r.url() === `${server.url}/api/user/me` && r.method() === 'GET',
    );
    await window.getByRole('button', { name: 'Send' }).click();
    const request = await sent;
    expect(request.headers()['accept-language']).toBe('ko-KR');
    expect(request.headers().authorization).toMatch(/^Bearer ey/);
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);

    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByRole('textbox', { name: 'Header 2 name' }).fill('authorization');
    await headers.getByRole('textbox', { name: 'Header 2 value' }).fill('Bearer mine');
    server.clearRequests();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(headers.getByRole('textbox', { name: 'Header 2 name' })).toHaveAccessibleDescription(
      'Tessera adds the Authorization header with your access token itself. Remove this row.',
    );
    expect(server.requests()).toEqual([]);
    await headers.getByRole('button', { name: 'Remove header 2' }).click();
    await expect(headers.getByRole('textbox', { name: 'Header 2 name' })).toHaveCount(0);
  });

  test('a header value a header cannot carry (Korean, curly quotes) is refused on its row, before sending', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const headers = window.getByRole('group', { name: 'Request headers' });
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByRole('textbox', { name: 'Header 1 name' }).fill('X-Note');
    const value = headers.getByRole('textbox', { name: 'Header 1 value' });
    await value.fill('안녕 café');
    server.clearRequests();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(value).toHaveAccessibleDescription(/^A header value can only use Latin letters/);
    await expect(value).toBeFocused();
    await expect(value).toHaveAttribute('aria-invalid', 'true');
    // Nothing was sent, nothing failed: no alert with the browser's own words, no history entry.
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('alert')).toHaveCount(0);
    await expect(window.getByRole('region', { name: 'History' })).toContainText('No requests yet.');
    expect(server.requests()).toEqual([]);

    // A method override naming TRACE: Chromium would drop the header without a word.
    await headers.getByRole('textbox', { name: 'Header 1 name' }).fill('X-HTTP-Method-Override');
    await value.fill('TRACE');
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(value).toHaveAccessibleDescription(
      'The browser does not send X-HTTP-Method-Override when it names CONNECT, TRACE or TRACK. Change the value, or remove this row.',
    );
    await expect(value).toBeFocused();
    expect(server.requests()).toEqual([]);
  });

  test('copies the response body', async ({ window, signIn }) => {
    await window
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BROWSER_APP_ORIGIN });
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('button', { name: 'Send' }).click();
    const response = window.getByRole('region', { name: 'Response' });
    await expect(response.getByRole('region', { name: 'Body' })).toContainText('"username": "demo"');

    // The copy result's live region is there, empty, before it speaks (one appearing with its text is
    // not announced).
    const copyResult = response.locator('[aria-live="polite"]');
    await expect(copyResult).toHaveText('');
    await expect(copyResult).toBeAttached();
    expect(await copyResult.evaluate((element) => getComputedStyle(element).display)).not.toBe('none');
    await response.getByRole('button', { name: 'Copy body' }).click();
    await expect(copyResult).toHaveText('Copied.');
    await expect(copyResult).toBeVisible();
    const copied = await window.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied)).toMatchObject({ username: 'demo' });
  });

  test('keeps the last 50 requests (method, path, status, time), newest first; one refills the form', async ({
    window,
    signIn,
  }) => {
    // 51 real requests through the UI, on a machine that may be busy.
    test.setTimeout(120_000);
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const path = window.getByRole('textbox', { name: 'Path' });
    const status = window.getByRole('region', { name: 'Response' }).getByRole('status');
    for (let n = 1; n <= 51; n += 1) {
      await path.fill(`/api/user/me?n=${n}`);
      await path.press('Control+Enter');
      await expect(status).toHaveText(/^200 OK/);
      await expect(window.getByRole('button', { name: 'Send' })).toBeEnabled();
    }
    const entries = window.getByRole('region', { name: 'History' }).getByRole('listitem');
    await expect(entries).toHaveCount(50);
    await expect(entries.first()).toHaveText(/^GET\/api\/user\/me\?n=51200\d\d:\d\d:\d\d/);
    await expect(entries.last()).toContainText('/api/user/me?n=2');

    await window.getByRole('combobox', { name: 'Method' }).selectOption('DELETE');
    await path.fill('/elsewhere');
    await entries.getByRole('button', { name: /\/api\/user\/me\?n=7 / }).click();
    await expect(path).toHaveValue('/api/user/me?n=7');
    await expect(window.getByRole('combobox', { name: 'Method' })).toHaveValue('GET');

    // In memory only: a restart forgets it.
    await window.reload();
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByRole('region', { name: 'History' })).toContainText('No requests yet.');
    await path.press('Control+Enter');
    await expect(entries).toHaveCount(1);
    // "Clear history" from the keyboard hides itself: focus goes to the History heading, not the body.
    await window.getByRole('button', { name: 'Clear history' }).focus();
    await window.keyboard.press('Enter');
    await expect(entries).toHaveCount(0);
    const history = window.getByRole('region', { name: 'History' });
    await expect(history).toContainText('No requests yet.');
    await expect(history.getByRole('heading', { name: 'History' })).toBeFocused();
  });
});
