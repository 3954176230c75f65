import type { Page } from '@playwright/test';
import { shownRealm } from '../../main/core/network/proxy-auth';
import { PROXY_PROMPT_SIZE, proxyLoginPage } from '../../main/core/network/proxy-login-page';
import { endSession, expect, test } from '../fixtures';

// WCAG 1.4.10 Reflow: at 320 CSS px (a 1280 px window at 400 % zoom) nothing needs sideways scrolling,
// even with a name, username or server address that has no place to break. And with the system asking
// for reduced motion (prefers-reduced-motion: reduce) nothing moves. The tours below check every screen
// softly, so one run lists every screen that fails.
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

/** Every element (and ::before/::after) that animates or has a transition, and every running animation. */
async function motion(page: Page) {
  return page.evaluate(() => {
    const moving: string[] = [];
    const seconds = (list: string) => list.split(',').some((value) => Number.parseFloat(value) > 0);
    for (const element of [document.documentElement, ...document.querySelectorAll('body, body *')]) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(element, pseudo);
        const name = `${element.tagName.toLowerCase()}.${element.className}${pseudo ?? ''}`;
        if (style.transitionProperty !== 'none' && seconds(style.transitionDuration))
          moving.push(`${name}: transition ${style.transitionProperty} ${style.transitionDuration}`);
        if (style.animationName !== 'none' && seconds(style.animationDuration))
          moving.push(`${name}: animation ${style.animationName}`);
      }
    }
    if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth')
      moving.push('html: smooth scrolling');
    for (const animation of document.getAnimations()) moving.push(`running: ${animation.constructor.name}`);
    return moving;
  });
}

/** Checks the window as it is now, naming the stop in the failure. */
async function check(page: Page, stop: string) {
  expect.soft(await overflow(page), `${stop}: sideways scrolling`).toEqual({ wider: 0, sticking: [] });
  expect.soft(await motion(page), `${stop}: motion`).toEqual([]);
}

test.describe('at 320 CSS px wide with reduced motion', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('every screen reflows and nothing moves', async ({ window, server, signIn, openAddAccount }) => {
    test.slow();
    await window.emulateMedia({ reducedMotion: 'reduce' });
    const host = new URL(server.url).host;

    // Signed out: the sign-in page, after a wrong password.
    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').fill('wrong-password');
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(window.getByRole('alert')).toBeVisible();
    await check(window, 'sign-in');

    // Settings signed out, the connect wizard with its findings open, and the leave question.
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('button', { name: 'Connect to a server…' }).click();
    const wizard = window.getByRole('region', { name: 'Connect to a server' });
    await wizard.getByRole('textbox', { name: 'Server address' }).fill(server.url);
    await window.keyboard.press('Enter');
    await expect(wizard.getByRole('combobox', { name: 'API contract' })).toBeVisible();
    await wizard.getByText('What Tessera checked').click();
    await check(window, 'connect-wizard');
    await window.locator('summary', { hasText: 'About this configuration' }).click();
    await check(window, 'settings-signed-out');
    await window.getByRole('textbox', { name: 'Login path' }).fill('/signin');
    await window.getByRole('link', { name: 'Sign in', exact: true }).click();
    const leave = window.getByRole('dialog', { name: 'Leave without saving?' });
    await expect(leave).toBeVisible();
    await check(window, 'leave-question');
    await leave.getByRole('button', { name: 'Leave without saving' }).click();

    // Signed in: Home with the session's details, the account menu and "Add an account".
    await signIn();
    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    await check(window, 'home');
    await window.getByRole('button', { name: /^Account/ }).click();
    await expect(window.getByRole('menu', { name: 'Accounts' })).toBeVisible();
    await check(window, 'account-menu');
    await window.keyboard.press('Escape');
    const add = await openAddAccount();
    await add.getByRole('button', { name: 'Add account' }).click();
    await check(window, 'add-account');
    await window.keyboard.press('Escape');

    // The request console: a header, an answer and the history.
    await window.getByRole('link', { name: 'Request console' }).click();
    const headers = window.getByRole('group', { name: 'Request headers' });
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByRole('textbox', { name: 'Header 1 name' }).fill('X-Request-Purpose');
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);
    await check(window, 'request-console');

    // Settings signed in: a refused value, then the sign-out question.
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Request timeout (seconds)' }).fill('500');
    await window.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(window.getByText('Not saved. Check these fields:')).toBeVisible();
    await check(window, 'settings-refused');
    await panel.getByRole('button', { name: 'Sign out' }).click();
    await expect(window.getByRole('dialog', { name: 'Save your changes before signing out?' })).toBeVisible();
    await check(window, 'sign-out-question');
    await window.keyboard.press('Escape');

    // The server gone: the connection banner.
    await window.getByRole('link', { name: 'Home' }).click();
    await window.getByRole('dialog').getByRole('button', { name: 'Leave without saving' }).click();
    await server.stop();
    await panel.getByRole('button', { name: 'Refresh now' }).click();
    await expect(window.getByRole('alert').filter({ hasText: `Can’t reach ${host}` })).toBeVisible();
    await check(window, 'connection-banner');
    await server.start();

    // Signed out by the session's end: the sign-in page saying why.
    await endSession(window);
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await check(window, 'signed-out');
  });
});

