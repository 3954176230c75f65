// Runs inside a child process with a keychain of its own (private-keyring.ts starts it): libsecret caches
// its connection per process, so a broken, locked or vanishing keychain can only be shown in a fresh one.
// CHILD_MODE picks what it does; "the app restarted" is a further child. Prints one JSON line (the
// result and the captured log), never a token.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionView } from '../../common/session';
import type { Session } from '../../main/core/contracts';
import { createWriteJournal } from '../../main/core/keychain-journal';
import { createSession } from '../../main/core/session/session';
import { apiScope, createVault, tokenAccount } from '../../main/core/vault';
import { captureLogs } from './capture-logs';
import { DEMO, TEST_SERVICE, testSettings } from './fixtures';
import { waitUntil } from './wait-until';

const env = (name: string): string => process.env[name] ?? '';
const logs = captureLogs('keychain-child');

/** Every vault made here: `quiet()` waits for their keychain calls. */
const vaults = new Set<ReturnType<typeof createVault>>();

/**
 * The user data folder of this child's app, with the keychain write journal the app keeps there; "the
 * app restarted" (a further child) inherits it, as the app's next run finds its folder.
 */
const ownsUserData = process.env.CHILD_USER_DATA === undefined;
const userDataDir = process.env.CHILD_USER_DATA ?? mkdtempSync(join(tmpdir(), 'tessera-keychain-child-'));
process.env.CHILD_USER_DATA = userDataDir;

function newVault() {
  const vault = createVault({
    service: TEST_SERVICE,
    logger: logs.logger.child('vault'),
    journal: createWriteJournal(userDataDir, logs.logger.child('vault')),
  });
  vaults.add(vault);
  return vault;
}

/**
 * Waits for the keychain calls the cores asked for, as quitting does: a session writes its refresh
 * token behind it, so the keychain (and the view's keychain status) are known only then.
 */
async function quiet(): Promise<void> {
  await Promise.all([...vaults].map((vault) => vault.settled()));
}

function newCore(): Session {
  return createSession({
    settings: testSettings(env('SERVER_URL')),
    fetch,
    vault: newVault(),
    logger: logs.logger,
    // The scenarios force refreshes back to back to drive the keychain; the page's limit is tested elsewhere.
    forcedRefreshIntervalMs: 0,
  });
}

