import { describe, expect, it } from 'vitest';
import { decidePermission } from './permissions';

const APP_PAGE = 'app://tessera/index.html';

// [permission, requesting URL, top-level frame, granted]. No row names an API host: the decision does
// not depend on it, so an intranet API reached by DNS name (api.corp.example → 10.x), which Chromium
// treats as local by its address, gets the permission like one on 127.0.0.1 or 10.1.2.3.
const CASES: Array<[string, string, boolean, boolean]> = [
  // Local Network Access, under every name Chromium has used: the app's own top-level page only.
  ['local-network-access', APP_PAGE, true, true],
  ['loopback-network', APP_PAGE, true, true],
  ['local-network', APP_PAGE, true, true],
  ['local-network-access', 'app://tessera/', true, true],
  ['local-network-access', 'app://tessera', true, true],
  // Not a subframe of it, not another origin, not a lookalike.
  ['local-network-access', APP_PAGE, false, false],
  ['local-network-access', 'https://evil.example/', true, false],
  ['local-network-access', 'app://tessera.evil/', true, false],
  ['local-network-access', 'app://tessera@evil/', true, false],
  ['local-network-access', 'app://other/', true, false],
  ['local-network-access', 'file:///index.html', true, false],
  ['local-network-access', 'not a url', true, false],
  ['local-network-access', '', true, false],
  // Writing to the clipboard ("Copy body"): the app's own top-level page only; reading never.
  ['clipboard-sanitized-write', APP_PAGE, true, true],
  ['clipboard-sanitized-write', APP_PAGE, false, false],
  ['clipboard-sanitized-write', 'https://evil.example/', true, false],
  ['clipboard-sanitized-write', 'app://tessera.evil/', true, false],
  // Everything else, even for the app's page.
  ['media', APP_PAGE, true, false],
  ['geolocation', APP_PAGE, true, false],
  ['notifications', APP_PAGE, true, false],
  ['clipboard-read', APP_PAGE, true, false],
  ['deprecated-sync-clipboard-read', APP_PAGE, true, false],
  ['openExternal', APP_PAGE, true, false],
  ['fullscreen', APP_PAGE, true, false],
  ['unknown', APP_PAGE, true, false],
];

describe('decidePermission()', () => {
  it.each(CASES)(
    '%s for %s (top-level %s): granted %s',
    (permission, requestingUrl, isMainFrame, granted) => {
      expect(decidePermission({ permission, requestingUrl, isMainFrame })).toBe(granted);
    },
  );
});
