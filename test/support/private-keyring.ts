// Starts the keychain child (keychain-child.ts) under a D-Bus session of a chosen kind of brokenness.
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
  | 'locked';

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

const LOCK_LOGIN_COLLECTION =
  'printf %s tessera | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ' +
  'gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets ' +
  '--method org.freedesktop.Secret.Service.Lock "[\'/org/freedesktop/secrets/collection/login\']" >/dev/null; ' +
  'exec "$@"';

/** Runs the child in `mode` ('vault' | 'session') and returns its parsed JSON line. */
export async function runKeychainChild(
  kind: KeyringKind,
  mode: 'vault' | 'session',
  extraEnv: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-child-'));
  const node = [process.execPath, '--import', 'tsx', CHILD];
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, CHILD_MODE: mode, XDG_DATA_HOME: dir };
  let command: string;
  let args: string[];
  if (kind === 'no-bus') {
    // A socket nobody listens on; without DISPLAY nothing can autolaunch a bus in its place.
    env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(dir, 'no-such-bus')}`;
    delete env.DISPLAY;
    [command, ...args] = node as [string, ...string[]];
  } else if (kind === 'no-secret-service') {
    const config = join(dir, 'bus.conf');
    writeFileSync(config, BUS_WITHOUT_SERVICES);
    command = 'dbus-run-session';
    args = [`--config-file=${config}`, '--', ...node];
  } else {
    command = 'dbus-run-session';
    args = ['--', 'sh', '-c', LOCK_LOGIN_COLLECTION, 'sh', ...node];
  }
  try {
    const stdout = await new Promise<string>((done, fail) => {
      // Async on purpose: the reference server the child talks to runs in this process.
      execFile(command, args, { env, cwd: process.cwd(), timeout: 30_000 }, (error, out, err) => {
        if (error && !out) fail(new Error(`keychain child failed: ${error.message}\n${err}`));
        else done(out);
      });
    });
    const line = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(line) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
