// The "system browser" of the OIDC tests: Debian's Chromium driven by Playwright through the test
// provider's dev interaction pages (any login, then consent). Never `playwright install`.
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../support/chromium';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Blocks everything that is not loopback: the provider pages must not reach the internet. */
export async function keepOnLoopback(target: BrowserContext | Page): Promise<void> {
  await target.route(
    (url) => !LOOPBACK.test(url.hostname),
    (route) => route.abort(),
  );
}

/** True once the page shows Tessera's loopback callback answer. */
function onCallback(page: Page): boolean {
  const url = URL.parse(page.url());
  return url !== null && url.hostname === '127.0.0.1' && url.pathname === '/callback';
}

/**
 * Walks the provider's pages at `url` (the authorization URL the app opened): logs in as `login` when
 * asked, consents when asked, until the browser lands on the app's loopback callback page.
 */
export async function completeProviderSignIn(page: Page, url: string, login = 'demo'): Promise<void> {
  await page.goto(url);
  for (let step = 0; step < 6 && !onCallback(page); step++) {
    const loginBox = page.locator('input[name="login"]');
    if (await loginBox.count()) {
      await loginBox.fill(login);
      await page.locator('input[name="password"]').fill('any-password');
    }
    // The login form's "Sign-in" and the consent page's "Continue" are both the page's submit button.
    await Promise.all([page.waitForLoadState('load'), page.locator('button[type="submit"]').first().click()]);
  }
  if (!onCallback(page)) throw new Error(`the provider did not redirect back to the app (at ${page.url()})`);
}

/** Opens the provider's pages at `url` and presses its "[ Cancel ]" link: the person refuses. */
export async function denyProviderSignIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/callback'),
    page.getByText('[ Cancel ]').click(),
  ]);
}

/**
 * Opens the provider's RP-initiated logout page and confirms it ("Yes, sign me out"); true when the
 * provider asked (it only asks in a browser that holds its session), then waits for "Signed out".
 */
export async function confirmProviderSignOut(page: Page, url: string): Promise<boolean> {
  await page.goto(url);
  const confirm = page.getByRole('button', { name: 'Yes, sign me out' });
  const asked = (await confirm.count()) > 0;
  if (asked) await Promise.all([page.waitForURL((u) => u.pathname !== '/session/end'), confirm.click()]);
  await page.getByRole('heading', { name: 'Signed out' }).waitFor();
  return asked;
}

/** URLs the app opened, handed to the test in order; `next()` waits for one that is still to come. */
export function createUrlQueue(defaultTimeoutMs: number) {
  const queue: string[] = [];
  const waiters: Array<(url: string) => void> = [];
  return {
    push(url: string): void {
      const waiter = waiters.shift();
      if (waiter) waiter(url);
      else queue.push(url);
    },
    next(timeoutMs = defaultTimeoutMs): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        const queued = queue.shift();
        if (queued !== undefined) return resolve(queued);
        const timer = setTimeout(() => reject(new Error('the app opened no URL in time')), timeoutMs);
        waiters.push((url) => {
          clearTimeout(timer);
          resolve(url);
        });
      });
    },
    clear(): void {
      queue.length = 0;
    },
  };
}

/** A browser for the core's `openExternal`: every opened URL is queued for the test to act on. */
export interface ProviderBrowser {
  browser: Browser;
  /** Pass as the core's `openExternal`: records the URL and returns at once, like a real browser launch. */
  openExternal(url: string): Promise<void>;
  /** The next URL the app opens (waits for it). */
  nextUrl(timeoutMs?: number): Promise<string>;
  /** Every URL opened so far. */
  opened: string[];
  /** A fresh page in a fresh context (no provider cookies), loopback only. */
  newPage(): Promise<Page>;
  /** Opens the next URL the app opens and signs in there as `login`. */
  signInNext(login?: string): Promise<void>;
  /** Forgets URLs nobody acted on (between tests) and closes the pages opened so far. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Launches Chromium for a suite. */
export async function launchProviderBrowser(): Promise<ProviderBrowser> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const opened: string[] = [];
  const urls = createUrlQueue(15_000);
  const contexts: BrowserContext[] = [];

  const newPage = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    await keepOnLoopback(context);
    return context.newPage();
  };
  const nextUrl = urls.next;

  return {
    browser,
    opened,
    async openExternal(url) {
      opened.push(url);
      urls.push(url);
    },
    nextUrl,
    newPage,
    async signInNext(login = 'demo') {
      const url = await nextUrl();
      await completeProviderSignIn(await newPage(), url, login);
    },
    async reset() {
      urls.clear();
      for (const context of contexts.splice(0)) await context.close().catch(() => {});
    },
    async close() {
      for (const context of contexts.splice(0)) await context.close().catch(() => {});
      await browser.close();
    },
  };
}
