/** Name of the Playwright binding the browser host's page calls to reach main (removed from window at once). */
export const INVOKE_BINDING = '__tesseraE2eInvoke';
/** `Symbol.for` key of the page function main's events are delivered to (browser host only). */
export const HOST_EVENT_SYMBOL = 'tessera.e2e.hostEvent';
/** The browser host serves the built renderer on this origin (https, so it is a secure context like app://). */
export const BROWSER_APP_ORIGIN = 'https://tessera.app.test';
/**
 * `Symbol.for` key of the command-line switches the browser host hands the page bridge, as main's
 * `additionalArguments` reach the preload's `process.argv` (taken off `window` before any page script).
 */
export const HOST_ARGV_SYMBOL = 'tessera.e2e.preloadArgv';
