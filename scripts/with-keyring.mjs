#!/usr/bin/env node
// Runs a command where a real OS keychain is reachable, so keychain tests are never mocked.
// Linux: the session's Secret Service is used only when its default collection (or `login`) is
// unlocked; otherwise (no bus, no Secret Service, a locked or missing keyring) the command runs on a
// private D-Bus bus with a freshly unlocked gnome-keyring (its data in a throw-away HOME-like dir);
// where dbus-daemon or gnome-keyring-daemon is not installed, it says so and exits 1 without running it.
// macOS/Windows: the real keychain is used under a test-only service name (set below),
// and the tests delete what they create.
// One line on stderr says which keyring is used and why (stdout stays the command's own).
//
// Signals: the command runs in the wrapper's process group, so Ctrl+C reaches it from the terminal as
// before; the private bus and keyring daemon run in a session of their own, so it does not reach them.
// On SIGINT, SIGTERM or SIGHUP the wrapper forwards the signal to the command (after Ctrl+C it gets two,
// from the terminal and from here; Playwright ignores a second SIGINT within a second), waits for it to exit (at most COMMAND_GRACE_MS, then kills
// it), then stops the daemon, removes the folder, and exits with 128 + the signal's number.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTool } from './spawn-tool.mjs';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-keyring.mjs <command> [args…]');
  process.exit(2);
}

process.env.TESSERA_TEST_KEYCHAIN_SERVICE ??= 'Tessera-test';

/** How long an interrupted command gets to clean up (its keychain entries, browsers) before it is killed. */
const COMMAND_GRACE_MS = 30_000;
/** How long the keyring daemon and the bus get to stop. */
const DAEMON_GRACE_MS = 5_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One D-Bus method call on the session bus at `address` (default: the inherited one); its reply text, or null. */
function dbusCall(dest, path, method, args, address) {
  const env = address ? { ...process.env, DBUS_SESSION_BUS_ADDRESS: address } : process.env;
  const reply = spawnSync(
    'dbus-send',
    ['--session', '--print-reply', `--dest=${dest}`, path, method, ...args],
    {
      encoding: 'utf8',
      timeout: 5000,
      env,
    },
  );
  return reply.status === 0 ? reply.stdout : null;
}

/** The pid of the process owning the Secret Service name on the bus at `address`, or null. */
function secretServiceOwner(address) {
  const reply = dbusCall(
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    ['string:org.freedesktop.secrets'],
    address,
  );
  const pid = /uint32 (\d+)/.exec(reply ?? '')?.[1];
  return pid ? Number(pid) : null;
}

/** Whether the collection at `path` is locked (true/false), or null when there is no such collection. */
function collectionLocked(path) {
  const reply = dbusCall('org.freedesktop.secrets', path, 'org.freedesktop.DBus.Properties.Get', [
    'string:org.freedesktop.Secret.Collection',
    'string:Locked',
  ]);
  const value = /boolean (true|false)/.exec(reply ?? '')?.[1];
  return value === undefined ? null : value === 'true';
}

/**
 * Whether the session's Secret Service can be used as it is, and why (or why not). keytar writes to the
 * `default` collection: a locked one makes every keychain call fail ("Cannot create an item in a locked
 * collection") and a missing one makes gnome-keyring ask for a new keyring through a prompt nobody sees.
 * @returns {{ usable: boolean, why: string }}
 */
function sessionKeyring() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return { usable: false, why: 'no D-Bus session bus' };
  const owned = dbusCall(
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.NameHasOwner',
    ['string:org.freedesktop.secrets'],
  );
  if (!/boolean true/.test(owned ?? ''))
    return { usable: false, why: 'no Secret Service on the session bus' };
  const alias = dbusCall(
    'org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.ReadAlias',
    ['string:default'],
  );
  const aliased = /object path "([^"]+)"/.exec(alias ?? '')?.[1];
  const candidates = [
    ...(aliased && aliased !== '/' ? [aliased] : []),
    '/org/freedesktop/secrets/collection/login',
  ];
  for (const path of candidates) {
    const locked = collectionLocked(path);
    if (locked === false) return { usable: true, why: `its keyring ${path} is unlocked` };
    if (locked === true) return { usable: false, why: `the session's keyring ${path} is locked` };
  }
  return { usable: false, why: 'the session has no default or login keyring' };
}

/** Whether `pid` still runs: its /proc entry exists and is not a zombie (its parent may reap it late). */
function running(pid) {
  try {
    return /\) [^Z] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits (at most `ms`) until `pid` no longer runs; whether it stopped. */
async function stopped(pid, ms) {
  for (let waited = 0; running(pid) && waited < ms; waited += 100) await sleep(100);
  return !running(pid);
}

// The first terminating signal (forwarded to the command, then the wrapper exits with 128 + its
// number), and the command while it runs. Handlers stay installed until the end, so a signal during
// start-up or clean-up still lets the clean-up finish.
let interrupted = null;
let current = null;
let grace = null;
/** Forwards `signal` to the running command; the first one also starts the command's grace period. */
function forward(signal) {
  if (!current || current.exitCode !== null || current.signalCode !== null) return;
  current.kill(signal);
  const child = current;
  grace ??= setTimeout(() => {
    console.error(
      `with-keyring: the command did not exit within ${COMMAND_GRACE_MS / 1000} s of ${interrupted}; killing it`,
    );
    child.kill('SIGKILL');
  }, COMMAND_GRACE_MS);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted ??= signal;
    forward(signal);
  });
}

