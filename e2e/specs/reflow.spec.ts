import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

// WCAG 1.4.10 Reflow: at 320 CSS px (a 1280 px window at 400 % zoom) nothing needs sideways scrolling,
// even with a name, username or server address that has no place to break.
const USERNAME = 'maximilian.alexander.worthington-smythe@example-corporation-international.co.kr';
const NAME = 'Maximilian-Alexander-Worthington-Smythe-Fairweather';
const LONG_SERVER =
  'https://authentication-gateway.eu-central-production.example-corporation-international.co.kr';

/** How far the page is wider than the window (0 when it reflows), and what sticks out, for the failure message. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wider = document.documentElement.scrollWidth - width;
    const sticking = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .filter((element) => element.checkVisibility())
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
      .slice(0, 8);
    return { wider, sticking };
  });
}

test.describe('at 320 CSS px wide', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('long names, usernames and server addresses wrap instead of widening the page', async ({
    window,
    server,
    signIn,
  }) => {
    server.addUser({ username: USERNAME, password: 'long-password', role: 'admin', name: NAME });
    await signIn(USERNAME, 'long-password');
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText(NAME);
    expect(await overflow(window)).toEqual({ wider: 0, sticking: [] });

    await window.getByRole('button', { name: /^Account/ }).click();
    await expect(window.getByRole('menu', { name: 'Accounts' })).toBeVisible();
    expect(await overflow(window)).toEqual({ wider: 0, sticking: [] });
    await window.keyboard.press('Escape');

    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByText(`Requests go out as ${NAME}`)).toBeVisible();
    expect(await overflow(window)).toEqual({ wider: 0, sticking: [] });

    // Another server address, saved and confirmed: the sign-in page names its host.
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Server address' }).fill(LONG_SERVER);
    await window.getByRole('button', { name: 'Save', exact: true }).click();
    // The new API signs out of the old one and the window reloads for its CSP, still on Settings.
    await window.getByRole('link', { name: 'Sign in', exact: true }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByText(new URL(LONG_SERVER).host, { exact: true })).toBeVisible();
    expect(await overflow(window)).toEqual({ wider: 0, sticking: [] });
  });
});
