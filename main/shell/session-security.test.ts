// setupSessionSecurity adapts Electron's permission callbacks to decidePermission. Electron cannot run
// here, so a stand-in session records the handlers, and the test calls them with the arguments
// Electron 45 passes (electron.d.ts): the request handler (contents, permission, callback, details) and
// the check handler (contents, permission, requestingOrigin, details).
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { setupSessionSecurity } from './session-security';

type RequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean },
) => void;
type CheckHandler = (
  contents: unknown,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl?: string; isMainFrame?: boolean },
) => boolean;

function installed() {
  const handlers: {
    request?: RequestHandler;
    check?: CheckHandler;
    spellChecker?: boolean;
    download?: (event: { preventDefault(): void }) => void;
  } = {};
  const session = {
    on: (event: string, listener: (event: { preventDefault(): void }) => void) => {
      if (event === 'will-download') handlers.download = listener;
    },
    setSpellCheckerEnabled: (enabled: boolean) => {
      handlers.spellChecker = enabled;
    },
    setPermissionRequestHandler: (handler: RequestHandler) => {
      handlers.request = handler;
    },
    setPermissionCheckHandler: (handler: CheckHandler) => {
      handlers.check = handler;
    },
    setDevicePermissionHandler: () => {},
    webRequest: { onHeadersReceived: () => {} },
  };
  setupSessionSecurity(session as unknown as Session, () => null);
  const { request, check } = handlers;
  if (!request || !check) throw new Error('setupSessionSecurity installed no permission handlers');
  const requested = (permission: string, requestingUrl: string, isMainFrame: boolean) => {
    let granted: boolean | undefined;
    request(
      null,
      permission,
      (answer) => {
        granted = answer;
      },
      { requestingUrl, isMainFrame },
    );
    return granted;
  };
  /** Whether a download the page starts goes ahead (Electron's 'will-download': preventDefault cancels it). */
  const downloads = () => {
    let cancelled = false;
    handlers.download?.({
      preventDefault: () => {
        cancelled = true;
      },
    });
    return !cancelled;
  };
  return { requested, check, spellChecker: () => handlers.spellChecker, downloads };
}

describe('setupSessionSecurity()', () => {
  it("lets the app's page write to the clipboard (Copy body), asked as a request or as a check", () => {
    const { requested, check } = installed();
    expect(requested('clipboard-sanitized-write', 'app://tessera/index.html', true)).toBe(true);
    expect(
      check(null, 'clipboard-sanitized-write', 'app://tessera', {
        requestingUrl: 'app://tessera/index.html',
        isMainFrame: true,
      }),
    ).toBe(true);
  });

  it('refuses clipboard reading, and clipboard writing to any other page or frame', () => {
    const { requested, check } = installed();
    expect(requested('clipboard-read', 'app://tessera/index.html', true)).toBe(false);
    expect(
      check(null, 'clipboard-read', 'app://tessera', {
        requestingUrl: 'app://tessera/index.html',
        isMainFrame: true,
      }),
    ).toBe(false);
    expect(requested('clipboard-sanitized-write', 'https://evil.example/', true)).toBe(false);
    expect(requested('clipboard-sanitized-write', 'app://tessera/index.html', false)).toBe(false);
    // A check without details about the frame is not the top-level page's.
    expect(check(null, 'clipboard-sanitized-write', 'app://tessera', {})).toBe(false);
  });

  it("turns the session's spell checker off, so no dictionary is downloaded from Google's servers", () => {
    // webPreferences.spellcheck false only stops the checking: Chromium still fetched the Hunspell
    // dictionary of the OS language at start (electron/electron#22995) until the session's is off.
    expect(installed().spellChecker()).toBe(false);
  });

  it('cancels every download a page starts (no save dialog per file, no file of its choosing on disk)', () => {
    expect(installed().downloads()).toBe(false);
  });
});
