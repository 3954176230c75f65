import { expect, test } from '../fixtures';

/** Everything the page could have persisted or rendered: web storage, cookies, markup and field values. */
function pageSurfaces() {
  const g = globalThis as unknown as {
    localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
    sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
    document: {
      cookie: string;
      documentElement: { outerHTML: string };
      querySelectorAll(selector: string): Iterable<{ value: string }>;
    };
  };
  const dump = (storage: typeof g.localStorage) => {
    const entries: string[] = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i) ?? '';
      entries.push(`${key}=${storage.getItem(key) ?? ''}`);
    }
    return entries.join('\n');
  };
  return {
    localStorage: dump(g.localStorage),
    sessionStorage: dump(g.sessionStorage),
    documentCookie: g.document.cookie,
    dom: g.document.documentElement.outerHTML,
    fieldValues: [...g.document.querySelectorAll('input, textarea, select')]
      .map((field) => field.value)
      .join('\n'),
  };
}

test.describe('where tokens are (not) kept', () => {
  test('neither token is in web storage, cookies, the DOM or the logs', async ({ window, app, signIn }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);
    await window
      .getByRole('complementary', { name: 'Session' })
      .getByText('Details', { exact: true })
      .click();
    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Refresh now' })
      .click();
    await expect(
      window.getByRole('complementary', { name: 'Session' }).getByRole('button', { name: 'Refresh now' }),
    ).toBeEnabled();

    const accessToken = await app.accessToken();
    const refreshToken = await app.refreshToken();
    expect(accessToken).toMatch(/^eyJ/);
    expect(refreshToken?.length ?? 0).toBeGreaterThan(20);

    const surfaces = await window.evaluate(pageSurfaces);
    const cookies = JSON.stringify(await window.context().cookies());
    for (const token of [accessToken as string, refreshToken as string]) {
      for (const [name, text] of Object.entries({ ...surfaces, cookies, logs: app.logs() })) {
        expect(text.includes(token), `${name} must not contain a token`).toBe(false);
      }
    }
    // The log check means something only if there are logs.
    expect(app.logs()).toContain('signed in');
  });
});
