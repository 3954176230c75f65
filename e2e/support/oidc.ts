// OpenID Connect for the e2e suite: the test OpenID Provider (test/oidc/provider.ts) and a second
// Playwright page standing in for the system browser. Specs import { test, expect } from here instead
// of ../fixtures; everything else about the app fixture stays the same.
import type { Page } from '@playwright/test';
import { completeProviderSignIn, createUrlQueue, keepOnLoopback } from '../../test/oidc/browser';
import { startTestProvider, type TestProvider } from '../../test/oidc/provider';
import { test as base, expect, type PolicyFile } from '../fixtures';
import { skipWithReason } from './skip';

export { expect };

/** The "system browser": a page of its own (own cookies, loopback only) and the URLs the app opened. */
export interface ProviderPages {
  page: Page;
  /** The next URL the app opened (waits for it). */
  nextUrl(timeoutMs?: number): Promise<string>;
  /** Opens the next URL the app opens in `page` and signs in as `login` (then consents). */
  signInNext(login?: string): Promise<void>;
  /** What the core calls instead of shell.openExternal. */
  openExternal(url: string): Promise<void>;
}

interface OidcFixtures {
  /** A fresh OpenID Provider on loopback for this test. */
  oidcProvider: TestProvider;
  providerPages: ProviderPages;
}

/** The IT policy that puts the app in oidc mode against `provider`, profile from the ID token. */
export function oidcPolicy(provider: TestProvider, name = 'Test IdP'): PolicyFile {
  return {
    managed: {
      authMode: 'oidc',
      oidcIssuer: provider.issuer,
      oidcClientId: provider.clientId,
      oidcProviderName: name,
      mePath: '',
    },
  };
}

export const test = base.extend<OidcFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  oidcProvider: async ({}, use) => {
    const provider = await startTestProvider();
    await use(provider);
    await provider.close();
  },

  providerPages: async ({ hostEnvironment }, use, testInfo) => {
    if (hostEnvironment.kind !== 'browser') {
      // The built app opens the real system browser via shell.openExternal, which a spec cannot drive.
      skipWithReason(testInfo, 'OpenID Connect pages are driven on the browser host only');
    }
    const context = await hostEnvironment.browser.newContext();
    await keepOnLoopback(context);
    const page = await context.newPage();
    const urls = createUrlQueue(10_000);
    const nextUrl = urls.next;
    await use({
      page,
      nextUrl,
      async signInNext(login = 'demo') {
        await completeProviderSignIn(page, await nextUrl(), login);
      },
      async openExternal(url) {
        urls.push(url);
      },
    });
    await context.close();
  },

  openExternal: async ({ providerPages }, use) => {
    await use(providerPages.openExternal);
  },
});
