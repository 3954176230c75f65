import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` needs the Electron binary, which cannot be downloaded here. A stand-in executable,
// supplied the documented way (ELECTRON_OVERRIDE_DIST_PATH), records what it was launched with and
// calls the API it was pointed at; everything else (build, reference server, wiring) is real.
const dir = mkdtempSync(join(tmpdir(), 'tessera-fake-electron-'));
const record = join(dir, 'launch.json');
const fake = join(dir, 'electron');
writeFileSync(
  fake,
  `#!/bin/sh
exec "${process.execPath}" -e '
const url = process.env.TESSERA_API_URL;
const args = process.argv.slice(1);
const data = { userDataDir: process.env.TESSERA_USER_DATA_DIR, keychainService: process.env.TESSERA_KEYCHAIN_SERVICE };
const done = (health) => require("node:fs").writeFileSync(${JSON.stringify(record)}, JSON.stringify({ url, args, health, data }));
url ? fetch(url + "/health").then((r) => r.json()).then(done, (e) => done(String(e))) : done(null);
' -- "$@"
`,
);
chmodSync(fake, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>, args: string[] = []) {
  rmSync(record, { force: true });
  const result = spawnSync(process.execPath, ['scripts/start.mjs', ...args], {
    env: { ...process.env, TESSERA_API_URL: '', ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });
  const launch = (() => {
    try {
      return JSON.parse(readFileSync(record, 'utf8')) as {
        url?: string;
        args: string[];
        health: unknown;
        data: { userDataDir?: string; keychainService?: string };
      };
    } catch {
      return null;
    }
  })();
  return { status: result.status, output: `${result.stdout}${result.stderr}`, launch };
}

describe('npm start (scripts/start.mjs)', () => {
  it('builds, starts the reference server on loopback and launches the app pointed at it', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    expect(run.status).toBe(0);
    expect(run.launch?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.launch?.health).toEqual({ status: 'ok' });
    expect(run.launch?.args[0]).toBe('.');
    expect(run.output).toContain('sign in as demo / demo-password');
  }, 120_000);

  it('starts no server when an API URL is given, and passes the flag on to the app', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir }, ['--api-url', 'https://api.example.com']);
    expect(run.status).toBe(0);
    expect(run.launch?.url ?? '').toBe('');
    expect(run.launch?.args).toEqual(['.', '--api-url', 'https://api.example.com']);
    expect(run.output).not.toContain('[server]');
  }, 120_000);

  it("keeps the run's data and sign-ins apart from an installed Tessera's, unless told where", () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir }, ['--api-url', 'https://api.example.com']);
    expect(run.launch?.data).toEqual({
      userDataDir: resolve('data/user-data'),
      keychainService: 'Tessera (development)',
    });
    expect(run.output).toContain('apart from an installed Tessera');
    const own = start(
      { ELECTRON_OVERRIDE_DIST_PATH: dir, TESSERA_USER_DATA_DIR: '/tmp/x', TESSERA_KEYCHAIN_SERVICE: 'mine' },
      ['--api-url', 'https://api.example.com'],
    );
    expect(own.launch?.data).toEqual({ userDataDir: '/tmp/x', keychainService: 'mine' });
  }, 120_000);

  it('fails at once, saying how to supply Electron, when no binary can be found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tessera-no-electron-'));
    try {
      const run = start({ ELECTRON_OVERRIDE_DIST_PATH: empty });
      expect(run.status).toBe(1);
      expect(run.output).toContain('cannot launch Tessera');
      expect(run.output).toContain('ELECTRON_OVERRIDE_DIST_PATH');
      expect(run.launch).toBeNull();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

/**
 * `npm start` (no server) with a stand-in Electron (the same mechanism as above) that writes `stderr`
 * and then ends as `ending` says: `kill -TRAP $$` dies of a signal like Chromium on a FATAL check,
 * `exit 3` exits with a code. The stand-in is removed before the answer; `electron` is where it was.
 */
function startFailingElectron(stderr: string, ending: string) {
  const standIn = mkdtempSync(join(tmpdir(), 'tessera-failing-electron-'));
  const electron = join(standIn, 'electron');
  writeFileSync(electron, `#!/bin/sh\necho ${JSON.stringify(stderr)} >&2\n${ending}\n`);
  chmodSync(electron, 0o755);
  try {
    return {
      ...start({ ELECTRON_OVERRIDE_DIST_PATH: standIn }, ['--api-url', 'https://api.example.com']),
      electron,
    };
  } finally {
    rmSync(standIn, { recursive: true, force: true });
  }
}

