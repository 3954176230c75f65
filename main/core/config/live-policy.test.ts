// Live policy: the JSON policy file and a fake OS source change while the app runs; the store
// re-applies the layers (same validation, same fail-closed rules), listeners hear new values, and the
// watcher notices file changes (real fs.watch) and polls the OS source.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../common/settings';
import { DEVELOPMENT_USERS, type RunningServer } from '../../../server';
import { startQuietServer } from '../../../test/support/test-server';
import { eventually } from '../../../test/support/wait-until';
import { createAppServices } from '../../app-services';
import type { PolicyReload } from '../contracts';
import type { Timers } from '../timers';
import type { Vault } from '../vault';
import type { ConfirmConnectionChange, ConnectionChange } from './connection-change';
import type { PolicyRead, PolicySource } from './policy-source';
import { RESTART_KEYS, watchPolicy } from './policy-watcher';
import { createSettingsStore, fileSignature } from './settings-store';

let dir: string;
let policyPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-live-policy-'));
  policyPath = join(dir, 'policy', 'policy.json');
  mkdirSync(join(dir, 'policy'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writePolicy = (policy: unknown) => writeFileSync(policyPath, JSON.stringify(policy));

/** An OS policy source whose managed values the test changes, as an administrator would in the registry. */
function fakeOsSource(initial: Record<string, unknown> = {}) {
  let managed = initial;
  let reads = 0;
  const source: PolicySource & { set(values: Record<string, unknown>): void; reads(): number } = {
    name: 'registry HKLM\\Software\\Policies\\Tessera (fake)',
    read: (): PolicyRead => {
      reads += 1;
      return { name: source.name, managed, problems: [] };
    },
    set: (values) => {
      managed = values;
    },
    reads: () => reads,
  };
  return source;
}

function newStore(
  policySource?: PolicySource,
  confirmConnectionChange?: ConfirmConnectionChange,
  now?: () => number,
) {
  const warnings: string[] = [];
  const store = createSettingsStore({
    userDataDir: dir,
    policyPath,
    env: {},
    argv: [],
    logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    ...(policySource ? { policySource } : {}),
    ...(confirmConnectionChange ? { confirmConnectionChange } : {}),
    ...(now ? { now } : {}),
  });
  return { store, warnings };
}

/**
 * The person's confirmation dialog as a fixture the test answers: `asked` holds each change it was
 * shown, `answer` closes the open one.
 */
function openDialog() {
  const asked: ConnectionChange[] = [];
  let close: ((yes: boolean) => void) | null = null;
  const confirm: ConfirmConnectionChange = (change) => {
    asked.push(change);
    return new Promise((resolve) => {
      close = resolve;
    });
  };
  return {
    confirm,
    asked,
    answer(yes: boolean) {
      close?.(yes);
      close = null;
    },
  };
}

describe('settingsStore.reloadPolicy()', () => {
  it('locks and unlocks keys when the policy file changes, and tells listeners the new values', async () => {
    const { store } = newStore();
    const heard: Settings[] = [];
    store.onChange((settings) => {
      heard.push(settings);
    });
    writePolicy({ managed: { requestTimeoutMs: 30_000, logLevel: 'debug' } });
    expect(await store.reloadPolicy()).toEqual({
      changed: ['requestTimeoutMs', 'logLevel'],
      viewChanged: true,
    });
    expect(store.view().managed).toEqual(['requestTimeoutMs', 'logLevel']);
    expect(heard.at(-1)?.requestTimeoutMs).toBe(30_000);
    const refused = await store.update({ requestTimeoutMs: 20_000 });
    expect(refused.ok || refused.error.code).toBe('MANAGED_SETTING');

    // A file that names nothing unlocks at once (a deleted one after a grace, below).
    writePolicy({});
    expect(await store.reloadPolicy()).toEqual({
      changed: ['requestTimeoutMs', 'logLevel'],
      viewChanged: true,
    });
    expect(store.view().managed).toEqual([]);
    expect((await store.update({ requestTimeoutMs: 20_000 })).ok).toBe(true);
  });

  it('says nothing changed, and tells no listener, when the policy reads the same', async () => {
    writePolicy({ managed: { theme: 'dark' } });
    const { store } = newStore();
    let calls = 0;
    store.onChange(() => {
      calls += 1;
    });
    expect(await store.reloadPolicy()).toEqual({ changed: [], viewChanged: false });
    expect(calls).toBe(0);
  });

  // A typo pushed to every machine, or a file read half-written, must not lock the API away from
  // people who are using it (that signs them out and deletes their stored sign-in): the policy read
  // whole before stays in force, the problem is logged, and the fix applies when it is read.
  it('keeps the policy read before in force when the file breaks while the app runs, and says so', async () => {
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example', theme: 'dark' } });
    const { store, warnings } = newStore();
    const before = store.view();
    writeFileSync(policyPath, '{ "managed": { "apiBaseUrl": "https://api.corp.example", ');
    expect(await store.reloadPolicy()).toEqual({ changed: [], viewChanged: true });
    const after = store.view();
    expect(after.values).toEqual(before.values);
    expect(after.managed).toEqual(['apiBaseUrl', 'theme']);
    expect(after.values.updatesEnabled).toBe(true);
    const messages = after.issues.map((issue) => issue.message);
    expect(messages).toEqual([
      expect.stringMatching(/^policy file .*policy\.json is not valid JSON/),
      `policy file ${policyPath}: the policy read from it before stays in force until it is fixed (at the next start of Tessera, admin and connection settings lock instead)`,
    ]);
    // Logged once, when it appears.
    for (const message of messages)
      expect(warnings.filter((w) => w === `Settings: ${message}`)).toHaveLength(1);
    await store.reloadPolicy();
    expect(warnings.filter((w) => w.includes('stays in force'))).toHaveLength(1);

    writePolicy({ managed: { apiBaseUrl: 'https://api2.corp.example' } });
    expect(await store.reloadPolicy()).toEqual({ changed: ['apiBaseUrl', 'theme'], viewChanged: true });
    expect(store.view().issues).toEqual([]);
    expect(store.view().managed).toEqual(['apiBaseUrl']);
  });

  it('keeps a managed value read before in force when IT changes it to an invalid one while the app runs', async () => {
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example', maxAccounts: 2 } });
    const { store, warnings } = newStore();
    // A trailing space and a string where a number belongs: at start-up both would lock closed.
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example ', maxAccounts: '3', theme: 'dark' } });
    expect(await store.reloadPolicy()).toEqual({ changed: ['theme'], viewChanged: true });
    const view = store.view();
    expect(view.values).toMatchObject({
      apiBaseUrl: 'https://api.corp.example',
      maxAccounts: 2,
      theme: 'dark',
    });
    expect(view.managed).toEqual(['apiBaseUrl', 'theme', 'maxAccounts']);
    const kept =
      '; the value read before stays in force until it is fixed (at the next start of Tessera, the key locks as for any invalid value)';
    expect(view.issues.map((issue) => issue.key)).toEqual(['apiBaseUrl', 'maxAccounts']);
    for (const issue of view.issues) {
      expect(issue.message).toContain(`${issue.key} must be a`);
      expect(issue.message.endsWith(kept), issue.message).toBe(true);
    }
    expect(warnings.filter((w) => w.includes('stays in force'))).toHaveLength(2);
    // A value never read valid has nothing to keep: it locks as at start-up.
    writePolicy({
      managed: { apiBaseUrl: 'https://api.corp.example ', maxAccounts: '3', updatesEnabled: 'no' },
    });
    await store.reloadPolicy();
    expect(store.current()).toMatchObject({ apiBaseUrl: 'https://api.corp.example', updatesEnabled: false });
  });

  // Group Policy Preferences' "Replace" deletes the file and copies it again from the domain; a reload
  // between the two must not unlock everything (the API moving signs everyone out) for a moment.
  it('keeps the policy in force while the file is gone for less than 30 s, and applies "no file" after', async () => {
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example', maxAccounts: 2 } });
    let clock = 1_000_000;
    const { store, warnings } = newStore(undefined, undefined, () => clock);
    const before = store.view();
    rmSync(policyPath);
    expect(await store.reloadPolicy()).toEqual({ changed: [], viewChanged: true });
    expect(store.view().values).toEqual(before.values);
    expect(store.view().managed).toEqual(['apiBaseUrl', 'maxAccounts']);
    const gone = `policy file ${policyPath} is gone; the policy read before stays in force for 30 s (a tool may be rewriting it), then no policy file is used`;
    expect(store.view().issues.map((issue) => issue.message)).toEqual([gone]);
    expect(warnings).toContain(`Settings: ${gone}`);
    // Back, as it was: nothing changed.
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example', maxAccounts: 2 } });
    clock += 5_000;
    expect(await store.reloadPolicy()).toEqual({ changed: [], viewChanged: true });
    expect(store.view().issues).toEqual([]);
    // Gone for good: kept at 29 s, no policy from 30 s on.
    rmSync(policyPath);
    await store.reloadPolicy();
    clock += 29_000;
    expect((await store.reloadPolicy()).changed).toEqual([]);
    clock += 1_000;
    expect(await store.reloadPolicy()).toEqual({ changed: ['apiBaseUrl', 'maxAccounts'], viewChanged: true });
    expect(store.view().managed).toEqual([]);
    expect(store.view().issues).toEqual([]);
  });

  // A Group Policy refresh rewrites the registry values it manages: a reload in between must not
  // unlock a key (an API unlocked and reverted signs everyone out) for a moment.
  it('keeps an OS policy value that vanishes in force for 30 s, and applies the OS policy as it is after', async () => {
    const os = fakeOsSource({ apiBaseUrl: 'https://api.corp.example', maxAccounts: 2, theme: 'dark' });
    let clock = 1_000_000;
    const { store, warnings } = newStore(os, undefined, () => clock);
    const before = store.view();
    // Half rewritten: theme is back (changed), the other two are not yet.
    os.set({ theme: 'light' });
    expect(await store.reloadPolicy()).toEqual({ changed: [], viewChanged: true });
    expect(store.view().values).toEqual(before.values);
    const held =
      'OS policy no longer sets apiBaseUrl, maxAccounts; the policy read before stays in force for 30 s (a tool may be rewriting it), then the OS policy as it is then applies';
    expect(store.view().issues.map((issue) => issue.message)).toEqual([held]);
    expect(warnings).toContain(`Settings: ${held}`);
    // Rewritten whole: the new value applies at once.
    os.set({ apiBaseUrl: 'https://api.corp.example', maxAccounts: 2, theme: 'light' });
    clock += 2_000;
    expect(await store.reloadPolicy()).toEqual({ changed: ['theme'], viewChanged: true });
    expect(store.view().issues).toEqual([]);
    // Removed for good: kept at 29 s, gone from 30 s on.
    os.set({ apiBaseUrl: 'https://api.corp.example', theme: 'light' });
    await store.reloadPolicy();
    clock += 29_000;
    expect((await store.reloadPolicy()).changed).toEqual([]);
    clock += 1_000;
    expect(await store.reloadPolicy()).toEqual({ changed: ['maxAccounts'], viewChanged: true });
    expect(store.view().managed).toEqual(['apiBaseUrl', 'theme']);
    expect(store.view().issues).toEqual([]);
  });

  it('still fails closed for a file already broken at start-up, and keeps it closed while it stays broken', async () => {
    writeFileSync(policyPath, '{ "managed": ');
    const { store } = newStore();
    expect(store.current().updatesEnabled).toBe(false);
    expect(store.view().managed).toEqual(expect.arrayContaining(['apiBaseUrl', 'updatesEnabled']));
    writeFileSync(policyPath, '{ "managed": { ');
    await store.reloadPolicy();
    expect(store.current().updatesEnabled).toBe(false);
    expect(store.view().managed).toEqual(expect.arrayContaining(['apiBaseUrl', 'updatesEnabled']));
    expect(
      store
        .view()
        .issues.map((issue) => issue.message)
        .join('\n'),
    ).not.toContain('stays in force');
  });

  it('keeps the OS policy read before when the OS source cannot be read while the app runs', async () => {
    const os = fakeOsSource({ apiBaseUrl: 'https://api.corp.example' });
    const { store } = newStore(os);
    const fail = os.read;
    os.read = () => ({
      name: os.name,
      problems: [
        { key: '', message: 'registry HKLM cannot be read (reg.exe: exit code null)', effect: 'lockAll' },
      ],
    });
    expect((await store.reloadPolicy()).changed).toEqual([]);
    expect(store.current().apiBaseUrl).toBe('https://api.corp.example');
    expect(store.current().maxAccounts).toBe(5);
    expect(store.view().issues.map((issue) => issue.message)).toEqual([
      'registry HKLM cannot be read (reg.exe: exit code null)',
      `${os.name}: the policy read from it before stays in force until it is fixed (at the next start of Tessera, admin and connection settings lock instead)`,
    ]);
    os.read = fail;
    os.set({ apiBaseUrl: 'https://api2.corp.example' });
    expect((await store.reloadPolicy()).changed).toEqual(['apiBaseUrl']);
    expect(store.view().issues).toEqual([]);
  });

  it('lets the OS source win over the file, live, key by key', async () => {
    writePolicy({ managed: { requestTimeoutMs: 30_000 } });
    const os = fakeOsSource();
    let clock = 1_000_000;
    const { store } = newStore(os, undefined, () => clock);
    os.set({ requestTimeoutMs: 45_000 });
    expect((await store.reloadPolicy()).changed).toEqual(['requestTimeoutMs']);
    expect(store.view().sources.requestTimeoutMs).toBe('policyOs');
    os.set({});
    await store.reloadPolicy();
    // Held for the grace a rewrite gets (above), then the file's value.
    expect(store.current().requestTimeoutMs).toBe(45_000);
    clock += 30_000;
    await store.reloadPolicy();
    expect(store.current().requestTimeoutMs).toBe(30_000);
    expect(store.view().sources.requestTimeoutMs).toBe('policyManaged');
  });
});

// The person's confirmation of a connection change can stay open for minutes; a policy reload waits
// for it (one change at a time). What the person says yes to must still be allowed by IT's policy
// as it is when the answer comes, not as it was when the dialog opened.
describe('a policy change while the person is asked to confirm a connection change', () => {
  const userFile = () => join(dir, 'settings.json');

  /**
   * Proposes `patch`, and while its dialog is open IT writes `policy` and the watcher asks for a
   * reload; then the person says yes. The update's and the reload's answers are still to come.
   */
  async function yesAfterPolicyChange(patch: Partial<Settings>, policy: unknown) {
    const dialog = openDialog();
    const { store } = newStore(undefined, dialog.confirm);
    const heard: Settings[] = [];
    store.onChange((settings) => {
      heard.push(settings);
    });
    const update = store.update(patch);
    await eventually(() => dialog.asked.length === 1);
    writePolicy(policy);
    const reload = store.reloadPolicy();
    dialog.answer(true);
    return { dialog, store, heard, update, reload };
  }

  it('saves nothing when IT locks the key meanwhile, and the reload still reports the new lock', async () => {
    const { store, update, reload } = await yesAfterPolicyChange(
      { apiBaseUrl: 'https://elsewhere.example' },
      { managed: { apiBaseUrl: 'https://api.corp.example' } },
    );
    const result = await update;
    expect(result.ok || result.error).toMatchObject({ code: 'MANAGED_SETTING', key: 'apiBaseUrl' });
    expect(await reload).toEqual({ changed: ['apiBaseUrl'], viewChanged: true });
    expect(store.current().apiBaseUrl).toBe('https://api.corp.example');
    expect(() => readFileSync(userFile())).toThrow(/ENOENT/);
  });

  it('saves nothing when IT narrows allowedApiOrigins meanwhile to leave the new server out', async () => {
    const { heard, update, reload } = await yesAfterPolicyChange(
      { apiBaseUrl: 'https://elsewhere.example' },
      { managed: { allowedApiOrigins: 'https://api.corp.example' } },
    );
    const result = await update;
    expect(result.ok || result.error).toMatchObject({
      code: 'MANAGED_SETTING',
      key: 'allowedApiOrigins',
      origin: 'https://elsewhere.example',
    });
    expect(await reload).toEqual({ changed: ['allowedApiOrigins'], viewChanged: true });
    // No listener ever heard the refused server as the API.
    expect(heard.map((settings) => settings.apiBaseUrl)).not.toContain('https://elsewhere.example');
    expect(() => readFileSync(userFile())).toThrow(/ENOENT/);
  });

  it('saves what the person confirmed when the policy change meanwhile leaves it as it was, asking once', async () => {
    const { dialog, store, update, reload } = await yesAfterPolicyChange(
      { apiBaseUrl: 'https://elsewhere.example' },
      { managed: { logLevel: 'debug' } },
    );
    expect((await update).ok).toBe(true);
    expect(await reload).toEqual({ changed: ['logLevel'], viewChanged: true });
    expect(dialog.asked).toHaveLength(1);
    expect(store.current()).toMatchObject({ apiBaseUrl: 'https://elsewhere.example', logLevel: 'debug' });
  });

  it('asks again when the policy change meanwhile changes what the change would do', async () => {
    // Only the path changes: the API stays where it is, until IT moves it while the dialog is open.
    const { dialog, store, update, reload } = await yesAfterPolicyChange(
      { loginPath: '/auth/login' },
      { defaults: { apiBaseUrl: 'https://api.corp.example' } },
    );
    await eventually(() => dialog.asked.length === 2);
    expect(dialog.asked[1]?.fromOrigin).toBe('https://api.corp.example');
    dialog.answer(false);
    expect((await update).ok || 'refused').toBe('refused');
    expect((await reload).viewChanged).toBe(true);
    expect(store.current().loginPath).toBe('/login');
  });
});

describe('fileSignature()', () => {
  it('stays the same for an untouched file and changes with its content, mode or replacement', async () => {
    writePolicy({ managed: { theme: 'dark' } });
    const first = fileSignature(policyPath);
    expect(fileSignature(policyPath)).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { chmodSync } = await import('node:fs');
    chmodSync(policyPath, 0o600);
    const afterChmod = fileSignature(policyPath);
    expect(afterChmod).not.toBe(first);
    writePolicy({ managed: { theme: 'light' } });
    expect(fileSignature(policyPath)).not.toBe(afterChmod);
    rmSync(policyPath);
    expect(fileSignature(policyPath)).toBe('missing');
    expect(fileSignature(null)).toBe('none');
  });
});

/** Timers the test fires by hand. */
function manualTimers(): Timers & { fire(ms: number): void; pending(): number } {
  let id = 0;
  const due = new Map<number, { at: number; callback: () => void }>();
  let now = 0;
  return {
    setTimeout(callback, ms) {
      id += 1;
      due.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    fire(ms) {
      now += ms;
      for (const [key, timer] of [...due].sort((a, b) => a[1].at - b[1].at))
        if (timer.at <= now) {
          due.delete(key);
          timer.callback();
        }
    },
    pending: () => due.size,
  };
}

describe('watchPolicy()', () => {
  it('reads the OS source again on the interval and reports a change', async () => {
    const os = fakeOsSource();
    const { store } = newStore(os);
    const timers = manualTimers();
    const reloads: PolicyReload[] = [];
    const stop = watchPolicy({
      store,
      policyPath: null,
      pollMs: 60_000,
      timers,
      onReload: (r) => reloads.push(r),
      logger: { info() {}, warn() {} },
    });
    os.set({ theme: 'dark' });
    timers.fire(59_000);
    await Promise.resolve();
    expect(reloads).toEqual([]);
    timers.fire(1_000);
    await eventually(() => reloads.length === 1);
    expect(reloads[0]?.changed).toEqual(['theme']);
    stop();
    expect(timers.pending()).toBe(0);
  });

  it('notices the policy file being replaced (real fs.watch) and reloads once per burst', async () => {
    const { store } = newStore();
    const reloads: PolicyReload[] = [];
    const stop = watchPolicy({
      store,
      policyPath,
      pollMs: 3_600_000,
      debounceMs: 50,
      onReload: (r) => reloads.push(r),
      logger: { info() {}, warn() {} },
    });
    try {
      // As configuration tools do: write a temp file, then rename it over the policy.
      writeFileSync(`${policyPath}.tmp`, JSON.stringify({ managed: { staySignedIn: false } }));
      const { renameSync } = await import('node:fs');
      renameSync(`${policyPath}.tmp`, policyPath);
      await eventually(() => store.view().managed.includes('staySignedIn'), { timeoutMs: 5_000 });
      expect(reloads.map((r) => r.changed)).toEqual([['staySignedIn']]);
    } finally {
      stop();
    }
  });

  // The file's protection includes its folder (a folder others may write makes the file untrusted), so a
  // chmod of the folder itself must be read too; fs.watch names the watched folder for it, not the file.
  it('reloads when the policy folder itself changes (its mode), not only at the next interval', async () => {
    const { store } = newStore();
    let reloads = 0;
    const stop = watchPolicy({
      store: {
        ...store,
        reloadPolicy: () => {
          reloads += 1;
          return store.reloadPolicy();
        },
      },
      policyPath,
      pollMs: 3_600_000,
      debounceMs: 50,
      onReload: () => {},
      logger: { info() {}, warn() {} },
    });
    try {
      chmodSync(dirname(policyPath), 0o777);
      await eventually(() => reloads === 1, { timeoutMs: 5_000 });
      chmodSync(dirname(policyPath), 0o755);
      await eventually(() => reloads === 2, { timeoutMs: 5_000 });
    } finally {
      stop();
    }
  });

  it('polls alone, saying so, when the policy folder does not exist', () => {
    const info: string[] = [];
    const timers = manualTimers();
    const stop = watchPolicy({
      store: newStore().store,
      policyPath: join(dir, 'missing', 'policy.json'),
      pollMs: 60_000,
      timers,
      onReload: () => {},
      logger: { info: (m) => info.push(m), warn() {} },
    });
    expect(info[0]).toMatch(/not watched \(ENOENT\); read every 60 s/);
    expect(timers.pending()).toBe(1);
    stop();
  });
});

describe('live policy in the composition root', () => {
  const demo = DEVELOPMENT_USERS[0] ?? { username: 'demo', password: 'demo-password' };
  let server: RunningServer;
  let other: RunningServer;
  beforeEach(async () => {
    [server, other] = await Promise.all([startQuietServer(), startQuietServer()]);
  });
  afterEach(async () => {
    await Promise.all([server.close(), other.close()]);
  });

  /** The app's services on the policy file, with stored sign-ins in memory, the log and window reloads recorded. */
  function startApp() {
    const entries = new Map<string, { username: string; refreshToken: string }>();
    const vault: Vault = {
      load: async (scope) => ({ ok: true, value: entries.get(scope) ?? null }),
      save: async (scope, username, refreshToken) => {
        entries.set(scope, { username, refreshToken });
        return { ok: true, value: undefined };
      },
      remove: async (scope) => {
        entries.delete(scope);
        return { ok: true, value: undefined };
      },
    };
    const app = { entries, lines: [] as string[], reloads: 0 };
    const services = createAppServices({
      userDataDir: dir,
      policyPath,
      env: {},
      argv: [],
      fetch: globalThis.fetch,
      vault,
      logSink: (entry) => app.lines.push(`${entry.level} ${entry.message}`),
      reloadWindows: () => {
        app.reloads += 1;
      },
      livePolicy: { pollMs: 3_600_000, debounceMs: 50 },
    });
    return Object.assign(app, { services });
  }

  it('signs out when policy moves the API, follows logLevel, and reloads the windows', async () => {
    writePolicy({ managed: { apiBaseUrl: server.url } });
    const app = startApp();
    const { services, lines } = app;
    try {
      expect((await services.session.signIn(demo.username, demo.password)).ok).toBe(true);
      services.logger.debug('before: not written');
      writePolicy({ managed: { apiBaseUrl: other.url, logLevel: 'debug', updateChannel: 'beta' } });
      await eventually(() => services.session.getView().reason === 'apiChanged', { timeoutMs: 5_000 });
      expect(services.session.getView().state).toBe('signedOut');
      services.logger.debug('after: written');
      expect(lines).not.toContain('debug before: not written');
      expect(lines).toContain('debug after: written');
      expect(lines).toContain('warn policy change of updateChannel applies at the next start');
      await eventually(() => app.reloads > 0);
    } finally {
      services.dispose();
    }
  });

  it('stays signed in, with the stored sign-in kept, when the policy file breaks while the app runs', async () => {
    // IT seeds the API and locks only the theme: the API is the person's, as most rollouts do it.
    writePolicy({ defaults: { apiBaseUrl: server.url }, managed: { theme: 'dark' } });
    const app = startApp();
    const { services, lines, entries } = app;
    try {
      expect((await services.session.signIn(demo.username, demo.password)).ok).toBe(true);
      expect(services.session.getView().state).toBe('active');
      expect(entries.size).toBe(1);
      writeFileSync(policyPath, '{ "defaults": { "apiBaseUrl": "');
      // The window reloads to show the problem; the session is left as it was.
      await eventually(() => app.reloads > 0, { timeoutMs: 5_000 });
      expect(services.session.getView().state).toBe('active');
      expect(entries.size).toBe(1);
      expect(lines.some((line) => line.includes('stays in force until it is fixed'))).toBe(true);
      expect(services.settings.current().apiBaseUrl).toBe(server.url);
      expect((await services.session.getAccessToken()).ok).toBe(true);
    } finally {
      services.dispose();
    }
  });

  it('names the keys that wait for a restart', () => {
    expect(RESTART_KEYS).toEqual(['updatesEnabled', 'updateUrl', 'updateChannel']);
  });
});
