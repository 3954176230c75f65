// One silent sign-in in a process of its own, as at the app's launch: run by bench/silent-sign-in.ts
// (`node --import tsx bench/silent-sign-in-child.ts API_URL KEYCHAIN_SERVICE USER_DATA_DIR app|cold`),
// it prints one JSON line.
//
// The user data folder is the one the sign-in before it used (its accounts.json names the account, as
// after any earlier run of the app). Requests go through main's own transport (`clientRequestFetch`)
// over Node's http module, standing in for Electron's `net.request` (bench/node-client-request.ts).
// The clock starts after the app's modules are loaded (ky too, which main loads once the window is
// open) and its services built (createAppServices, as main/index.ts does once Electron is ready) and
// stops when `session.start()` has signed in: the keychain read, the refresh on loopback and the
// profile (the rotated refresh token is written behind the session; the line's `signedIn` also says
// that write ended well, after the clock). It leaves out Node's (Electron's) own start and the loading
// of the app's modules, which the app loads bundled and this process transpiles with tsx.
//
// - `app`: as main/index.ts starts: the keychain warm-up (`warmUpKeychain`) begins first thing, before
//   the app's modules are loaded here (before `app.whenReady()` in the app). The line says how long the
//   warm-up took and whether it had finished when the clock started; if not, the rest of it is inside
//   the timed start.
// - `cold`: nothing before the clock: the start also pays for loading keytar and opening the Secret
//   Service connection.
import { warmUpKeychain } from '../main/core/vault';
import { elapsedMs } from './stats';

const [apiBaseUrl, keychainService, userDataDir, mode] = process.argv.slice(2);
if (!apiBaseUrl || !keychainService || !userDataDir || (mode !== 'app' && mode !== 'cold'))
  throw new Error('usage: silent-sign-in-child.ts API_URL KEYCHAIN_SERVICE USER_DATA_DIR app|cold');
let warmUpMs: number | null = null;
if (mode === 'app') {
  const launched = process.hrtime.bigint();
  // A warm-up that did not open the connection (false) counts as not finished: its cost is then inside
  // the timed start, where the first real keychain call pays it.
  void warmUpKeychain({ platform: process.platform, userDataDir, service: keychainService }).then(
    (opened) => {
      if (opened) warmUpMs = elapsedMs(launched, process.hrtime.bigint());
    },
  );
}
const [{ createAppPath }, { clientRequestFetch }, { nodeClientRequest }, { loadKy }] = await Promise.all([
  import('./app-path'),
  import('../main/core/client-request-fetch'),
  import('./node-client-request'),
  import('../main/core/ky-loader'),
]);
// Main loads its HTTP client (ky) once the window is open, before the silent sign-in (main/index.ts).
await loadKy();
const fetch = clientRequestFetch(nodeClientRequest);
const app = createAppPath({ apiBaseUrl, keychainService, userDataDir, fetch });
const warmedUp = warmUpMs !== null;
const start = process.hrtime.bigint();
const view = await app.session.start();
const ms = elapsedMs(start, process.hrtime.bigint());
// Closed, as quitting does: the rotated refresh token is in the keychain before the next process reads it.
await app.close();
// Signed in, and the write behind it ended well (a failed one says "stay signed in" is unavailable).
const stored = app.session.getView().keychain;
console.log(
  JSON.stringify({
    ms,
    signedIn: view.state === 'active' && stored.available && stored.persisted,
    warmUpMs,
    warmedUp,
  }),
);
