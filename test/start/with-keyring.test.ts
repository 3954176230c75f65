// scripts/with-keyring.mjs: what every keychain test runs inside. On Linux without a Secret Service
// it starts a private D-Bus session with gnome-keyring in a throw-away folder; these runs take that
// path for real (the variables that would make it run the command directly are removed). Elsewhere the
// command runs directly, with the OS keychain: there the probe sees no private folder, and that is checked.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';

const onLinux = process.platform === 'linux';
const PROBE = 'test/support/keyring-session-probe.mjs';

/** Runs the probe (`look` or `stop-daemon`, then its exit code) inside with-keyring, as a shell without a Secret Service would. */
function probe(mode: 'look' | 'stop-daemon', code: number) {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.TESSERA_KEYRING_READY;
  const result = spawnSync(
    process.execPath,
    ['scripts/with-keyring.mjs', process.execPath, PROBE, mode, String(code)],
    {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(result.stdout)?.[1] ?? '';
  return {
    ...result,
    home: field('home'),
    owned: field('owned') === 'true',
    pid: Number(field('pid') || Number.NaN),
  };
}

/** Whether `pid` still runs: its /proc entry exists and is not a zombie (init may reap it late). */
function running(pid: number): boolean {
  try {
    return /\) [^Z] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const leftovers: number[] = [];
afterEach(() => {
  // A daemon that a failing run left behind (stopped, in the last case) is not left running.
  for (const pid of leftovers.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
});

describe('scripts/with-keyring.mjs', () => {
  it("returns the command's exit status", () => {
    expect(probe('look', 3).status).toBe(3);
    expect(probe('look', 0).status).toBe(0);
  });

  it('starts the command once gnome-keyring owns the Secret Service name (Linux)', () => {
    const run = probe('look', 0);
    expect(run.status, run.stderr).toBe(0);
    expect(run.home.includes('tessera-keyring-')).toBe(onLinux);
    if (onLinux) expect(run.owned).toBe(true);
  });

  it('has stopped the keyring daemon, even a stopped one, and removed its folder when it returns (Linux)', () => {
    // SIGSTOP stands for a daemon still busy as the command ends: left to notice the bus going away
    // on its own, it could still be writing its keyring file while the folder is removed.
    const run = probe('stop-daemon', 3);
    expect(run.status, run.stderr).toBe(3);
    expect(run.home.includes('tessera-keyring-')).toBe(onLinux);
    if (!onLinux) return;
    expect(run.pid).toBeGreaterThan(0);
    leftovers.push(run.pid);
    expect(running(run.pid)).toBe(false);
    expect(existsSync(run.home)).toBe(false);
  });
});