test.describe('in Korean at 320 CSS px wide with reduced motion', () => {
  test.use({ viewport: { width: 320, height: 640 }, userSettings: { locale: 'ko' } });

  test('every screen reflows and nothing moves', async ({ window, server }) => {
    test.slow();
    await window.emulateMedia({ reducedMotion: 'reduce' });
    await window.getByRole('textbox', { name: '사용자 이름' }).fill('demo');
    await window.getByLabel('비밀번호').fill('wrong-password');
    await window.getByRole('button', { name: '로그인', exact: true }).click();
    await expect(window.getByRole('alert')).toBeVisible();
    await check(window, 'ko-sign-in');
    await window.locator('.nav-link[href="#/settings"]').click();
    await window.getByRole('button', { name: /^서버에 연결/ }).click();
    await window.getByRole('textbox', { name: '서버 주소' }).last().fill(server.url);
    await window.keyboard.press('Enter');
    await expect(window.getByRole('combobox', { name: 'API 계약' })).toBeVisible();
    await window.locator('.connect-wizard details summary').first().click();
    await window.locator('summary').last().click();
    await check(window, 'ko-settings-signed-out');
    await window.locator('.nav-link[href="#/sign-in"]').click();
    await window.getByRole('textbox', { name: '사용자 이름' }).fill('demo');
    await window.getByLabel('비밀번호').fill('demo-password');
    await window.getByRole('button', { name: '로그인', exact: true }).click();
    await expect(window.getByRole('heading', { level: 1, name: '홈' })).toBeVisible();
    await window.locator('.session-details summary').click();
    await check(window, 'ko-home');
    await window.locator('.account-switcher-button').click();
    await check(window, 'ko-account-menu');
    await window.keyboard.press('Escape');
    await window.locator('.nav-link[href="#/console"]').click();
    await window.locator('form button[type="submit"]').first().click();
    await expect(window.getByText(/^200 OK/)).toBeVisible();
    await check(window, 'ko-console');
    await window.locator('.nav-link[href="#/settings"]').click();
    await window.locator('input[name="requestTimeoutMs"]').fill('500');
    await window.locator('.settings-form button[type="submit"]').click();
    await expect(window.locator('.error-summary')).toBeVisible();
    await check(window, 'ko-settings-refused');
    await window.locator('.session-panel .button-danger').click();
    await expect(window.getByRole('dialog')).toBeVisible();
    await check(window, 'ko-sign-out-question');
  });
});

test('without reduced motion the check sees what moves: the countdown meter’s transition', async ({
  window,
  signIn,
}) => {
  // So that an empty list above means nothing moves, not a check that cannot see motion.
  await window.emulateMedia({ reducedMotion: 'no-preference' });
  await signIn();
  expect(await motion(window)).toContain('span.meter-fill: transition width 0.9s');
});

// The proxy sign-in prompt is a page of its own in a small window main opens (main/shell/proxy.ts), at
// PROXY_PROMPT_SIZE. With its most text (a retry line, the longest realm main shows, in wide letters)
// everything shows without scrolling, Sign in included, and nothing is wider than the window.
for (const locale of ['en', 'ko']) {
  test(`the proxy sign-in prompt shows all of its longest text in its window (${locale})`, async ({
    window,
  }) => {
    const page = await window.context().newPage();
    await page.setViewportSize(PROXY_PROMPT_SIZE);
    await page.setContent(
      proxyLoginPage(
        {
          proxy: 'proxy-gateway.corp.example.com:8080',
          realm: shownRealm('회사 네트워크 게이트웨이'.repeat(10)),
          scheme: 'basic',
          retry: true,
          attempt: 2,
          maxAttempts: 3,
        },
        locale,
      ),
    );
    const size = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
    expect(size.width).toBeLessThanOrEqual(PROXY_PROMPT_SIZE.width);
    expect(size.height).toBeLessThanOrEqual(PROXY_PROMPT_SIZE.height);
    await expect(page.getByRole('button', { name: locale === 'ko' ? '로그인' : 'Sign in' })).toBeInViewport({
      ratio: 1,
    });
    await page.close();
  });
}
