// The diagnostics bundle from a real session against the reference server: secrets are planted in
// every input (log files written raw, the user settings file, the policy file, the environment, the
// command line, session events) alongside the real tokens the server issued, and the zip is read back
// (own reader, and the `unzip` tool, a required test tool) and searched for each secret in several encodings.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEVELOPMENT_USERS, type RunningServer } from '../../server';
import { memoryVault } from '../../test/support/memory-vault';
import { startQuietServer } from '../../test/support/test-server';
import { readZip } from '../../test/support/unzip';
import { type AppServices, createAppServices } from '../app-services';
import { USER_SETTINGS_FILE } from '../core/config/settings-store';
import { createFileSink } from '../logging/file-sink';
import {
  createDiagnosticsZip,
  createDiagnosticsZipAsync,
  diagnosticsFileName,
  redactLogText,
} from './bundle';
import { collectDiagnostics, type DiagnosticsContext } from './collect';
import { writeOwnerOnlyFile } from './owner-only-file';
import { saveDiagnosticsCommand, saveDiagnosticsTarget } from './save-diagnostics';

const demo = DEVELOPMENT_USERS[0] ?? { username: 'demo', password: 'demo-password' };

/** The forms a leaked secret could take in a file: as is, base64, base64url, percent-encoded, and JWT parts. */
function forms(secret: string): string[] {
  const out = new Set([
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
  ]);
  // A JWT's payload or signature alone is as bad as the whole token.
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(secret))
    for (const part of secret.split('.').slice(1)) out.add(part);
  return [...out];
}

const random = (bytes: number) =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');
// Planted secrets, each unique so a hit names its source.
const planted = {
  cookie: `ck${random(12)}`,
  code: `ac${random(16)}`,
  proxyPassword: `Px-${random(9)}`,
  policyPassword: `Pp-${random(9)}`,
  envToken: `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"env"}').toString('base64url')}.${random(32)}`,
  opaque: random(40),
  // A PAC file's site key: a short value under a name that says nothing.
  siteKey: `Sk${random(7)}`,
};

let server: RunningServer;
let dir: string;
let services: AppServices;
let vault: ReturnType<typeof memoryVault>;
let context: DiagnosticsContext;

beforeAll(async () => {
  server = await startQuietServer();
});
afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-diagnostics-'));
  vault = memoryVault();
  const userData = join(dir, 'userData');
  mkdirSync(userData);
  // The user file: a valid API plus a key that is itself a token (unknown keys are quoted in problems).
  writeFileSync(
    join(userData, USER_SETTINGS_FILE),
    JSON.stringify({
      apiBaseUrl: server.url,
      [`Bearer ${planted.envToken}`]: 1,
      password: planted.policyPassword,
    }),
  );
  // The policy file: secrets in valid values (they are shown in the effective settings) and in bad ones.
  writeFileSync(
    join(dir, 'policy.json'),
    JSON.stringify({
      managed: {
        oidcAudience: planted.opaque,
        proxyPacUrl: `https://wpad.corp.example/proxy.pac?code=${planted.code}&k=${planted.siteKey}`,
        proxyServer: `http://alice:${planted.proxyPassword}@proxy.corp:8080`,
        [`refresh_token=${planted.opaque}`]: true,
      },
      defaults: { oidcProviderName: `Cookie: sid=${planted.cookie}` },
    }),
  );
  const env = {
    TESSERA_LOG_HISTORY_MIB: '1',
    TESSERA_API_URL: `https://api.example.com/cb?code=${planted.code}`,
    TESSERA_ACCESS_TOKEN: planted.envToken,
    TESSERA_PROXY_PAC_URL: `https://wpad.corp.example/other.pac?k=${planted.siteKey}`,
    HTTPS_PROXY: `http://alice:${planted.proxyPassword}@proxy.corp:8080`,
    no_proxy: 'localhost,.corp.example',
    HOME: '/home/alice',
  };
  const argv = ['tessera', '--oidc-scopes', `openid access_token=${planted.envToken}`];
  context = {
    userDataDir: userData,
    policyPath: join(dir, 'policy.json'),
    env,
    argv,
    version: '0.1.0',
    platform: process.platform,
    versions: process.versions,
    os: { platform: process.platform, release: '6.1.0', arch: process.arch },
    logDir: join(userData, 'logs'),
    now: () => Date.UTC(2026, 10, 30, 21, 0, 0),
  };
  services = createAppServices({
    userDataDir: userData,
    policyPath: context.policyPath,
    env,
    argv,
    fetch: globalThis.fetch,
    vault,
    logLevel: 'debug',
    logSink: createFileSink({ dir: context.logDir }),
  });
});

