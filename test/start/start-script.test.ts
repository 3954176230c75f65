import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const done = (health) => require("node:fs").writeFileSync(${JSON.stringify(record)}, JSON.stringify({ url, args, health }));
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
      return JSON.parse(readFileSync(record, 'utf8')) as { url?: string; args: string[]; health: unknown };
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
