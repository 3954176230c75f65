import { expect, test } from '../fixtures';

test.describe('the server going away', () => {
  test('one banner says the server cannot be reached, keeps the session, and clears itself when it is back', async ({
    window,
    server,
    app,
    signIn,
  }) => {
    await signIn();
    const host = new URL(server.url).host;
    const panel = window.getByRole('complementary', { name: 'Session' });
    await server.stop();

    await panel.getByText('Details', { exact: true }).click();
    await panel.getByRole('button', { name: 'Refresh now' }).click();

    const banner = window.getByRole('alert');
    await expect(banner).toHaveText(`Can’t reach ${host}. You stay signed in.`);
    await expect(window.getByText(/^Retrying in \d+ s$|^Retrying…$/)).toBeVisible();
    await expect(panel.getByRole('status')).toHaveText('Reconnecting…');
    // Still signed in: same page, same person, refresh token still in the keychain.
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(window.getByRole('banner')).toContainText('Demo User');
    expect(await app.refreshToken('demo')).not.toBeNull();

    // A page that loads meanwhile waits quietly: still one alert, the address not repeated.
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Request console' })).toBeVisible();
    await window.getByRole('link', { name: 'Home' }).click();
    const profile = window.getByRole('region', { name: 'Profile' });
    await expect(profile).toHaveText(/Your profile will load as soon as the connection is back\./);
    await expect(window.getByRole('alert')).toHaveCount(1);
    await expect(window.getByText(server.url)).toHaveCount(0);

    await server.start();

    // Recovered on its own (backoff 1 s, 2 s, 4 s …): the banner clears itself and the profile that
    // failed meanwhile is loaded again.
    await expect(window.getByRole('alert')).toHaveCount(0, { timeout: 15_000 });
    await expect(profile).toContainText('Demo User');
    await expect(panel.getByRole('status')).toHaveText(/^Signed in · until /);
    expect(server.requests('/token/refresh').at(-1)?.status).toBe(200);
  });

  test('"Retry now" reloads what failed at once', async ({ window, server, signIn }) => {
    await signIn();
    await server.stop();
    // The session is fine (its token is still valid); the profile load fails and waits for the banner.
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Request console' })).toBeVisible();
    await window.getByRole('link', { name: 'Home' }).click();
    const profile = window.getByRole('region', { name: 'Profile' });
    await expect(profile).toHaveText(/Your profile will load as soon as the connection is back\./);
    await expect(window.getByRole('alert')).toHaveText(
      `Can’t reach ${new URL(server.url).host}. You stay signed in.`,
    );
    await expect(window.getByText(/^Retrying in \d+ s$/)).toBeVisible();

    await server.start();
    await window.getByRole('button', { name: 'Retry now' }).click();

    await expect(profile).toContainText('Demo User');
    await expect(window.getByRole('alert')).toHaveCount(0);
    expect(server.requests('/api/user/me').at(-1)?.status).toBe(200);
  });

  test('"Retry now" from the keyboard keeps focus: on the rebuilt banner’s button, then on the page heading once the banner goes', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await server.stop();
    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('link', { name: 'Home' }).click();
    const banner = window.getByRole('region', { name: 'Connection problem' });
    await expect(banner.getByRole('alert')).toContainText('Can’t reach');

    // Back, but busy: the banner is rebuilt for the new cause, and its new "Retry now" has focus.
    await server.start();
    server.failNext(1, { status: 503, path: '/api/user/me' });
    await banner.getByRole('button', { name: 'Retry now' }).focus();
    await window.keyboard.press('Enter');
    await expect(banner.getByRole('alert')).toHaveText('The server is busy. You stay signed in.');
    await expect(banner.getByRole('button', { name: 'Retry now' })).toBeFocused();

    // The next Enter loads the profile: the banner goes, and focus with it to the page's heading.
    await window.keyboard.press('Enter');
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    await expect(banner).toHaveCount(0);
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeFocused();
  });

  test('a profile load that failed is run again on its own (after 8 s) once the server is back', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await server.stop();
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Request console' })).toBeVisible();
    await window.getByRole('link', { name: 'Home' }).click();
    const profile = window.getByRole('region', { name: 'Profile' });
    await expect(profile).toHaveText(/Your profile will load as soon as the connection is back\./);
    await server.start();
    // No click: the banner's own retry (8 s after the failure) loads it and the banner clears.
    await expect(profile).toContainText('Demo User', { timeout: 15_000 });
    await expect(window.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('the banner at small windows', () => {
  for (const viewport of [
    { width: 800, height: 600 },
    { width: 320, height: 640 },
  ]) {
    test.describe(`${viewport.width}×${viewport.height}`, () => {
      test.use({ viewport });

      test('keeps the banner and Sign out in view', async ({ window, server, signIn }) => {
        await signIn();
        const panel = window.getByRole('complementary', { name: 'Session' });
        const signOut = panel.getByRole('button', { name: 'Sign out' });
        await expect(signOut).toBeInViewport();
        // Nothing is wider than the window (no sideways scrolling).
        expect(await window.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );

        await server.stop();
        await panel.getByText('Details', { exact: true }).click();
        await panel.getByRole('button', { name: 'Refresh now' }).click();
        await expect(window.getByRole('alert')).toBeInViewport();
        await expect(window.getByRole('button', { name: 'Retry now' })).toBeInViewport();
        // Scrolled to the end of the page, the banner is still at the top.
        await window.evaluate(() => globalThis.scrollTo(0, document.documentElement.scrollHeight));
        await expect(window.getByRole('alert')).toBeInViewport();
        await server.start();
      });
    });
  }
});

// WCAG 2.4.11 Focus Not Obscured: the banner stuck to the top of the window never hides the control
// that has focus, in a small window (800×600) and at 200 % zoom of it (400×300 CSS px), where the
// banner scrolls with the page instead of covering part of it all the time.
test.describe('the banner and focus', () => {
  for (const viewport of [
    { width: 800, height: 600 },
    { width: 400, height: 300 },
  ]) {
    test.describe(`${viewport.width}×${viewport.height}`, () => {
      test.use({ viewport });

      test('a Settings field reached with Shift+Tab is never behind the banner', async ({
        window,
        server,
        signIn,
      }) => {
        await signIn();
        await window.getByRole('link', { name: 'Settings' }).click();
        await server.stop();
        const panel = window.getByRole('complementary', { name: 'Session' });
        await panel.getByText('Details', { exact: true }).click();
        await panel.getByRole('button', { name: 'Refresh now' }).click();
        const banner = window.getByRole('region', { name: 'Connection problem' });
        await expect(banner.getByRole('alert')).toContainText('Can’t reach');
        // From the end of the form back up, as a keyboard user goes back to a field.
        await window.getByRole('button', { name: 'Save', exact: true }).focus();
        const hidden: string[] = [];
        for (let i = 0; i < 25; i++) {
          await window.keyboard.press('Shift+Tab');
          const behind = await window.evaluate(() => {
            const focused = document.activeElement as HTMLElement | null;
            const bar = document.querySelector('.connection-banner');
            if (!focused || !bar || bar.contains(focused) || focused === document.body) return null;
            const box = focused.getBoundingClientRect();
            const drawn = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return drawn && bar.contains(drawn)
              ? `${focused.tagName} ${focused.getAttribute('name') ?? focused.textContent?.trim().slice(0, 30)}`
              : null;
          });
          if (behind) hidden.push(behind);
        }
        expect(hidden).toEqual([]);
        await server.start();
      });
    });
  }
});
