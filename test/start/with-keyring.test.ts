// scripts/with-keyring.mjs: what every keychain test runs inside. On Linux without a usable Secret
// Service it starts a private D-Bus session with gnome-keyring in a throw-away folder; these runs take
// that path for real (the variables that would make it run the command directly are removed). Elsewhere
// the command runs directly, with the OS keychain: there the probe sees no private folder, and that is
// checked. The session-keyring cases build a session bus of their own with gnome-keyring in the state
// a desktop may leave it in (unlocked, locked, no keyring) and run with-keyring inside it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const onLinux = process.platform === 'linux';
const PROBE = 'test/support/keyring-session-probe.mjs';
type Mode = 'look' | 'stop-daemon' | 'use-keychain' | 'interrupt';

/** The environment of a shell without a Secret Service (and not already inside with-keyring). */
function bareEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.TESSERA_KEYRING_READY;
  return env;
}

/** The probe's `name=value` lines, as the test reads them. */
function fields(stdout: string) {
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(stdout)?.[1] ?? '';
  return {
    home: field('home'),
    owned: field('owned') === 'true',
    pid: Number(field('pid') || Number.NaN),
    keychain: field('keychain'),
    signal: field('signal'),
  };
}

/** Runs the probe (a mode, then its exit code) inside with-keyring, as a shell without a Secret Service would. */
function probe(mode: Mode, code: number) {
  const result = spawnSync(
    process.execPath,
    ['scripts/with-keyring.mjs', process.execPath, PROBE, mode, String(code)],
    {
      env: bareEnv(),
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { ...result, ...fields(result.stdout) };
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
const groups: number[] = [];
afterEach(() => {
  // A daemon that a failing run left behind (stopped, in the last case) is not left running, nor an
  // interrupted run's processes.
  for (const pid of leftovers.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts the probe in `interrupt` mode inside with-keyring (in a process group of its own, as a
 * terminal's foreground job), waits until it runs, then sends `signal` to the whole group (Ctrl+C in a
 * terminal, closing it) or to the wrapper alone (`kill <pid>`, npm, a CI timeout), and waits for the end.
 */
async function interrupt(target: 'group' | 'wrapper', signal: NodeJS.Signals) {
  const wrapper: ChildProcess = spawn(
    process.execPath,
    ['scripts/with-keyring.mjs', process.execPath, PROBE, 'interrupt', '0'],
    { env: bareEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = wrapper.pid as number;
  groups.push(pid);
  let stdout = '';
  let stderr = '';
  wrapper.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<{ exitCode: number | null; killedBy: NodeJS.Signals | null }>((resolve) =>
    wrapper.on('close', (exitCode, killedBy) => resolve({ exitCode, killedBy })),
  );
  await new Promise<void>((resolve, reject) => {
    wrapper.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^ready$/m.test(stdout)) resolve();
    });
    wrapper.on('exit', () => reject(new Error(`with-keyring ended before the probe ran: ${stderr}`)));
  });
  process.kill(target === 'group' ? -pid : pid, signal);
  const end = await closed;
  return { ...end, stdout, stderr, ...fields(stdout) };
}

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

describe.skipIf(process.platform === 'win32')(
  'scripts/with-keyring.mjs when interrupted (POSIX signals: not on Windows)',
  () => {
    it.each([
      ['group', 'SIGINT', 130],
      ['wrapper', 'SIGINT', 130],
      ['wrapper', 'SIGTERM', 143],
      ['group', 'SIGHUP', 129],
    ] as const)(
      '%s gets %s: the command cleans up with a working keychain, then the daemon and folder go, status %i',
      async (target, signal, status) => {
        const run = await interrupt(target, signal);
        expect(run.killedBy, run.stderr).toBeNull();
        expect(run.exitCode, run.stderr).toBe(status);
        // The command saw the signal, and its clean-up could still use the keychain.
        expect(run.signal, run.stdout).toBe(signal);
        expect(run.keychain, run.stdout).toBe('ok');
        expect(run.stderr).not.toMatch(/connection is closed/i);
        expect(run.home.includes('tessera-keyring-')).toBe(onLinux);
        if (!onLinux) return;
        leftovers.push(run.pid);
        expect(running(run.pid)).toBe(false);
        expect(existsSync(run.home)).toBe(false);
      },
    );
  },
);

/** Folders of the session keyrings built below. */
const outerHomes: string[] = [];
afterAll(() => {
  for (const dir of outerHomes) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the probe in `use-keychain` mode inside with-keyring, inside a D-Bus session whose gnome-keyring
 * is as a desktop may leave it: `unlocked`, `locked` (auto-login, or SSH to a workstation) or
 * `missing` (no keyring created yet). That daemon is stopped and waited for afterwards.
 */
function probeInSession(keyring: 'unlocked' | 'locked' | 'missing') {
  const home = mkdtempSync(join(tmpdir(), 'tessera-session-keyring-'));
  outerHomes.push(home);
  const script = [
    keyring === 'missing'
      ? 'gnome-keyring-daemon --start --components=secrets </dev/null >/dev/null 2>&1'
      : 'printf %s session-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1',
    'owner() { dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ' +
      "org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ { print $2 }'; }",
    'pid=$(owner); i=0',
    'while [ -z "$pid" ] && [ $i -lt 50 ]; do sleep 0.1; pid=$(owner); i=$((i + 1)); done',
    'echo "session-pid=$pid"',
    keyring === 'locked'
      ? 'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
        'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null'
      : ':',
    '"$@"; status=$?',
    'kill "$pid"; kill -CONT "$pid"',
    'i=0; while [ -d "/proc/$pid" ] && ! grep -q ") Z " "/proc/$pid/stat" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done',
    'exit $status',
  ].join('\n');
  const result = spawnSync(
    'dbus-run-session',
    [
      '--',
      'sh',
      '-c',
      script,
      'sh',
      process.execPath,
      'scripts/with-keyring.mjs',
      process.execPath,
      PROBE,
      'use-keychain',
      '0',
    ],
    { env: { ...bareEnv(), XDG_DATA_HOME: home }, encoding: 'utf8', timeout: 30_000 },
  );
  const sessionPid = Number(/^session-pid=(\d+)$/m.exec(result.stdout)?.[1] ?? Number.NaN);
  if (sessionPid) leftovers.push(sessionPid);
  return { ...result, ...fields(result.stdout), sessionHome: home, sessionPid };
}

describe.runIf(onLinux)('scripts/with-keyring.mjs with a Secret Service on the session bus (Linux)', () => {
  it("uses the session's keyring when it is unlocked, and says so", () => {
    const run = probeInSession('unlocked');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^with-keyring: using the session's Secret Service: .*login is unlocked$/m);
    expect(run.home).toBe(run.sessionHome);
    expect(run.pid).toBe(run.sessionPid);
    expect(run.keychain).toBe('ok');
  });

  it.each([
    ['locked', /^with-keyring: the session's keyring .*login is locked; using a private D-Bus session/m],
    ['missing', /^with-keyring: the session has no default or login keyring; using a private D-Bus session/m],
  ] as const)('uses a private keyring when the session keyring is %s, and says why', (keyring, said) => {
    const run = probeInSession(keyring);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(said);
    expect(run.home).toContain('tessera-keyring-');
    expect(run.pid).toBeGreaterThan(0);
    expect(run.pid).not.toBe(run.sessionPid);
    expect(run.keychain, run.stdout).toBe('ok');
    expect(existsSync(run.home)).toBe(false);
  });
});

/** Where `program` is on this PATH, or null. */
function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}

/** Runs the probe inside with-keyring with a PATH holding only `programs` (a machine lacking the others). */
function probeWithOnly(programs: string[]) {
  const bin = mkdtempSync(join(tmpdir(), 'tessera-path-'));
  outerHomes.push(bin);
  for (const program of programs) {
    const found = onPath(program);
    if (found === null)
      throw new Error(
        `${program} is not installed here (docs/development.md, "Tests": apt-get install dbus)`,
      );
    symlinkSync(found, join(bin, program));
  }
  const result = spawnSync(
    process.execPath,
    ['scripts/with-keyring.mjs', process.execPath, PROBE, 'look', '0'],
    { env: { ...bareEnv(), PATH: bin }, encoding: 'utf8', timeout: 30_000 },
  );
  return { ...result, ...fields(result.stdout) };
}

describe.runIf(onLinux)('scripts/with-keyring.mjs on a machine without the keyring tools (Linux)', () => {
  it.each([
    ['gnome-keyring-daemon', ['dbus-daemon', 'dbus-send'], 'gnome-keyring'],
    ['dbus-daemon', [], 'dbus'],
  ] as const)('names a missing %s and its package, and does not run the command', (missing, present, pkg) => {
    const run = probeWithOnly([...present]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `with-keyring: ${missing} is not installed, so there is no keychain to run the command with. ` +
        `Install it (Debian/Ubuntu: sudo apt-get install ${pkg}) and run again.`,
    );
    // The command never ran (it prints its keyring folder first).
    expect(run.stdout).toBe('');
  });
});
