// Runs inside a child process with its own D-Bus session (libsecret caches its connection per
// process, so a broken or locked keychain can only be shown in a fresh process). Prints one JSON line.
import { createSession } from '../../main/core/session/session';
import { createVault } from '../../main/core/vault';
import { DEMO, TEST_SERVICE, testSettings } from './fixtures';

const mode = process.env.CHILD_MODE;

async function vaultRoundTrip() {
  const vault = createVault({ service: TEST_SERVICE });
  const scope = 'https://child.example';
  const save = await vault.save(scope, 'demo', 'child-refresh-token');
  const load = await vault.load(scope);
  const remove = await vault.remove(scope, 'demo');
  return { save, load, remove };
}

async function sessionInMemory() {
  const url = process.env.SERVER_URL ?? '';
  const core = createSession({
    settings: testSettings(url),
    fetch,
    vault: createVault({ service: TEST_SERVICE }),
  });
  const started = await core.start();
  const signIn = await core.signIn(DEMO.username, DEMO.password);
  const token = await core.getAccessToken({ forceRefresh: true });
  const view = core.getView();
  const signOut = await core.signOut();
  core.dispose();
  // Only whether a token came back crosses the process boundary, never the token itself.
  return { started, signInOk: signIn.ok, tokenOk: token.ok, view, signOut };
}

const run = mode === 'session' ? sessionInMemory : vaultRoundTrip;
run().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ crashed: String(error) })}\n`);
    process.exitCode = 1;
  },
);
