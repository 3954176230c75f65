import { expect, test } from '../fixtures';

// An API that knows nothing of browsers: the reference server here sends no CORS header at all. The
// page still works because the host supplies them by the shell's rule — the composition root's
// corsPatch, applied by Electron's onHeadersReceived in the app and by a route in the browser host.
test.use({ serverSendsCors: false });

test('an API that sends no CORS headers works from the app: the shell adds them', async ({
  window,
  server,
  signIn,
}) => {
  const direct = await fetch(`${server.url}/health`, { headers: { Origin: 'app://tessera' } });
  expect([...direct.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);

  // Home's profile request: the page's own GET with a Bearer token.
  await signIn();
  await expect(window.getByRole('region', { name: 'Profile' })).toContainText('@demo');

  await window.getByRole('link', { name: 'Request console' }).click();
  await window.getByRole('button', { name: 'Send' }).click();
  const response = window.getByRole('region', { name: 'Response' });
  await expect(response.getByRole('status')).toHaveText(/^200 OK [\d.]+ (?:ms|sec) application\/json/);
  await expect(response).toContainText('"role": "user"');
  // Date is no CORS-safelisted header: the page reads it only because the shell exposes it.
  await expect(response.getByRole('rowheader', { name: 'date', exact: true })).toBeVisible();
});
