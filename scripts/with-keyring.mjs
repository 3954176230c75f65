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

let status;
if (process.platform !== 'linux' || process.env.TESSERA_KEYRING_READY === '1' || secretServiceReachable()) {
  status = run(command[0], command.slice(1));
} else {
  // gnome-keyring keeps its collections under $XDG_DATA_HOME/keyrings: point that at a temp dir
  // so a test run never touches (or depends on) the developer's own keyring.
  const dataHome = mkdtempSync(join(tmpdir(), 'tessera-keyring-'));
  const password = 'tessera-test-keyring';
  const inner =
    'printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ' +
    'unset KEYRING_PW; exec "$@"';
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
  rmSync(dataHome, { recursive: true, force: true });
}
process.exit(status);