/** Runs `cmd` (npx, vitest, playwright… — .cmd shims on Windows, hence spawnTool); resolves to its exit status. */
function run(cmd, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawnTool(cmd, args, { stdio: 'inherit', env });
    current = child;
    const done = (status) => {
      clearTimeout(grace);
      current = null;
      resolve(status);
    };
    child.on('error', (error) => {
      console.error(`with-keyring: cannot run ${cmd}: ${error.message}`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 0)));
    // A signal that arrived before the command started is its too.
    if (interrupted) forward(interrupted);
  });
}

/**
 * Removes the throw-away keyring folder. The daemon has been stopped by then; should the removal fail
 * all the same, a warning is printed and the command's exit status is still returned.
 */
function removeKeyringHome(dir) {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    console.error(`with-keyring: could not remove ${dir}: ${error.message}`);
  }
}

/** What to tell a developer whose machine lacks `program` (from the Debian/Ubuntu `pkg`). */
function notInstalled(program, pkg) {
  return (
    `with-keyring: ${program} is not installed, so there is no keychain to run the command with. ` +
    `Install it (Debian/Ubuntu: sudo apt-get install ${pkg}) and run again.`
  );
}

/**
 * Starts a private session bus in a session of its own (Ctrl+C does not reach it); its process and
 * address (null when it did not start), and whether dbus-daemon is missing altogether.
 */
async function startBus() {
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let missing = false;
  const address = await new Promise((resolve) => {
    let text = '';
    bus.stdout.setEncoding('utf8');
    bus.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.split('\n')[0].trim());
    });
    bus.on('error', (error) => {
      missing = error.code === 'ENOENT';
      resolve(null);
    });
    bus.on('exit', () => resolve(null));
  });
  bus.stdout.destroy();
  return { bus, address, missing };
}

/**
 * Starts gnome-keyring-daemon on the bus at `address`, unlocked with a throw-away password, keeping its
 * collections in `dataHome`, in a session of its own; resolves once it owns the Secret Service name (at
 * most 5 s: `--unlock` returns before it does) to its pid, or null; 'missing' at once when
 * gnome-keyring-daemon is not installed.
 */
async function startKeyring(address, dataHome) {
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: dataHome };
  const launcher = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env,
  });
  const launched = new Promise((resolve) => {
    launcher.on('error', resolve);
    launcher.on('exit', resolve);
  });
  launcher.stdin.on('error', () => {});
  launcher.stdin.end('tessera-test-keyring');
  if ((await launched)?.code === 'ENOENT') return 'missing';
  for (let waited = 0; waited <= 5000 && !interrupted; waited += 100) {
    const pid = secretServiceOwner(address);
    if (pid) return pid;
    await sleep(100);
  }
  return null;
}

/** Stops the keyring daemon (SIGCONT after SIGTERM, as service managers do: a stopped daemon handles it too) and the bus. */
async function stopPrivateSession(keyringPid, bus) {
  if (keyringPid && running(keyringPid)) {
    try {
      process.kill(keyringPid, 'SIGTERM');
      process.kill(keyringPid, 'SIGCONT');
    } catch {}
    if (!(await stopped(keyringPid, DAEMON_GRACE_MS))) {
      console.error(`with-keyring: gnome-keyring (pid ${keyringPid}) did not stop; killing it`);
      try {
        process.kill(keyringPid, 'SIGKILL');
      } catch {}
      await stopped(keyringPid, DAEMON_GRACE_MS);
    }
  }
  if (bus.pid !== undefined && bus.exitCode === null && bus.signalCode === null) {
    const exited = new Promise((resolve) => bus.once('exit', resolve));
    bus.kill('SIGTERM');
    await Promise.race([exited, sleep(DAEMON_GRACE_MS)]);
  }
}

async function main() {
  if (process.platform !== 'linux') {
    console.error(
      `with-keyring: using the OS keychain under the service name ${process.env.TESSERA_TEST_KEYCHAIN_SERVICE}`,
    );
    return run(command[0], command.slice(1));
  }
  if (process.env.TESSERA_KEYRING_READY === '1') {
    console.error('with-keyring: using the keyring session this already runs in (TESSERA_KEYRING_READY=1)');
    return run(command[0], command.slice(1));
  }
  const session = sessionKeyring();
  if (session.usable) {
    console.error(`with-keyring: using the session's Secret Service: ${session.why}`);
    return run(command[0], command.slice(1));
  }
  console.error(`with-keyring: ${session.why}; using a private D-Bus session with a fresh gnome-keyring`);
  // gnome-keyring keeps its collections under $XDG_DATA_HOME/keyrings: point that at a temp dir
  // so a test run never touches (or depends on) the developer's own keyring.
  const dataHome = mkdtempSync(join(tmpdir(), 'tessera-keyring-'));
  const { bus, address, missing } = await startBus();
  let keyringPid = null;
  try {
    if (!address) {
      console.error(
        missing ? notInstalled('dbus-daemon', 'dbus') : 'with-keyring: dbus-daemon did not start',
      );
      return 1;
    }
    keyringPid = await startKeyring(address, dataHome);
    if (keyringPid === 'missing') {
      keyringPid = null;
      console.error(notInstalled('gnome-keyring-daemon', 'gnome-keyring'));
      return 1;
    }
    if (!keyringPid && !interrupted) {
      console.error('with-keyring: gnome-keyring did not appear on the session bus within 5 s');
    }
    if (interrupted) return 128 + constants.signals[interrupted];
    return await run(command[0], command.slice(1), {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_DATA_HOME: dataHome,
      TESSERA_KEYRING_READY: '1',
    });
  } finally {
    await stopPrivateSession(keyringPid, bus);
    removeKeyringHome(dataHome);
  }
}

const status = await main();
process.exit(interrupted ? 128 + constants.signals[interrupted] : status);
