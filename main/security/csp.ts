import { httpOrigin } from './app-origin';

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The `connect-src` source for the API at `apiBaseUrl`, or null when it is not an http(s) URL.
 *
 * Normally exactly its origin. An IPv6 literal (`http://[::1]:4000`) cannot be written as a CSP
 * source: the host-source grammar (CSP3 §2.3.1) has no IPv6 form, and Chromium drops
 * `http://[::1]:4000` as "an invalid source… ignored" — leaving connect-src empty, so the page could
 * reach nothing. For such an API the narrowest source Chromium accepts is the scheme and port with
 * any host, `http://*:4000` (checked in Debian's Chromium by csp.chromium.test.ts). That widens the
 * page's reach to every host on that one scheme and port; every other API keeps its exact origin.
 */
export function connectSource(apiBaseUrl: string): string | null {
  const origin = httpOrigin(apiBaseUrl);
  if (origin === null) return null;
  const url = new URL(origin);
  if (!url.hostname.startsWith('[')) return origin;
  return `${url.protocol}//*:${url.port || DEFAULT_PORT[url.protocol]}`;
}

/**
 * The renderer's Content-Security-Policy. Everything is same-origin (`app://tessera`) except
 * `connect-src`, which allows exactly the configured API origin (see connectSource for an IPv6
 * address): a script injected into the page cannot send anything anywhere else.
 */
export function buildCsp(apiBaseUrl: string | readonly string[]): string {
  // Several accounts on several APIs: each one's origin (each confirmed by the person in main).
  const urls = typeof apiBaseUrl === 'string' ? [apiBaseUrl] : apiBaseUrl;
  const sources = [...new Set(urls.map(connectSource).filter((source) => source !== null))];
  const apiOrigin = sources.length === 0 ? null : sources.join(' ');
  const directives: Array<[string, string]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self' data:"],
    ['font-src', "'self'"],
    // No API origin (invalid setting) → no network at all rather than a wildcard.
    ['connect-src', apiOrigin ?? "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['frame-src', "'none'"],
    ['object-src', "'none'"],
    ['worker-src', "'none'"],
    ['manifest-src', "'none'"],
    ['media-src', "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/**
 * The CSP in force for the current API origin. A document keeps the policy it was loaded with, so
 * when the API origin changes the windows must reload: `update()` says when.
 */
export function createCspTracker(getApiBaseUrl: () => string | readonly string[]): {
  current(): string;
  update(): boolean;
} {
  let csp = buildCsp(getApiBaseUrl());
  return {
    current: () => csp,
    update() {
      const next = buildCsp(getApiBaseUrl());
      if (next === csp) return false;
      csp = next;
      return true;
    },
  };
}