afterEach(() => {
  services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Lines an older or broken writer might have left in the log unredacted. */
function plantRawLogLines(access: string, refresh: string): void {
  const basic = Buffer.from(`alice:${planted.proxyPassword}`).toString('base64');
  appendFileSync(
    join(context.logDir, 'tessera.1.log'),
    [
      `2026-11-30T20:00:00.000Z DEBUG [old] GET /api/user/me Authorization: Bearer ${access}`,
      `2026-11-30T20:00:01.000Z DEBUG [old] {"refreshToken":"${refresh}","password":"${demo.password}"}`,
      `2026-11-30T20:00:02.000Z DEBUG [old] Cookie: sid=${planted.cookie}; theme=dark`,
      `2026-11-30T20:00:03.000Z DEBUG [old] Set-Cookie: sid=${planted.cookie}; HttpOnly`,
      `2026-11-30T20:00:04.000Z DEBUG [old] redirect http://127.0.0.1:5555/callback?code=${planted.code}&state=x`,
      `2026-11-30T20:00:05.000Z DEBUG [old] Proxy-Authorization: Basic ${basic}`,
      `2026-11-30T20:00:06.000Z DEBUG [old] via http://alice:${planted.proxyPassword}@proxy.corp:8080`,
      `2026-11-30T20:00:07.000Z DEBUG [old] refresh_token=${encodeURIComponent(refresh)}&username=demo`,
      `2026-11-30T20:00:08.000Z DEBUG [old] token copy ${Buffer.from(access).toString('base64')}`,
      `2026-11-30T20:00:09.000Z DEBUG [old] password=${encodeURIComponent(`${demo.password}/x+y`)}`,
      '',
    ].join('\n'),
  );
}

/** Every file of the zip as text, after checking it reads back. */
function unzipText(zip: Buffer): Map<string, string> {
  const files = new Map(readZip(zip).map((file) => [file.name, file.data.toString('utf8')]));
  // And Info-ZIP's unzip (a required test tool, installed by .ci/run) must read it the same way.
  const file = join(dir, 'bundle.zip');
  writeFileSync(file, zip);
  expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
  for (const name of files.keys())
    expect(execFileSync('unzip', ['-p', file, name]).toString()).toBe(files.get(name));
  return files;
}

describe('the diagnostics bundle', () => {
  it('holds settings, versions, keychain status, session events and logs, and not one planted or real secret', async () => {
    const signIn = await services.session.signIn(demo.username, demo.password);
    expect(signIn.ok).toBe(true);
    const grant = await services.session.getAccessToken();
    if (!grant.ok) throw new Error('no access token');
    const access = grant.value.accessToken;
    const refresh = vault.tokens.at(-1) ?? '';
    expect(refresh).not.toBe('');
    // The app's own logging during the session, at debug, with secrets handed to it.
    services.logger.debug('planted', { authorization: `Bearer ${access}`, refresh_token: refresh });
    plantRawLogLines(access, refresh);
    // A session event whose error quotes secrets (a server echoing what it got).
    const running = {
      settings: services.settings,
      session: services.session,
      sessionEvents: () => [
        ...services.sessionEvents(),
        {
          ...services.sessionEvents()[0],
          time: 1,
          state: 'signedOut' as const,
          reason: null,
          offline: false,
          user: `Cookie: sid=${planted.cookie}`,
          apiOrigin: `https://x.example/?code=${planted.code}`,
          expiresAt: null,
          nextRefreshAt: null,
          lastError: { code: 'SERVER', message: `refused ${access} and refresh_token=${refresh}` },
          keychain: { available: true, persisted: false },
          clockSkewMs: null,
        },
      ],
    };

    // The menu's path (built without blocking); the command line's synchronous one must read the same.
    const input = collectDiagnostics(context, running);
    const zip = await createDiagnosticsZipAsync(input);
    expect(readZip(zip)).toEqual(readZip(createDiagnosticsZip(input)));
    const files = unzipText(zip);
    expect([...files.keys()]).toEqual([
      'README.txt',
      'about.json',
      'effective-settings.json',
      'environment.json',
      'session-events.json',
      'logs/tessera.log',
      'logs/tessera.1.log',
    ]);

    const secrets: Record<string, string> = {
      access,
      refresh,
      password: demo.password,
      ...planted,
    };
    const everything = [...files.values(), zip.toString('latin1')].join('\n');
    for (const [name, secret] of Object.entries(secrets))
      for (const form of forms(secret))
        expect(everything.includes(form), `${name} as ${form.slice(0, 12)}…`).toBe(false);

    // What support needs is still there.
    const about = JSON.parse(files.get('about.json') ?? '{}');
    expect(about.versions.node).toBe(process.versions.node);
    expect(about.keychain).toEqual({ available: true, persisted: true });
    const settings = JSON.parse(files.get('effective-settings.json') ?? '{}');
    const setting = (key: string) => settings.settings.find((s: { key: string }) => s.key === key);
    expect(setting('proxyPacUrl')).toMatchObject({
      value: 'https://wpad.corp.example/proxy.pac?code=[redacted]&k=[redacted]',
      source: 'policy file',
      locked: true,
    });
    // A proxy with a password in it is refused (and stays locked); the problem says why.
    expect(setting('proxyServer')).toMatchObject({ value: '', locked: true });
    const problems = JSON.stringify(settings.problems);
    expect(problems).toMatch(/proxyServer must not contain a user name or password/);
    expect(problems).toContain('unknown setting \\"Bearer [redacted]');
    const events = JSON.parse(files.get('session-events.json') ?? '[]');
    expect(events.map((e: { state: string }) => e.state)).toEqual(
      expect.arrayContaining(['signedOut', 'signingIn', 'active']),
    );
    expect(events.find((e: { user: string }) => e.user === 'demo')).toBeDefined();
    const environment = JSON.parse(files.get('environment.json') ?? '{}');
    expect(environment).toEqual({
      HTTPS_PROXY: 'http://[redacted]@proxy.corp:8080',
      TESSERA_ACCESS_TOKEN: '[redacted]',
      TESSERA_API_URL: 'https://api.example.com/cb?code=[redacted]',
      TESSERA_LOG_HISTORY_MIB: '1',
      // Its query values hidden as the log hides them (a site key under a name that says nothing).
      TESSERA_PROXY_PAC_URL: 'https://wpad.corp.example/other.pac?k=[redacted]',
      no_proxy: 'localhost,.corp.example',
    });
    expect(files.get('logs/tessera.log')).toMatch(/signed in|sign-in|session/i);
    expect(files.get('logs/tessera.1.log')).toContain('Cookie: "[redacted]"');
  });

  it('keeps only logHistoryMiB of the newest log lines', () => {
    mkdirSync(context.logDir, { recursive: true });
    // Words, not one long run (the redactor hides long runs as possible tokens).
    const line = `${'log line of words '.repeat(5)}end\n`;
    writeFileSync(join(context.logDir, 'tessera.log'), `newest\n${line.repeat(7000)}`);
    writeFileSync(join(context.logDir, 'tessera.1.log'), `oldest\n${line.repeat(7000)}`);
    const files = unzipText(createDiagnosticsZip(collectDiagnostics(context, undefined)));
    const logBytes = [...files]
      .filter(([name]) => name.startsWith('logs/'))
      .reduce((n, [, t]) => n + t.length, 0);
    expect(logBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(logBytes).toBeGreaterThan(1024 * 1024 - 200);
    expect(files.get('logs/tessera.log')).toMatch(/^newest/);
    expect(files.get('logs/tessera.1.log')).not.toContain('oldest');
  });
});

describe('redactLogText()', () => {
  it('gives exactly redactText over the whole text, slice by slice', async () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"x"}').toString('base64url')}.${random(32)}`;
    const text = Array.from(
      { length: 500 },
      (_, i) => `line ${i} Authorization: Bearer ${jwt} Cookie: a=${random(8)}\n`,
    ).join('');
    const { redactText } = await import('../core/redact');
    expect(await redactLogText(text, 100)).toBe(redactText(text));
    expect(await redactLogText('no newline at the end', 4)).toBe('no newline at the end');
  });

  it('gives the same text when a secret field name ends one slice and its value starts the next line', async () => {
    const text = `${'x'.repeat(90)} refresh_token:\nrt_7Hq2xKp next\n`;
    const { redactText } = await import('../core/redact');
    // No rule reaches across a line: the same answer however the log is sliced.
    expect(await redactLogText(text, 90)).toBe(redactText(text));
  });
});

describe('tessera --save-diagnostics', () => {
  it('finds the file name after the flag or after =', () => {
    expect(saveDiagnosticsTarget(['x', '--save-diagnostics', 'out.zip'])).toBe('out.zip');
    expect(saveDiagnosticsTarget(['x', '--save-diagnostics=out.zip'])).toBe('out.zip');
    expect(saveDiagnosticsTarget(['x', '--save-diagnostics', '--log-level', 'debug'])).toBeNull();
    expect(saveDiagnosticsTarget(['x'])).toBeNull();
  });

  it('writes a bundle readable only by its owner without a running app, and says where', () => {
    const out: string[] = [];
    const code = saveDiagnosticsCommand({
      ...context,
      argv: [...context.argv, '--save-diagnostics', 'case.zip'],
      cwd: dir,
      write: (text) => out.push(text),
      error: (text) => out.push(text),
    });
    expect(code).toBe(0);
    expect(out).toEqual([`${join(dir, 'case.zip')}\n`]);
    const files = unzipText(readFileSync(join(dir, 'case.zip')));
    expect(JSON.parse(files.get('about.json') ?? '{}').keychain).toMatchObject({ checked: false });
    expect(files.get('session-events.json')).toMatch(/not running/);
    for (const [name, secret] of Object.entries(planted))
      for (const form of forms(secret))
        expect([...files.values()].join('\n').includes(form), `${name} as ${form.slice(0, 12)}…`).toBe(false);
  });

  it("makes a file that already existed, readable by others, the owner's only (the CLI and the Help menu)", async () => {
    const cli = join(dir, 'existing-cli.zip');
    const menu = join(dir, 'existing-menu.zip');
    for (const file of [cli, menu]) {
      writeFileSync(file, 'an older, longer file that was readable by everyone on the machine');
      chmodSync(file, 0o644);
    }
    const code = saveDiagnosticsCommand({
      ...context,
      argv: ['--save-diagnostics', cli],
      cwd: dir,
      write: () => {},
      error: () => {},
    });
    expect(code).toBe(0);
    // The Help menu's writer (main/shell/save-diagnostics.ts needs Electron; its write is this one).
    const zip = createDiagnosticsZip(collectDiagnostics(context));
    await writeOwnerOnlyFile(menu, zip);
    for (const file of [cli, menu]) {
      // Windows has no POSIX modes (its ACLs follow the folder).
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777, file).toBe(0o600);
      expect(unzipText(readFileSync(file)).has('about.json'), file).toBe(true);
    }
    expect(readFileSync(menu).equals(zip)).toBe(true);
  });

  it('answers 2 with a usage line when no file is named, and 1 when the file cannot be written', () => {
    const errors: string[] = [];
    const base = { ...context, cwd: dir, write: () => {}, error: (text: string) => errors.push(text) };
    expect(saveDiagnosticsCommand({ ...base, argv: ['--save-diagnostics'] })).toBe(2);
    expect(
      saveDiagnosticsCommand({ ...base, argv: ['--save-diagnostics', join(dir, 'no', 'such', 'x.zip')] }),
    ).toBe(1);
    expect(errors[0]).toMatch(/name the file to write/);
    expect(errors[1]).toMatch(/could not write .*ENOENT/);
  });

  it('suggests a dated file name without colons', () => {
    expect(diagnosticsFileName(Date.UTC(2026, 10, 30, 21, 5, 0, 123))).toBe(
      'tessera-diagnostics-2026-11-30T21-05-00Z.zip',
    );
  });
});