function busCall(dest: string, path: string, method: string, ...args: string[]): string {
  const out = spawnSync(
    'gdbus',
    ['call', '--session', '--dest', dest, '--object-path', path, '--method', method, ...args],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  return `${out.stdout}${out.stderr}`;
}

function secretServiceOwned(): boolean {
  return /true/.test(
    busCall(
      'org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'org.freedesktop.secrets',
    ),
  );
}

/** Whether the login collection is there and unlocked (a daemon started with --unlock gets there a little after it owns its name). */
function loginCollectionUnlocked(): boolean {
  return /\(<false>,\)/.test(
    busCall(
      'org.freedesktop.secrets',
      '/org/freedesktop/secrets/collection/login',
      'org.freedesktop.DBus.Properties.Get',
      'org.freedesktop.Secret.Collection',
      'Locked',
    ),
  );
}

function lockLoginCollection(): void {
  busCall(
    'org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    "['/org/freedesktop/secrets/collection/login']",
  );
}

/** What crosses back to the test: the view (no token in it) and whether a token came back at all. */
function report(view: SessionView, tokenOk?: boolean) {
  return { view, ...(tokenOk === undefined ? {} : { tokenOk }) };
}

/** "The app restarted": a new process (fresh libsecret) does a silent sign-in (or `mode`). */
async function restartedApp(mode = 'start'): Promise<unknown> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename], {
    env: { ...process.env, CHILD_MODE: mode },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

/** Every CHILD_MODE (private-keyring.ts ChildMode). */
const scenarios: Record<string, () => Promise<unknown>> = {
  /** Save, load and remove one entry. */
  async vault() {
    const vault = newVault();
    const scope = 'https://child.example';
    const save = await vault.save(scope, 'demo', 'child-refresh-token');
    const load = await vault.load(scope);
    const remove = await vault.remove(scope, 'demo');
    return { save, load, remove };
  },

  /** Sign in, refresh and sign out; only whether a token came back crosses the process boundary. */
  async session() {
    const core = newCore();
    const started = await core.start();
    const signIn = await core.signIn(DEMO.username, DEMO.password);
    const token = await core.getAccessToken({ forceRefresh: true });
    await quiet();
    const view = core.getView();
    const signOut = await core.signOut();
    core.dispose();
    return { started, signInOk: signIn.ok, tokenOk: token.ok, view, signOut };
  },

  async start() {
    const core = newCore();
    const view = await core.start();
    core.dispose();
    return report(view);
  },

  /** Sign in, kill the keyring daemon, refresh; restart it, refresh; then restart the app. */
  async 'daemon-restart'() {
    const core = newCore();
    const signIn = await core.signIn(DEMO.username, DEMO.password);
    await quiet();
    process.kill(Number(readFileSync(env('KEYRING_PID_FILE'), 'utf8')), 'SIGTERM');
    const gone = await waitUntil(() => !secretServiceOwned(), { timeoutMs: 5_000, intervalMs: 50 });
    const afterKill = report(core.getView(), (await core.getAccessToken({ forceRefresh: true })).ok);
    await quiet();
    afterKill.view = core.getView();

    const daemon = spawn(
      'gnome-keyring-daemon',
      ['--replace', '--foreground', '--unlock', '--components=secrets'],
      {
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    );
    daemon.stdin.end(env('KEYRING_PW'));
    // Back once it answers with the login collection unlocked: before that, a new process reads the
    // collection as locked (what a restart finds then is the locked-at-start case, not this one).
    const back = await waitUntil(() => secretServiceOwned() && loginCollectionUnlocked(), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const refreshed = (await core.getAccessToken({ forceRefresh: true })).ok;
    await quiet();
    const afterRestart = report(core.getView(), refreshed);
    const restarted = await restartedApp();
    core.dispose();
    daemon.kill('SIGTERM');
    return { signInOk: signIn.ok, gone, back, afterKill, afterRestart, restarted };
  },

  /** Sign in, lock the collection, refresh twice. */
  async 'lock-mid-session'() {
    const core = newCore();
    const signIn = await core.signIn(DEMO.username, DEMO.password);
    await quiet();
    lockLoginCollection();
    const first = (await core.getAccessToken({ forceRefresh: true })).ok;
    const second = (await core.getAccessToken({ forceRefresh: true })).ok;
    await quiet();
    const view = core.getView();
    core.dispose();
    return { signInOk: signIn.ok, locked: report(view, first && second) };
  },

  /** Sign in (stored), lock the collection, sign out; then unlock it: is the token still there? */
  async 'locked-at-sign-out'() {
    const core = newCore();
    const signIn = await core.signIn(DEMO.username, DEMO.password);
    await quiet();
    lockLoginCollection();
    await core.signOut();
    await quiet();
    const view = core.getView();
    core.dispose();
    const unlock = spawnSync('gnome-keyring-daemon', ['--replace', '--unlock', '--components=secrets'], {
      input: env('KEYRING_PW'),
      timeout: 10_000,
    });
    const unlocked =
      unlock.status === 0 &&
      (await waitUntil(() => secretServiceOwned() && loginCollectionUnlocked(), {
        timeoutMs: 10_000,
        intervalMs: 50,
      }));
    // Read by a new process: this one's libsecret still talks to the replaced daemon.
    const { tokenLeft } = (await restartedApp('token-left')) as { tokenLeft?: boolean };
    return { signInOk: signIn.ok, signedOut: report(view), unlocked, tokenLeft };
  },

  /** Whether the keychain holds a refresh token of DEMO on SERVER_URL. */
  async 'token-left'() {
    const { default: keytar } = await import('keytar');
    const entry = tokenAccount(apiScope(env('SERVER_URL')), DEMO.username);
    return { tokenLeft: (await keytar.getPassword(TEST_SERVICE, entry)) !== null };
  },

  /** Sign in (stored), quit, lock the collection, start again. */
  async 'locked-at-start'() {
    const first = newCore();
    const signIn = await first.signIn(DEMO.username, DEMO.password);
    await quiet();
    const persistedBefore = signIn.ok && first.getView().keychain.persisted;
    first.dispose();
    lockLoginCollection();
    const core = newCore();
    const view = await core.start();
    core.dispose();
    return {
      signInOk: signIn.ok,
      persistedBefore,
      started: report(view),
    };
  },
};

const scenario = scenarios[env('CHILD_MODE')];
const run = scenario ?? (async () => ({ crashed: `unknown CHILD_MODE ${env('CHILD_MODE')}` }));
const finish = (exit: number) => {
  if (ownsUserData) rmSync(userDataDir, { recursive: true, force: true });
  process.exit(exit);
};
run().then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ ...(result as object), log: logs.text() })}\n`);
    // libsecret's worker threads can keep the process alive after a daemon vanished.
    finish(0);
  },
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ crashed: String(error), log: logs.text() })}\n`);
    finish(1);
  },
);
