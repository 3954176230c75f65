// Run by test/start/with-keyring.test.ts inside scripts/with-keyring.mjs: prints what the command sees
// of the keychain session (its keyring folder, whether the Secret Service name is owned at once, the
// owner's pid), optionally stops that daemon (SIGSTOP: a daemon busy as the command ends), and exits
// with the code it is given. Plain Node, so it runs on every platform; off Linux it finds no bus.
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

// Asked first, at once: `gnome-keyring-daemon --unlock` returns before the daemon owns the name.
const owned = /boolean true/.test(ask('NameHasOwner', 'org.freedesktop.secrets') ?? '');
const pid =
  /uint32 (\d+)/.exec(ask('GetConnectionUnixProcessID', 'org.freedesktop.secrets') ?? '')?.[1] ?? '';
console.log(`home=${process.env.XDG_DATA_HOME ?? ''}`);
console.log(`owned=${owned}`);
console.log(`pid=${pid}`);
if (mode === 'stop-daemon' && pid) process.kill(Number(pid), 'SIGSTOP');
process.exit(Number(code));