/** A stand-in dying of SIGTRAP after a FATAL `line`, as Chromium does on a failed check: status 133. */
function startCrashingElectron(line: string) {
  const run = startFailingElectron(line, 'kill -TRAP $$');
  expect(run.status).toBe(133);
  return run;
}

describe('npm start when the app fails', () => {
  it('reports a crash as a failure (128 + signal), and explains the root refusal', () => {
    const run = startCrashingElectron(
      '[1:FATAL:zygote_host_impl_linux.cc(127)] Running as root without --no-sandbox is not supported.',
    );
    expect(run.output).toContain('Running as root without --no-sandbox is not supported');
    expect(run.output).toContain('the app ended with SIGTRAP (exit status 133)');
    expect(run.output).toContain('Run `npm start` as an ordinary user');
  }, 120_000);

  it("explains a sandbox that cannot start (Ubuntu's AppArmor restriction)", () => {
    const run = startCrashingElectron(
      '[1:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly.',
    );
    expect(run.output).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    expect(run.output).toContain(`profile tessera-dev-electron "${run.electron}"`);
  }, 120_000);

  it('passes an exit code on', () => {
    const run = startFailingElectron('Error: something else', 'exit 3');
    expect(run.status).toBe(3);
    expect(run.output).toContain('the app ended with code 3 (exit status 3)');
    expect(run.output).not.toContain('ordinary user');
  }, 120_000);
});

describe('npm start: how the API URL is given', () => {
  it('stops, with the right command, when npm kept --api-url and passed the bare URL on', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir }, ['https://api.example.com']);
    expect(run.status).toBe(2);
    expect(run.output).toContain('npm start -- --api-url https://api.example.com');
    expect(run.output).not.toContain('[server]');
    expect(run.launch).toBeNull();
  });

  it("lets other flags' URL values through (the app gets them, the reference server still starts)", () => {
    const flags = [
      '--oidc-issuer',
      'https://login.example.com',
      '--update-url',
      'https://updates.example.com/',
    ];
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir }, flags);
    expect(run.status).toBe(0);
    expect(run.launch?.args).toEqual(['.', ...flags]);
    expect(run.launch?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 120_000);

  it('stops when npm kept --api-url=… as its own config (npm_config_api_url)', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir, npm_config_api_url: 'https://api.example.com' });
    expect(run.status).toBe(2);
    expect(run.output).toContain('npm start -- --api-url https://api.example.com');
    expect(run.launch).toBeNull();
  });
});

describe('npm start: a reference server that cannot start', () => {
  it('says so in one line and exits 1, without a stack trace', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir, TESSERA_SERVER_NO_SEED: 'yes' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('TESSERA_SERVER_NO_SEED');
    expect(run.output).toContain('start: the reference server did not start');
    expect(run.output).not.toMatch(/\n\s+at |Node\.js v/);
    expect(run.launch).toBeNull();
  }, 120_000);
});

/**
 * `npm start` left running: a stand-in Electron that records its launch (with its pid), then waits
 * until a signal ends it (INT: 130, TERM: 143), as the app does. The record is written beside and
 * renamed into place: a test polling for it never reads it half-written (it did once, under load).
 */
