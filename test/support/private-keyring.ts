// Starts the keychain child (keychain-child.ts) with a keychain of a chosen kind: missing, broken, locked,
// or a gnome-keyring-daemon of its own that the child may kill, restart or lock.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Which keychain the child gets. */
export type KeyringKind =
  /** No session bus reachable. */
  | 'no-bus'
  /** A private session bus on which nothing provides org.freedesktop.secrets. */
  | 'no-secret-service'
  /** gnome-keyring running, its login collection locked (no prompter can unlock it headless). */
  | 'locked'
  /**
   * A private session bus with a gnome-keyring-daemon run in the foreground, whose pid the child gets
   * (KEYRING_PID_FILE) so it kills exactly that daemon and nothing else; KEYRING_PW unlocks it again.
   */
  | 'own-daemon';

/** What the child does: a vault round trip, a whole session, or one of the keyring fault scenarios. */
export type ChildMode =
  | 'vault'
  | 'session'
  | 'daemon-restart'
  | 'lock-mid-session'
  | 'locked-at-start'
  | 'locked-at-sign-out';

const CHILD = resolve(import.meta.dirname, 'keychain-child.ts');

// A session bus config without <servicedir>: org.freedesktop.secrets cannot be auto-activated.
const BUS_WITHOUT_SERVICES = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`;

// The unlocking daemon forks and may not own its bus name yet when the launcher returns: `gdbus wait`
// (which does not activate) waits for the name first. Without it, the first call below could have the
// bus activate a second daemon (the org.freedesktop.secrets service file), one with no login collection,
// and the child would see "no default collection" instead of a locked one (seen in about 1 start in 4
// on a loaded machine). The daemon also creates the login collection a moment after it owns the name:
// the Lock call waits for the collection to exist (at most 10 s).
const LOCK_LOGIN_COLLECTION =
  'printf %s tessera | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ' +
  'gdbus wait --session --timeout 10 org.freedesktop.secrets; ' +
  'i=0; until gdbus call --session --dest org.freedesktop.secrets ' +
  '--object-path /org/freedesktop/secrets/collection/login ' +
  '--method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked >/dev/null 2>&1; ' +
  'do i=$((i+1)); [ "$i" -ge 100 ] && break; sleep 0.1; done; ' +
  'gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets ' +
  '--method org.freedesktop.Secret.Service.Lock "[\'/org/freedesktop/secrets/collection/login\']" >/dev/null; ' +
  'exec "$@"';

// The daemon unlocks the (new) login collection with the password on stdin; `gdbus wait` holds the
// child back until the Secret Service name is on the bus.
const START_DAEMON =
  'printf %s "$KEYRING_PW" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 & ' +
  'echo $! > "$KEYRING_PID_FILE"; ' +
  'gdbus wait --session --timeout 10 org.freedesktop.secrets; ' +
  'exec "$@"';

/**
 * Runs the child in `mode` on a keychain of `kind` and returns its parsed JSON line. `extraEnv` reaches
 * the child (SERVER_URL: the reference server the session modes talk to).
 */
export async function runKeychainChild(
  kind: KeyringKind,
  mode: ChildMode,
  extraEnv: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-child-'));
  const node = [process.execPath, '--import', 'tsx', CHILD];
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, CHILD_MODE: mode, XDG_DATA_HOME: dir };
  let command = 'dbus-run-session';
  let args: string[];
  if (kind === 'no-bus') {
    // A socket nobody listens on; without DISPLAY nothing can autolaunch a bus in its place.
    env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(dir, 'no-such-bus')}`;
    delete env.DISPLAY;
    [command, ...args] = node as [string, ...string[]];
  } else if (kind === 'no-secret-service') {
    const config = join(dir, 'bus.conf');
    writeFileSync(config, BUS_WITHOUT_SERVICES);
    args = [`--config-file=${config}`, '--', ...node];
  } else if (kind === 'locked') {
    args = ['--', 'sh', '-c', LOCK_LOGIN_COLLECTION, 'sh', ...node];
  } else {
    env.KEYRING_PW = 'tessera-fault-keyring';
    env.KEYRING_PID_FILE = join(dir, 'daemon.pid');
    args = ['--', 'sh', '-c', START_DAEMON, 'sh', ...node];
  }
  const timeout = kind === 'own-daemon' ? 45_000 : 30_000;
  try {
    const stdout = await new Promise<string>((done, fail) => {
      // Async on purpose: the reference server the child talks to runs in this process.
      execFile(command, args, { env, cwd: process.cwd(), timeout }, (error, out, err) => {
        if (error && !out) fail(new Error(`keychain child failed: ${error.message}\n${err}`));
        else done(out);
      });
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
