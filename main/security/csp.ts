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

/** The `connect-src` sources for the APIs at `apiBaseUrl`: each one's origin, once, in order. */
function connectSources(apiBaseUrl: string | readonly string[]): string[] {
  // Several accounts on several APIs: each one's origin (each confirmed by the person in main).
  const urls = typeof apiBaseUrl === 'string' ? [apiBaseUrl] : apiBaseUrl;
  return [...new Set(urls.map(connectSource).filter((source) => source !== null))];
}

/**
 * The renderer's Content-Security-Policy. Everything is same-origin (`app://tessera`) except
 * `connect-src`, which allows exactly the configured API origin (see connectSource for an IPv6
 * address): a script injected into the page cannot fetch, beacon, load or open anything anywhere else.
 * One channel is beyond any CSP: WebRTC. Chromium ignores CSP3's `webrtc` directive ("Unrecognized
 * Content-Security-Policy directive"), and a page under this very policy sends a TURN server of its
 * choosing whatever it puts in the credentials (checked in Debian's Chromium 156, also with
 * --force-webrtc-ip-handling-policy, over UDP and TCP); deleting RTCPeerConnection from the page does
 * not hold either (an about:blank iframe has its own). What keeps a token from leaving that way is
 * keeping foreign script out of the page: script-src 'self', no eval, no inline script.
 * Resource hints are another: a `<link rel=dns-prefetch>` or `preconnect` the page adds is resolved
 * (a preconnect also opens a socket in Chromium) under this policy, X-DNS-Prefetch-Control: off or not,
 * and Electron has no option or switch for them (network-hints.chromium.test.ts; docs/architecture.md).
 */
export function buildCsp(apiBaseUrl: string | readonly string[]): string {
  return policyFor(connectSources(apiBaseUrl));
}

function policyFor(sources: readonly string[]): string {
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
 * The CSP for the current API origins, and when the windows must reload to follow it. A document keeps
 * the policy it was loaded with, and a policy can only be replaced by loading the document again, which
 * throws away whatever the person has open (a menu, a half-typed form). So:
 * - a change that adds an origin (another API, an account on a second API) reloads: the page must be
 *   allowed to reach it;
 * - a change that only drops origins (signing out of the last account on an API) does not: the page
 *   keeps reaching origins the person confirmed until its next load, which gets the narrower policy.
 *   The API it no longer uses gets no token from main and no CORS headers from the shell (corsPatch
 *   follows the session at once), so the wider policy lets an injected script reach nothing new.
 * Whether a change adds an origin is judged against what every loaded document holds: the sources all
 * documents served since the last reload have in common (a page that reloaded on its own got the
 * narrower policy, so a later change back to the dropped origin reloads it again).
 */
export function createCspTracker(getApiBaseUrl: () => string | readonly string[]): {
  /** The policy for a document being loaded now; notes that a page holds it. */
  forDocument(): string;
  /** Follows the API origins; true when loaded pages lack one they now need (reload the windows). */
  update(): boolean;
} {
  let sources = connectSources(getApiBaseUrl());
  let csp = policyFor(sources);
  /** The sources every document loaded since the last reload allows. */
  let loaded = new Set(sources);
  return {
    forDocument() {
      loaded = new Set(sources.filter((source) => loaded.has(source)));
      return csp;
    },
    update() {
      const nextSources = connectSources(getApiBaseUrl());
      const next = policyFor(nextSources);
      if (next === csp) return false;
      csp = next;
      sources = nextSources;
      if (sources.every((source) => loaded.has(source))) return false;
      // The reload gives every window this policy.
      loaded = new Set(sources);
      return true;
    },
  };
}
