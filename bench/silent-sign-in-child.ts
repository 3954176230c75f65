// One silent sign-in in a process of its own, as at the app's launch: run by bench/silent-sign-in.ts
// (`node --import tsx bench/silent-sign-in-child.ts API_URL KEYCHAIN_SERVICE`), it prints one JSON line.
//
// The clock starts after the app's own modules are loaded and its services built (createAppServices,
// as main/index.ts does before the window opens) and nothing has touched the keychain yet; it stops
// when `session.start()` has signed in. So it includes loading keytar (main/core/vault.ts imports it
// at the first keychain use), opening the Secret Service connection, the keychain read, the refresh
// on loopback, the keychain write and the profile. It leaves out Node's (Electron's) own start and the
// loading of the app's modules, which the app loads bundled and this process transpiles with tsx.
import { createAppPath } from './app-path';
import { elapsedMs } from './stats';

const [apiBaseUrl, keychainService] = process.argv.slice(2);
if (!apiBaseUrl || !keychainService)
  throw new Error('usage: silent-sign-in-child.ts API_URL KEYCHAIN_SERVICE');
const app = createAppPath({ apiBaseUrl, keychainService });
const start = process.hrtime.bigint();
const view = await app.session.start();
const ms = elapsedMs(start, process.hrtime.bigint());
// Closed, as quitting does: the rotated refresh token is in the keychain before the next process reads it.
await app.close();
console.log(JSON.stringify({ ms, signedIn: view.state === 'active' && view.keychain.persisted }));
