// Run by test/start/with-keyring.test.ts inside scripts/with-keyring.mjs: prints what the command sees
// of the keychain session (its keyring folder, whether the Secret Service name is owned at once, the
// owner's pid), then by mode:
// - `look`: exits with the code it is given;
// - `stop-daemon`: stops that daemon first (SIGSTOP: a daemon busy as the command ends);
// - `use-keychain`: uses the keychain (writes, reads back and deletes an entry) and prints `keychain=ok`
//   or `keychain=failed: <why>` first;
// - `interrupt`: prints `ready` and waits for SIGINT, SIGTERM or SIGHUP; then, as an interrupted test
//   run's clean-up does, prints `signal=<name>` and uses the keychain as `use-keychain` does.
// Plain Node, so it runs on every platform; off Linux it finds no bus.
import { spawnSync } from 'node:child_process';

const [mode = 'look', code = '0'] = process.argv.slice(2);

/** One call to the session bus's own interface, or null where there is no bus (or no dbus-send). */
function ask(method, name) {
  const reply = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      `org.freedesktop.DBus.${method}`,
      `string:${name}`,
    ],
    { encoding: 'utf8' },
  );
  return reply.status === 0 ? reply.stdout : null;
}

/** Writes, reads back and deletes one entry under the test service: what keychain tests and their clean-up need. */
async function tryKeychain() {
  const { default: keytar } = await import('keytar');
  const service = `${process.env.TESSERA_TEST_KEYCHAIN_SERVICE ?? 'Tessera-test'}-probe`;
  const account = `interrupted-${process.pid}`;
  await keytar.setPassword(service, account, 'probe-secret');
  const read = await keytar.getPassword(service, account);
  const deleted = await keytar.deletePassword(service, account);
  if (read !== 'probe-secret' || !deleted) throw new Error(`read back ${read}, deleted ${deleted}`);
}

/** Prints `keychain=ok` or `keychain=failed: <why>`. */
async function useKeychain() {
  try {
    await tryKeychain();
    console.log('keychain=ok');
  } catch (error) {
    console.log(`keychain=failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Asked first, at once: `gnome-keyring-daemon --unlock` returns before the daemon owns the name.
const owned = /boolean true/.test(ask('NameHasOwner', 'org.freedesktop.secrets') ?? '');
const pid =
  /uint32 (\d+)/.exec(ask('GetConnectionUnixProcessID', 'org.freedesktop.secrets') ?? '')?.[1] ?? '';
console.log(`home=${process.env.XDG_DATA_HOME ?? ''}`);
console.log(`owned=${owned}`);
console.log(`pid=${pid}`);
if (mode === 'stop-daemon' && pid) process.kill(Number(pid), 'SIGSTOP');
if (mode === 'interrupt') {
  let seen = null;
  // Ctrl+C reaches this process twice (from the terminal and forwarded by the wrapper): once is enough.
  const onSignal = async (signal) => {
    if (seen) return;
    seen = signal;
    console.log(`signal=${signal}`);
    await useKeychain();
    process.exit(Number(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
  setInterval(() => {}, 60_000); // keeps running until a signal comes
  console.log('ready');
} else {
  if (mode === 'use-keychain') await useKeychain();
  process.exit(Number(code));
}
