#!/usr/bin/env node
// Runs a command where a real OS keychain is reachable, so keychain tests are never mocked.
// Linux: when no Secret Service answers on the session bus, re-run inside a private D-Bus
// session with a freshly unlocked gnome-keyring (its data in a throw-away HOME-like dir).
// macOS/Windows: the real keychain is used under a test-only service name (set below),
// and the tests delete what they create.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnToolSync } from './spawn-tool.mjs';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-keyring.mjs <command> [args…]');
  process.exit(2);
}

process.env.TESSERA_TEST_KEYCHAIN_SERVICE ??= 'Tessera-test';

function secretServiceReachable() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return false;
  const probe = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.secrets',
    ],
    { encoding: 'utf8', timeout: 5000 },
  );
  return probe.status === 0 && /boolean true/.test(probe.stdout);
}

/** Runs `cmd` (npx, vitest, playwright… — .cmd shims on Windows, hence spawnToolSync). */
function run(cmd, args, env = process.env) {
  const child = spawnToolSync(cmd, args, { stdio: 'inherit', env });
  if (child.error) {
    console.error(`with-keyring: cannot run ${cmd}: ${child.error.message}`);
    return 127;
  }
  return child.status ?? 1;
}

/**
 * Removes the throw-away keyring folder. The daemon has been stopped by then (see `inner`); should the
 * removal fail all the same, a warning is printed and the command's exit status is still returned.
 */
function removeKeyringHome(dir) {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    console.error(`with-keyring: could not remove ${dir}: ${error.message}`);
  }
}

let status;
if (process.platform !== 'linux' || process.env.TESSERA_KEYRING_READY === '1' || secretServiceReachable()) {
  status = run(command[0], command.slice(1));
} else {
  // gnome-keyring keeps its collections under $XDG_DATA_HOME/keyrings: point that at a temp dir
  // so a test run never touches (or depends on) the developer's own keyring.
  const dataHome = mkdtempSync(join(tmpdir(), 'tessera-keyring-'));
  const password = 'tessera-test-keyring';
  // `--unlock` returns before the daemon owns the Secret Service name on the bus: wait for it (at
  // most 5 s), so the command starts with a keychain that answers, and note the daemon's pid. After
  // the command, stop the daemon and wait for it to end (at most 5 s): left to notice the bus going
  // away on its own, it could still be writing its keyring file while the folder is removed below.
  // (Linux only, like this whole branch: /proc.)
  const inner = [
    'printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1',
    'unset KEYRING_PW',
    'owner() { dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ' +
      "org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ { print $2 }'; }",
    'pid=$(owner); i=0',
    'while [ -z "$pid" ] && [ $i -lt 50 ]; do sleep 0.1; pid=$(owner); i=$((i + 1)); done',
    '[ -n "$pid" ] || echo "with-keyring: gnome-keyring did not appear on the session bus within 5 s" >&2',
    '"$@"; status=$?',
    // Running: its /proc entry exists and is not a zombie (the daemon's parent is init, which may
    // reap it late; a zombie writes nothing).
    'running() { s=$(sed -n "s/.*) \\(.\\) .*/\\1/p" "/proc/$pid/stat" 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }',
    // SIGCONT after SIGTERM, as service managers do: a stopped daemon gets to handle it too.
    'if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then',
    '  kill -CONT "$pid" 2>/dev/null',
    '  i=0; while running && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done',
    'fi',
    'exit $status',
  ].join('\n');
  const env = {
    ...process.env,
    XDG_DATA_HOME: dataHome,
    KEYRING_PW: password,
    TESSERA_KEYRING_READY: '1',
  };
  console.log(
    'with-keyring: no Secret Service on the session bus; starting a private D-Bus session with gnome-keyring',
  );
  status = run('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', ...command], env);
  removeKeyringHome(dataHome);
}
process.exit(status);
