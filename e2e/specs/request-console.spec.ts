import { expect, test } from '../fixtures';

test.describe('the request console', () => {
  test('sends requests as the signed-in user and shows status, timing and body', async ({
    window,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const response = window.getByRole('region', { name: 'Response' });

    await window.getByRole('button', { name: 'Send' }).click();
    await expect(response.getByRole('status')).toHaveText(/^200 OK [\d.]+ (?:ms|sec) application\/json/);
    await expect(response).toContainText('"role": "user"');

    // demo is not an admin.
    await window.getByRole('textbox', { name: 'Path' }).fill('/api/admin/stats');
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(response.getByRole('status')).toHaveText(/^403 Forbidden/);
  });

  test('an admin (added with server.addUser) may read the admin route', async ({
    window,
    server,
    signIn,
  }) => {
    server.addUser({ username: 'qa-admin', password: 'qa-admin-password', role: 'admin' });
    await signIn('qa-admin', 'qa-admin-password');
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('@qa-admin');
    await window.getByRole('link', { name: 'Request console' }).click();

    await window.getByRole('textbox', { name: 'Path' }).fill('/api/admin/stats');
    await window.getByRole('button', { name: 'Send' }).click();

    const response = window.getByRole('region', { name: 'Response' });
    await expect(response.getByRole('status')).toHaveText(/^200 OK/);
    await expect(response).toContainText('"activeRefreshFamilies": 1');
  });

  test.describe('answers shown as they came', () => {
    test.beforeEach(async ({ window, signIn }) => {
      await signIn();
      await window.getByRole('link', { name: 'Request console' }).click();
    });

    test("a proxy's error page, though it is labelled JSON", async ({ window, server }) => {
      // failNext labels every answer application/json: a gateway's HTML page, as some proxies send it.
      server.failNext(1, {
        status: 502,
        path: '/api/user/me',
        body: '<html><h1>502 Bad Gateway</h1></html>',
      });
      await window.getByRole('button', { name: 'Send' }).click();

      const response = window.getByRole('region', { name: 'Response' });
      await expect(response.getByRole('status')).toHaveText(/^502 Bad Gateway/);
      await expect(response.getByRole('region', { name: 'Body' })).toHaveText(
        '<html><h1>502 Bad Gateway</h1></html>',
      );
    });

    test('a huge body: its first 200,000 characters, and a hint with its real size', async ({
      window,
      server,
    }) => {
      // 300,000 two-byte characters (600,000 bytes of UTF-8).
      server.failNext(1, { status: 200, path: '/api/user/me', body: 'é'.repeat(300_000) });
      await window.getByRole('button', { name: 'Send' }).click();

      const response = window.getByRole('region', { name: 'Response' });
      await expect(response.getByRole('status')).toHaveText(/^200 OK/);
      await expect(response).toContainText(
        'The body is 586 kB: only its first 200,000 characters are shown.',
      );
      expect(await response.getByRole('region', { name: 'Body' }).textContent()).toBe('é'.repeat(200_000));
    });
  });

  test('refuses a malformed body before sending anything', async ({ window, server, signIn }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    server.clearRequests();
    await window.getByRole('combobox', { name: 'Method' }).selectOption('POST');
    await window.getByRole('textbox', { name: 'Request body' }).fill('{ not json');
    await window.getByRole('button', { name: 'Send' }).click();

    await expect(window.getByRole('textbox', { name: 'Request body' })).toHaveAccessibleDescription(
      /The body is not valid JSON/,
    );
    expect(server.requests()).toEqual([]);

    // A path that does start with "/" is told what is wrong with it.
    const path = window.getByRole('textbox', { name: 'Path' });
    await path.fill('/api/user me');
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(path).toHaveAccessibleDescription(
      /A path cannot contain spaces or line breaks\. Write a space as %20\./,
    );
    await path.fill('//evil.example/x');
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(path).toHaveAccessibleDescription(
      /A path starts with a single \/, such as \/api\/user\/me\./,
    );
    expect(server.requests()).toEqual([]);
  });
});
