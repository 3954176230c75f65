import { httpOrigin } from './app-origin';

/**
 * The renderer's Content-Security-Policy. Everything is same-origin (`app://tessera`) except
 * `connect-src`, which allows exactly the configured API origin: a script injected into the page
 * cannot send anything anywhere else.
 */
export function buildCsp(apiBaseUrl: string): string {
  const apiOrigin = httpOrigin(apiBaseUrl);
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
export function createCspTracker(getApiBaseUrl: () => string): { current(): string; update(): boolean } {
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