const waiting = mkdtempSync(join(tmpdir(), 'tessera-waiting-electron-'));
const waitingRecord = join(waiting, 'launch.json');
writeFileSync(
  join(waiting, 'electron'),
  `#!/bin/sh
trap 'exit 130' INT
trap 'exit 143' TERM
"${process.execPath}" -e 'const fs = require("node:fs"); fs.writeFileSync(${JSON.stringify(`${waitingRecord}.part`)}, JSON.stringify({ url: process.env.TESSERA_API_URL, pid: process.ppid })); fs.renameSync(${JSON.stringify(`${waitingRecord}.part`)}, ${JSON.stringify(waitingRecord)})'
while :; do sleep 0.1; done
`,
);
chmodSync(join(waiting, 'electron'), 0o755);
const leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(waiting, { recursive: true, force: true });
});

/**
 * `npm start` in the background; `ownGroup`: in a process group of its own (its pid), so a test can
 * tell when every process it started has ended (see `groupAlive`).
 */
function startInBackground({ ownGroup = false } = {}) {
  rmSync(waitingRecord, { force: true });
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, TESSERA_API_URL: '', ELECTRON_OVERRIDE_DIST_PATH: waiting },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  /** The stand-in's record, once it has been launched. */
  const launched = async () => {
    await expect.poll(() => existsSync(waitingRecord), { timeout: 90_000, interval: 200 }).toBe(true);
    const launch = JSON.parse(readFileSync(waitingRecord, 'utf8')) as { url: string; pid: number };
    leftovers.push(launch.pid);
    return launch;
  };
  return { child, exited, output: () => output, launched };
}

/** True when nothing listens on 127.0.0.1:`port` (asks it nothing). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** True while any process of the process group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('npm start: nothing left behind', () => {
  it('a closed terminal (SIGHUP) ends the app and stops the reference server', async () => {
    const run = startInBackground();
    const { url } = await run.launched();
    expect(await answers(url)).toBe(true);
    run.child.kill('SIGHUP');
    expect(await run.exited).toEqual({ code: 143, signal: null });
    expect(await answers(url)).toBe(false);
  }, 120_000);

  it('the reference server closes when npm start itself is killed (SIGKILL)', async () => {
    const run = startInBackground();
    const { url, pid } = await run.launched();
    run.child.kill('SIGKILL');
    await run.exited;
    process.kill(pid, 'SIGTERM');
    // Asked nothing (a request could end an orphan through its log's broken pipe): its port frees.
    const port = Number(new URL(url).port);
    await expect.poll(() => portIsFree(port), { timeout: 10_000, interval: 200 }).toBe(true);
  }, 120_000);

  it('Ctrl+C while the server starts stops everything, without an EPIPE crash', async () => {
    const run = startInBackground({ ownGroup: true });
    const group = run.child.pid;
    if (group === undefined) throw new Error('npm start did not start');
    // The build prints "built in" three times (main, preload, renderer); then the server starts.
    await expect
      .poll(() => run.output().match(/built in/g)?.length ?? 0, { timeout: 90_000, interval: 20 })
      .toBe(3);
    expect(groupAlive(group)).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(run.output()).not.toContain('EPIPE');
    // Every process npm start began (the reference server, however far it got) has ended.
    await expect.poll(() => groupAlive(group), { timeout: 10_000, interval: 100 }).toBe(false);
  }, 120_000);

  it('says which port it uses when 4000 is taken, and that accounts saved against :4000 stay with that port', async () => {
    const holder = createServer();
    // Taken by this test, or already by something else: either way 4000 is busy.
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(4000, '127.0.0.1', () => resolve());
    });
    try {
      const run = startInBackground();
      const { url } = await run.launched();
      expect(url).not.toBe('http://127.0.0.1:4000');
      expect(run.output()).toContain(
        `port 4000 is taken (another reference server still running?), so the server uses ${url}`,
      );
      expect(run.output()).toContain('Accounts saved earlier stay with http://127.0.0.1:4000');
      run.child.kill('SIGTERM');
      expect(await run.exited).toEqual({ code: 143, signal: null });
    } finally {
      holder.close();
    }
  }, 120_000);
});
