// Starts keychain-child.ts inside its own D-Bus session with a gnome-keyring-daemon run in the
// foreground, whose pid the child gets (so it kills exactly that daemon and nothing else).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CHILD = resolve(import.meta.dirname, 'keychain-child.ts');

// The daemon unlocks the (new) login collection with the password on stdin; `gdbus wait` holds the
// child back until the Secret Service name is on the bus.
const START_DAEMON =
  'printf %s "$KEYRING_PW" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 & ' +
  'echo $! > "$KEYRING_PID_FILE"; ' +
  'gdbus wait --session --timeout 10 org.freedesktop.secrets; ' +
  'exec "$@"';

export type KeychainScenario = 'daemon-restart' | 'lock-mid-session' | 'locked-at-start';

/** Runs one scenario against the reference server at `serverUrl` and returns the child's JSON line. */
export async function runKeychainScenario(
  scenario: KeychainScenario,
  serverUrl: string,
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-keyring-fault-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHILD_MODE: scenario,
    SERVER_URL: serverUrl,
    XDG_DATA_HOME: dir,
    KEYRING_PW: 'tessera-fault-keyring',
    KEYRING_PID_FILE: join(dir, 'daemon.pid'),
  };
  const args = ['--', 'sh', '-c', START_DAEMON, 'sh', process.execPath, '--import', 'tsx', CHILD];
  try {
    const stdout = await new Promise<string>((done, fail) => {
      // Asynchronous: the reference server the child talks to runs in this process.
      execFile('dbus-run-session', args, { env, cwd: process.cwd(), timeout: 45_000 }, (error, out, err) => {
        if (error && !out) fail(new Error(`keychain child failed: ${error.message}\n${err}`));
        else done(out);
      });
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
