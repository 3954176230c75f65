/** The renderer's origin: a standard, secure custom scheme, never `file://`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tessera';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` is on exactly `appOrigin` (default the app's own): same scheme and host with port,
 * no user info. The one rule for "the app's page" (IPC senders, navigation, permissions). Compared
 * piecewise because `URL.origin` is "null" for custom schemes such as `app:`; lookalikes like
 * `app://tessera.evil` or `app://tessera@evil` (host "evil") differ in `host`.
 */
export function isAppUrl(url: string, appOrigin: string = APP_ORIGIN): boolean {
  const actual = URL.parse(url);
  const expected = URL.parse(appOrigin);
  if (actual === null || expected === null || expected.host === '') return false;
  return (
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.username === '' &&
    actual.password === ''
  );
}

/**
 * The windows showing the app's own page, of `windows`: the ones a reload is for (a new CSP, a new
 * policy). Others — the proxy sign-in prompt — keep what the person is typing.
 */
export function appPages<W extends { webContents: { getURL(): string } }>(
  windows: Iterable<W>,
  appOrigin: string = APP_ORIGIN,
): W[] {
  return [...windows].filter((window) => isAppUrl(window.webContents.getURL(), appOrigin));
}

/** The origin (scheme://host[:port]) of an http(s) URL, or null when it is not one. */
export function httpOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
}
