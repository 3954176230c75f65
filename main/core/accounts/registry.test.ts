// The account registry over the app's composition root, the reference server and the test keychain:
// bad input (unknown ids, the limit, the allow-list), a second sign-in of the same user, the limit of
// one (today's single-account behaviour), no keychain, the account list across a restart, and the token
// answers across a switch (never one account's token while another is shown).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { KEYCHAIN_REASONS, keychainReasonKind } from '../../../common/keychain';
import type { SessionView } from '../../../common/session';
import type { RunningServer } from '../../../server';
import { ADMIN, DEMO, TEST_SERVICE } from '../../../test/support/fixtures';
import { forgetScope } from '../../../test/support/forget-scope';
import { heldWrites } from '../../../test/support/held-saves';
import { dispatch } from '../../../test/support/ipc-dispatch';
import { APP_EVENT } from '../../../test/support/ipc-fakes';
import { promptedKeychain } from '../../../test/support/prompted-keychain';
import { startQuietServer } from '../../../test/support/test-server';
import { eventually } from '../../../test/support/wait-until';
import { type AppPorts, type AppServices, createAppServices } from '../../app-services';
import { readClaims } from '../token-claims';
import { apiScope, type KeytarLike, LEGACY_ACCOUNTS, lastUserAccount, tokenAccount } from '../vault';
import { ACCOUNTS_FILE } from './account-store';

/**
 * The refresh token the test keychain holds for this API and user (or null), once the keychain calls
 * of the apps made here have ended (a session writes its refresh token behind it).
 */
async function storedToken(apiBaseUrl: string, username: string): Promise<string | null> {
  await Promise.all(open.map((services) => services.keychainSettled()));
  return keytar.getPassword(TEST_SERVICE, tokenAccount(apiScope(apiBaseUrl), username));
}

let server: RunningServer;
let other: RunningServer;
let dir: string;
const open: AppServices[] = [];

function app(ports: Partial<AppPorts> = {}): AppServices {
  const services = createAppServices({
    userDataDir: dir,
    policyPath: null,
    env: {},
    argv: ['--api-url', server.url],
    fetch: globalThis.fetch,
    keychainService: TEST_SERVICE,
    logSink: () => {},
    confirmConnectionChange: async () => true,
    ...ports,
  });
  open.push(services);
  return services;
}

beforeAll(async () => {
  server = await startQuietServer();
  other = await startQuietServer();
});

beforeEach(() => {
  server.clearRequests();
  other.clearRequests();
  dir = mkdtempSync(join(tmpdir(), 'tessera-accounts-'));
});

afterEach(async () => {
  // Closed, as quitting does: the keychain clean-up below starts on a quiet keychain.
  for (const services of open.splice(0)) await services.close();
  rmSync(dir, { recursive: true, force: true });
  for (const url of [server.url, other.url])
    await forgetScope(TEST_SERVICE, apiScope(url), [DEMO.username, ADMIN.username]);
});

afterAll(async () => {
  await server?.close();
  await other?.close();
});

/**
 * demo on the first server and admin on the other, stored by an app that closed; and a policy file that
 * allows only the first server, so a start with it holds admin back. admin's stored token is returned.
 */
async function adminHeldBack(): Promise<{ policyPath: string; adminToken: string | null }> {
  const first = app();
  await first.session.addAccount(DEMO);
  await first.session.addAccount({ ...ADMIN, apiBaseUrl: other.url });
  await first.close();
  const adminToken = await storedToken(other.url, ADMIN.username);
  expect(adminToken).not.toBeNull();
  const policyPath = join(dir, 'policy.json');
  writeFileSync(policyPath, JSON.stringify({ managed: { allowedApiOrigins: new URL(server.url).origin } }));
  return { policyPath, adminToken };
}

/** A policy file whose typo locks "stay signed in" off (a value that could not be used); its path. */
function typoPolicy(): string {
  const policyPath = join(dir, 'policy.json');
  writeFileSync(policyPath, JSON.stringify({ managed: { staySignedIn: 'ture' } }));
  return policyPath;
}

/**
 * An app started with "stay signed in" locked off by `typoPolicy` (signed out, nothing restored); `views`
 * records what the page hears from then on.
 */
async function lockedStart(ports: Partial<AppPorts> = {}) {
  const policyPath = typoPolicy();
  const services = app({ policyPath, ...ports });
  expect(await services.start()).toMatchObject({ state: 'signedOut', accountId: null });
  const views: { state: string; accountId: string | null | undefined }[] = [];
  services.session.onChange((view) => views.push({ state: view.state, accountId: view.accountId }));
  return { services, policyPath, views };
}

/** Fixes the typo of `typoPolicy` while the app runs: "stay signed in" is a valid on. */
async function fixPolicy(services: AppServices, policyPath: string): Promise<void> {
  writeFileSync(policyPath, JSON.stringify({ managed: { staySignedIn: true } }));
  await services.settings.reloadPolicy();
  expect(services.settings.current().staySignedIn).toBe(true);
}

/** Writes a policy file whose allow-list is `origins` (the test's user data folder beside it); its path. */
function allow(origins: string): string {
  const policyPath = join(dir, 'policy.json');
  writeFileSync(policyPath, JSON.stringify({ managed: { allowedApiOrigins: origins } }));
  return policyPath;
}

describe('createAccountRegistry() bad input', () => {
  it('answers NOT_FOUND for switching to, or signing out of, an id no account has, and changes nothing', async () => {
    const { session } = app();
    expect((await session.addAccount(DEMO)).ok).toBe(true);
    const before = session.listAccounts();
    expect(session.switchAccount('acct-unknown')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await session.signOutAccounts({ account: 'acct-unknown' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(session.listAccounts()).toEqual(before);
    expect(session.getView()).toMatchObject({ state: 'active', accountId: before[0]?.id });
  });

  it('answers LIMIT_REACHED beyond maxAccounts, before anything is sent to the server', async () => {
    const { session } = app({
      env: { TESSERA_MAX_ACCOUNTS: '1' },
      argv: ['--api-url', server.url, '--max-accounts', '2'],
    });
    expect((await session.addAccount(DEMO)).ok).toBe(true);
    expect((await session.addAccount({ ...DEMO, apiBaseUrl: other.url })).ok).toBe(true);
    server.clearRequests();
    expect(await session.addAccount(ADMIN)).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
    expect(server.requests('/login')).toEqual([]);
    expect(session.listAccounts()).toHaveLength(2);
    // Signing in again as an account already there is no new account: the limit does not apply.
    expect((await session.addAccount(DEMO)).ok).toBe(true);
  });

  it('refuses an API outside the allow-list with MANAGED_SETTING naming allowedApiOrigins', async () => {
    const { session } = app({ env: { TESSERA_ALLOWED_API_ORIGINS: server.url } });
    expect((await session.addAccount(DEMO)).ok).toBe(true);
    expect(await session.addAccount({ ...DEMO, apiBaseUrl: other.url })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
    });
    expect(other.requests('/login')).toEqual([]);
  });

  it('weighs the allow-list again after the person said yes: a policy narrowed meanwhile still refuses', async () => {
    const policyPath = allow(`${server.url} ${other.url}`);
    const services = app({
      policyPath,
      confirmConnectionChange: async () => {
        // IT narrows the policy while the dialog is open; it is reloaded before the answer.
        allow(server.url);
        await services.settings.reloadPolicy();
        return true;
      },
    });
    expect(await services.session.addAccount({ ...DEMO, apiBaseUrl: other.url })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
    });
    expect(other.requests('/login')).toEqual([]);
    expect(services.session.listAccounts()).toEqual([]);
  });

  it('holds back an account whose server a narrowed allow-list no longer admits, and restores it once admitted again', async () => {
    const policyPath = allow(`${server.url} ${other.url}`);
    const services = app({ policyPath });
    expect((await services.session.addAccount(DEMO)).ok).toBe(true);
    expect((await services.session.addAccount({ ...DEMO, apiBaseUrl: other.url })).ok).toBe(true);
    const kept = await storedToken(other.url, DEMO.username);
    expect(kept).not.toBeNull();

    allow(server.url);
    await services.settings.reloadPolicy();
    // Nothing more goes to that server: not listed, no refresh, its token kept for when IT allows it.
    expect(services.session.listAccounts().map((account) => account.apiBaseUrl)).toEqual([server.url]);
    expect(services.session.getView()).toMatchObject({ state: 'active', apiBaseUrl: server.url });
    other.clearRequests();
    expect((await services.session.getAccessToken({ forceRefresh: true })).ok).toBe(true);
    expect(other.requests()).toEqual([]);
    expect(await storedToken(other.url, DEMO.username)).toBe(kept);
    expect(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).toContain(other.url);

    allow(`${server.url} ${other.url}`);
    await services.settings.reloadPolicy();
    await expect
      .poll(() => services.session.listAccounts().map((account) => [account.apiBaseUrl, account.state]))
      .toEqual([
        [server.url, 'active'],
        [other.url, 'active'],
      ]);
  });

  it('refuses, with MANAGED_SETTING, a contract whose sign-in or refresh endpoint is outside the allow-list', async () => {
    // Before, only the API origin was checked: the password went to the contract's other host.
    for (const section of ['login', 'refresh']) {
      const { session } = app({
        env: { TESSERA_ALLOWED_API_ORIGINS: server.url },
        argv: [
          '--api-url',
          server.url,
          '--auth-contract',
          JSON.stringify({
            [section]: { path: `${other.url}/${section === 'login' ? 'login' : 'token/refresh'}` },
          }),
        ],
      });
      const result = await session.addAccount(DEMO);
      expect(result, section).toMatchObject({
        ok: false,
        error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
      });
      if (!result.ok) expect(result.error.message).toContain(other.url);
    }
    expect(server.requests()).toEqual([]);
    expect(other.requests()).toEqual([]);
  });

  it('refuses every API when the policy names allowedApiOrigins wrongly: an invalid value allows none, not all', async () => {
    const policyPath = join(dir, 'policy.json');
    writeFileSync(
      policyPath,
      JSON.stringify({ managed: { allowedApiOrigins: `${server.url},${other.url}` } }),
    );
    const { session, settings } = app({ policyPath });
    expect(settings.view().managed).toContain('allowedApiOrigins');
    expect(await session.addAccount(DEMO)).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
    });
    expect(server.requests('/login')).toEqual([]);
  });

  it('asks the person before an account on a new server, and adds nothing when they decline', async () => {
    const asked: string[] = [];
    const { session } = app({
      confirmConnectionChange: async (change) => {
        asked.push(`${change.toOrigin} ${change.addsAccount}`);
        return false;
      },
    });
    expect(await session.addAccount({ ...DEMO, apiBaseUrl: other.url })).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(asked).toEqual([`${other.url} true`]);
    expect(session.listAccounts()).toEqual([]);
  });
});

describe('createAccountRegistry() sign-in', () => {
  it('the page hears a sign-in become an account once: no signed-in view without its account id', async () => {
    const { session } = app();
    await session.start();
    const views: { state: string; accountId: string | null | undefined }[] = [];
    session.onChange((view) => views.push({ state: view.state, accountId: view.accountId }));
    const result = await session.signIn(DEMO.username, DEMO.password);
    expect(result.ok).toBe(true);
    const id = session.listAccounts()[0]?.id;
    expect(id).toBeTruthy();
    // Before: an 'active' view with accountId null came first, then the same session under its id —
    // the page took it for an account switch (its grant dropped, Home's profile loaded again).
    const signedIn = views.filter((view) => view.state !== 'signedOut' && view.state !== 'signingIn');
    expect(signedIn.length).toBeGreaterThan(0);
    expect(signedIn.every((view) => view.accountId === id)).toBe(true);
  });

  it('a second sign-in of the same user on the same API replaces its token: same id, no duplicate, the old token revoked', async () => {
    const { session } = app();
    await session.addAccount(DEMO);
    await session.addAccount(ADMIN);
    const [demo] = session.listAccounts();
    server.clearRequests();
    expect(await session.addAccount(DEMO)).toMatchObject({ ok: true, value: { accountId: demo?.id } });
    // The account signed in again comes last (as after a browser sign-in), and is the active one.
    expect(session.listAccounts().map((a) => a.username)).toEqual(['admin', 'demo']);
    await expect.poll(() => server.requests('/logout').length).toBe(1);
    // The old session's clean-up left the new token in the keychain: a restart restores it.
    expect(await storedToken(server.url, DEMO.username)).not.toBeNull();
    const token = await session.getAccessToken();
    expect(token.ok).toBe(true);
  });

  it("a second sign-in of the same user while the first one's token is still being written keeps the new token", async () => {
    // The first sign-in's keychain write waits (a slow Secret Service) until the test lets it through.
    let tokenWrites = 0;
    const held = heldWrites(
      (account) => account === tokenAccount(apiScope(server.url), DEMO.username) && ++tokenWrites === 1,
    );
    const { session } = app({ loadKeytar: async () => held.keytar });
    expect(await session.addAccount(DEMO)).toMatchObject({ ok: true });
    await held.holding;
    // Signed in again meanwhile: the first session is signed out (its delete waits behind the writes).
    expect(await session.addAccount(DEMO)).toMatchObject({ ok: true });
    held.release();
    await expect.poll(() => server.requests('/logout').length).toBe(1);
    // The new session's token is what the keychain holds, and its view says it is kept.
    const token = await storedToken(server.url, DEMO.username);
    expect(token).not.toBeNull();
    expect(session.getView()).toMatchObject({ state: 'active', keychain: { persisted: true } });
    const probe = await fetch(`${server.url}/token/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: token }),
    });
    expect(probe.status).toBe(200);
  });

  it('a second sign-in of the same user with a wrong password keeps the working session: nothing revoked, its token still stored and served', async () => {
    const { session } = app();
    await session.addAccount(DEMO);
    const [demo] = session.listAccounts();
    const before = await session.getAccessToken();
    const kept = await storedToken(server.url, DEMO.username);
    expect(kept).not.toBeNull();
    server.clearRequests();
    expect(await session.addAccount({ ...DEMO, password: 'wrong-password' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect(session.getView()).toMatchObject({ state: 'active', accountId: demo?.id });
    expect(session.listAccounts()).toEqual([demo]);
    expect(await session.getAccessToken()).toEqual(before);
    expect(server.requests().map((entry) => entry.path)).toEqual(['/login']);
    expect(await storedToken(server.url, DEMO.username)).toBe(kept);
  });

  it('with maxAccounts 1, signing in as someone else replaces the one account (the single-account behaviour)', async () => {
    const { session } = app({ env: { TESSERA_MAX_ACCOUNTS: '1' } });
    await session.addAccount(DEMO);
    server.clearRequests();
    expect((await session.addAccount(ADMIN)).ok).toBe(true);
    expect(session.listAccounts()).toEqual([expect.objectContaining({ username: 'admin', active: true })]);
    // Signed out behind the new one (revoked, its keychain entry deleted).
    await expect.poll(() => server.requests('/logout')).toHaveLength(1);
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
  });

  /**
   * Signs demo in on a server of its own (after demo on the configured API, with `alsoConfigured`), then
   * restarts with that server failing every refresh (503s): that account's restore is retried, not ended.
   */
  async function restartWithOneDown(max: number, alsoConfigured: boolean) {
    const down = await startQuietServer();
    onTestFinished(() => down.close());
    const first = app({ env: { TESSERA_MAX_ACCOUNTS: String(max) } });
    if (alsoConfigured) expect((await first.session.addAccount(DEMO)).ok).toBe(true);
    expect((await first.session.addAccount({ ...DEMO, apiBaseUrl: down.url })).ok).toBe(true);
    await first.close();
    down.failNext(1000, { status: 503, path: '/token/refresh' });
    const second = app({ env: { TESSERA_MAX_ACCOUNTS: String(max) } });
    await second.start();
    const retried = second.session.listAccounts().find((account) => account.apiBaseUrl === down.url);
    expect(retried).toMatchObject({ state: 'signedOut', reason: 'silentSignInFailed' });
    return { session: second.session, down };
  }

  it('at the limit, an account whose restore is still retried keeps its place and its token: LIMIT_REACHED', async () => {
    const { session, down } = await restartWithOneDown(2, true);
    const kept = await storedToken(down.url, DEMO.username);
    expect(kept).not.toBeNull();
    expect(await session.addAccount(ADMIN)).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
    expect(session.listAccounts().map((account) => account.apiBaseUrl)).toEqual([server.url, down.url]);
    expect(await storedToken(down.url, DEMO.username)).toBe(kept);
  });

  it('with maxAccounts 1, a refused sign-in as someone else leaves the one account and its token; a granted one replaces it', async () => {
    const { session, down } = await restartWithOneDown(1, false);
    const kept = await storedToken(down.url, DEMO.username);
    expect(kept).not.toBeNull();
    expect(await session.addAccount({ ...ADMIN, password: 'not-the-password' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect(session.listAccounts()).toEqual([expect.objectContaining({ apiBaseUrl: down.url })]);
    expect(await storedToken(down.url, DEMO.username)).toBe(kept);

    expect((await session.addAccount(ADMIN)).ok).toBe(true);
    expect(session.listAccounts()).toEqual([
      expect.objectContaining({ username: 'admin', apiBaseUrl: server.url, active: true }),
    ]);
    // The one it replaced is signed out behind it: its token deleted from the keychain.
    await expect.poll(() => storedToken(down.url, DEMO.username)).toBeNull();
  });

  it('without a keychain, every account is kept in memory and the view says why "stay signed in" is off', async () => {
    const { session } = app({
      loadKeytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    });
    await session.addAccount(DEMO);
    await session.addAccount(ADMIN);
    expect(session.listAccounts().map((a) => a.state)).toEqual(['active', 'active']);
    expect(session.getView().keychain).toMatchObject({ available: false, persisted: false });
    expect(session.getView().keychain.reason).toContain('could not be loaded');
    const grant = await session.getAccessToken({ forceRefresh: true });
    expect(grant.ok).toBe(true);
  });
});

describe('createAccountRegistry() across a restart', () => {
  it('keeps the list in userData without anything secret, and restores every account with the same ids', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.session.addAccount(ADMIN);
    await first.session.addAccount({ ...DEMO, apiBaseUrl: other.url });
    const ids = first.session.listAccounts().map((a) => a.id);
    first.session.switchAccount(ids[1] ?? '');
    const file = readFileSync(join(dir, ACCOUNTS_FILE), 'utf8');
    for (const secret of [DEMO.password, ADMIN.password]) expect(file).not.toContain(secret);
    expect(file).not.toMatch(/eyJ|refreshToken/);
    await first.close();

    const second = app();
    expect(await second.start()).toMatchObject({
      state: 'active',
      accountId: ids[1],
      user: { username: 'admin' },
    });
    expect(second.session.listAccounts().map((a) => [a.id, a.state])).toEqual(
      ids.map((id) => [id, 'active']),
    );
  });

  it('a start that changes nothing leaves accounts.json as it is (no write, no fsync on the way to the window)', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.session.addAccount(ADMIN);
    await first.close();
    const file = join(dir, ACCOUNTS_FILE);
    const before = statSync(file);
    const second = app();
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'admin' } });
    await second.close();
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // A change is written as before.
    const third = app();
    await third.start();
    const demo = third.session.listAccounts().find((account) => account.username === 'demo');
    expect(third.session.switchAccount(demo?.id ?? '')).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ active: demo?.id });
  });

  it('does not restore an account the allow-list no longer names, and the signed-out view says which server and why', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ managed: { allowedApiOrigins: new URL(other.url).origin } }));
    server.clearRequests();

    const second = app({ policyPath });
    // Before, the account was silently gone: a signed-out view with nothing to say why.
    expect(await second.start()).toMatchObject({
      state: 'signedOut',
      accountId: null,
      lastError: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins', origin: new URL(server.url).origin },
    });
    expect(second.session.listAccounts()).toEqual([]);
    expect(server.requests()).toEqual([]);
    // Signing in there again is refused the same way, before anything is sent.
    expect(await second.session.addAccount(DEMO)).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING' },
    });
  });

  it('keeps an account a policy held back (a broken policy file locks everything) for the start after it is fixed', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.session.addAccount({ ...ADMIN, apiBaseUrl: other.url });
    const ids = first.session.listAccounts().map((account) => account.id);
    await first.close();
    const policyPath = join(dir, 'policy.json');
    // A typo: the file fails closed (one account at most, no API origin allowed).
    writeFileSync(policyPath, '{ "managed": { "maxAccounts": 3, } }');

    const second = app({ policyPath });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(second.session.listAccounts()).toEqual([]);
    // A new account while the policy is broken is refused too; nothing it did drops the others.
    expect((await second.session.addAccount(DEMO)).ok).toBe(false);
    await second.close();

    rmSync(policyPath);
    const third = app();
    // Before, the broken start rewrote the list without them: both were gone, their tokens orphaned.
    // The one active before the broken start (the last added) is the active one again.
    expect(await third.start()).toMatchObject({ state: 'active', accountId: ids[1] });
    expect(third.session.listAccounts().map((account) => [account.id, account.state])).toEqual(
      ids.map((id) => [id, 'active']),
    );
  });

  it('without an account list (first start, or a list that could not be read), restores the configured server only if the allow-list names it', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    const token = await storedToken(server.url, DEMO.username);
    expect(token).not.toBeNull();
    rmSync(join(dir, ACCOUNTS_FILE));
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ managed: { allowedApiOrigins: new URL(other.url).origin } }));
    server.clearRequests();

    const second = app({ policyPath });
    // Before, the configured server's stored session was restored past the allow-list.
    expect(await second.start()).toMatchObject({
      state: 'signedOut',
      accountId: null,
      lastError: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins', origin: new URL(server.url).origin },
    });
    expect(server.requests()).toEqual([]);
    // Not restored is not forgotten: the token stays for a start the allow-list permits.
    expect(await storedToken(server.url, DEMO.username)).toBe(token);
    await second.close();
    rmSync(policyPath);
    const third = app();
    const views: (string | null | undefined)[] = [];
    third.session.onChange((view) => {
      if (view.state === 'active' || view.state === 'refreshing') views.push(view.accountId);
    });
    expect(await third.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    // The restored session reaches the page as the account it becomes, never first without its id.
    const id = third.session.listAccounts()[0]?.id;
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((accountId) => accountId === id)).toBe(true);
  });

  it('a broken accounts.json is kept aside and left as it is; the configured server’s last account is restored, no token is lost', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.session.addAccount({ ...DEMO, apiBaseUrl: other.url });
    await first.close();
    const otherToken = await storedToken(other.url, DEMO.username);
    expect(otherToken).not.toBeNull();
    const broken = '{"version": 1, "active": "acct-';
    writeFileSync(join(dir, ACCOUNTS_FILE), broken);
    const copies = () => readdirSync(dir).filter((name) => name.startsWith(`${ACCOUNTS_FILE}.bad-`));

    const lines: string[] = [];
    const second = app({ logSink: (entry) => lines.push(`${entry.level} ${entry.message}`) });
    expect(await second.start()).toMatchObject({
      state: 'active',
      apiBaseUrl: server.url,
      user: { username: 'demo' },
    });
    expect(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).toBe(broken);
    expect(copies()).toHaveLength(1);
    expect(readFileSync(join(dir, copies()[0] ?? ''), 'utf8')).toBe(broken);
    const warning = lines.find((line) => line.startsWith('warn accounts.json is not valid JSON'));
    expect(warning).toContain(copies()[0]);
    // The account the file no longer shows keeps its token, for a repaired file to restore.
    expect(await storedToken(other.url, DEMO.username)).toBe(otherToken);
    for (const secret of [otherToken ?? '', DEMO.password]) expect(lines.join('\n')).not.toContain(secret);
    await second.close();

    // Started again as it is: the same one copy, the file still untouched.
    const third = app();
    await third.start();
    expect(copies()).toHaveLength(1);
    expect(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).toBe(broken);
    // An account changes: now the list is written again.
    expect((await third.session.addAccount(ADMIN)).ok).toBe(true);
    const list = JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')) as {
      accounts: { username: string }[];
    };
    expect(list.accounts.map((account) => account.username)).toEqual(['demo', 'admin']);
  });

  it('restores the accounts of the list it can read, and keeps a copy of the file when it drops one', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    const file = join(dir, ACCOUNTS_FILE);
    const list = JSON.parse(readFileSync(file, 'utf8')) as { accounts: unknown[] };
    list.accounts.push({ id: 'acct-odd', username: 'kim', connection: { apiBaseUrl: 'not a url' } });
    const written = JSON.stringify(list);
    writeFileSync(file, written);

    const lines: string[] = [];
    const second = app({ logSink: (entry) => lines.push(`${entry.level} ${entry.message}`) });
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    const [copy] = readdirSync(dir).filter((name) => name.startsWith(`${ACCOUNTS_FILE}.bad-`));
    expect(copy && readFileSync(join(dir, copy), 'utf8')).toBe(written);
    expect(lines.find((line) => line.includes('1 account(s)'))).toContain(copy);
  });

  it('keeps an account it cannot use (written by a newer release) in accounts.json, through a start and a change', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    const file = join(dir, ACCOUNTS_FILE);
    const list = JSON.parse(readFileSync(file, 'utf8')) as { accounts: unknown[] };
    // A newer release's account: a connection setting this version does not know.
    const newer = {
      id: 'acct-newer',
      username: 'kim',
      connection: { apiBaseUrl: other.url, loginHint: 'kim@example.com' },
    };
    list.accounts.push(newer);
    writeFileSync(file, JSON.stringify(list));
    const listed = () =>
      (JSON.parse(readFileSync(file, 'utf8')) as { accounts: { id: string }[] }).accounts.map(
        (account) => account.id,
      );

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['demo']);
    // Before, the start wrote the list without it: back in the newer release, that account was gone.
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toContainEqual(newer);
    expect((await second.session.addAccount(ADMIN)).ok).toBe(true);
    const ids = second.session.listAccounts().map((account) => account.id);
    expect(listed()).toEqual([...ids, 'acct-newer']);
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toContainEqual(newer);
  });

  it('keeps the top-level fields a newer release wrote in accounts.json as they were, through a start and a change', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    const file = join(dir, ACCOUNTS_FILE);
    const list = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const newer = { order: ['acct-x', 'acct-y'], sync: { enabled: true, at: 1_700_000_000 }, note: null };
    // And a `forget` entry with a setting this version does not know.
    const note = { id: 'acct-newer', username: 'kim', connection: { apiBaseUrl: other.url, loginHint: 'k' } };
    writeFileSync(file, JSON.stringify({ ...list, ...newer, forget: [note] }));

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect((await second.session.addAccount(ADMIN)).ok).toBe(true);
    // Before, the write kept only the known fields: the newer release's own were gone.
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject(newer);
    expect(written.forget).toEqual([note]);
    expect(written.accounts).toHaveLength(2);
  });

  it('signing out of one account leaves the others; signing out of all leaves none', async () => {
    const { session } = app();
    await session.addAccount(DEMO);
    await session.addAccount(ADMIN);
    const [demo, admin] = session.listAccounts();
    expect(await session.signOutAccounts({ account: demo?.id ?? '' })).toMatchObject({
      ok: true,
      value: { revoked: true },
    });
    expect(session.listAccounts().map((a) => a.id)).toEqual([admin?.id]);
    expect(session.getView()).toMatchObject({ state: 'active', accountId: admin?.id });
    expect(await session.signOutAccounts({ all: true })).toMatchObject({ ok: true });
    expect(session.listAccounts()).toEqual([]);
    expect(session.getView()).toMatchObject({ state: 'signedOut', accountId: null, reason: 'userSignedOut' });
  });

  it('signing out of the shown account while another is signed in shows the other at once, never the sign-in page', async () => {
    const { session } = app();
    await session.addAccount(DEMO);
    await session.addAccount(ADMIN);
    const [demo, admin] = session.listAccounts();
    expect(session.getView()).toMatchObject({ state: 'active', accountId: admin?.id });
    const views: { state: string; accountId: string | null | undefined }[] = [];
    session.onChange((view) => views.push({ state: view.state, accountId: view.accountId }));
    const signingOut = session.signOutAccounts({ account: admin?.id ?? '' });
    // Before the server has heard of the sign-out, the page already shows demo.
    expect(views).toEqual([{ state: 'active', accountId: demo?.id }]);
    expect(await signingOut).toMatchObject({ ok: true, value: { revoked: true } });
    expect(views).toEqual([{ state: 'active', accountId: demo?.id }]);
    expect(session.listAccounts().map((a) => a.id)).toEqual([demo?.id]);
    expect(await storedToken(server.url, ADMIN.username)).toBeNull();
    expect(await storedToken(server.url, DEMO.username)).not.toBeNull();
  });

  it('signing out of all also forgets the accounts a policy held back: their tokens leave the keychain', async () => {
    const { policyPath } = await adminHeldBack();
    other.clearRequests();

    const second = app({ policyPath });
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['demo']);
    expect(await second.session.signOutAccounts({ all: true })).toMatchObject({ ok: true });
    // Before, the held-back account kept its token and its place in the list.
    expect(await storedToken(other.url, ADMIN.username)).toBeNull();
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    const list = JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')) as { accounts: unknown[] };
    expect(list.accounts).toEqual([]);
    // The policy allows it again: nothing comes back signed in.
    await second.close();
    rmSync(policyPath);
    const third = app();
    expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(third.session.listAccounts()).toEqual([]);
    expect(other.requests()).toEqual([]);
  });
});

/**
 * The real keytar, whose deletes fail after `refuse()` (a keychain that locked or whose daemon went away
 * refuses them; staged in keytar's place here: a locked keychain can only be shown in a process of its
 * own, see keychain-faults.test.ts).
 */
function refusingDeletes() {
  let refusing = false;
  const k: KeytarLike = {
    getPassword: (service, account) => keytar.getPassword(service, account),
    setPassword: (service, account, password) => keytar.setPassword(service, account, password),
    deletePassword: async (service, account) => {
      if (refusing) throw new Error('The keychain refused the delete');
      return keytar.deletePassword(service, account);
    },
  };
  return {
    loadKeytar: async () => k,
    refuse: () => {
      refusing = true;
    },
  };
}

describe('createAccountRegistry() signing in again as the user whose session its server ended', () => {
  it('keeps the new sign-in’s token in the keychain (the ended account has nothing to delete)', async () => {
    const services = app();
    await services.session.addAccount(DEMO);
    await services.keychainSettled();
    server.failNext(1, {
      path: '/token/refresh',
      status: 401,
      body: JSON.stringify({ error: 'InvalidRefreshTokenError', message: 'Refresh token is invalid' }),
    });
    await services.session.getAccessToken({ forceRefresh: true });
    expect(services.session.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenInvalid' });
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(await services.session.addAccount(DEMO)).toMatchObject({ ok: true });
    expect(await storedToken(server.url, DEMO.username)).toMatch(/.{20,}/);
    expect(services.session.getView()).toMatchObject({ state: 'active', keychain: { persisted: true } });
  });
});

describe('createAccountRegistry() when the keychain could not be read at start', () => {
  async function storedDemo(): Promise<string> {
    const first = app();
    await first.session.addAccount(DEMO);
    const [demo] = first.session.listAccounts();
    await first.close();
    server.clearRequests();
    return demo?.id ?? '';
  }

  it('restores the account by itself once the keychain answers after the timeout (a prompt answered late)', async () => {
    const id = await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    expect(await services.start()).toMatchObject({
      state: 'signedOut',
      accountId: id,
      keychain: { available: false, unread: true },
    });
    expect(services.session.listAccounts().map((account) => account.id)).toEqual([id]);
    expect(server.requests('/token/refresh')).toHaveLength(0);
    keychain.answer();
    await eventually(() => services.session.getView().state === 'active');
    expect(services.session.getView()).toMatchObject({ state: 'active', accountId: id });
    expect(services.session.getView().keychain.unread).toBeUndefined();
    expect(server.requests('/token/refresh')).toHaveLength(1);
  });

  it('does not ask again after a dismissed prompt, and restores the account when the person asks', async () => {
    const id = await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    await services.start();
    expect(keychain.reads()).toBe(1);
    keychain.dismiss();
    // Turns of the event loop, so the dismissal's outcome reaches the registry (a read it started
    // would be counted), then whatever keychain call it asked for.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    await services.keychainSettled();
    expect(keychain.reads()).toBe(1);
    expect(services.session.getView()).toMatchObject({ state: 'signedOut', keychain: { unread: true } });
    expect(server.requests('/token/refresh')).toHaveLength(0);
    // "Try again" on the sign-in page, through the page's own channel.
    const answer = await dispatch(services.handlers, 'auth:retry-restore', APP_EVENT, undefined);
    expect(answer).toMatchObject({
      ok: true,
      value: { state: 'active', accountId: id, user: { username: 'demo' } },
    });
    expect(server.requests('/token/refresh')).toHaveLength(1);
  });

  it('keeps the token of a sign-in as the same user, which replaces the account it could not read', async () => {
    await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    await services.start();
    keychain.dismiss();
    // The notice says "or sign in below": the person does, as the same user.
    expect(await services.session.addAccount(DEMO)).toMatchObject({ ok: true });
    expect(services.session.listAccounts()).toHaveLength(1);
    const token = await services.session.getAccessToken();
    expect(token.ok).toBe(true);
    // The replaced account had no session: nothing revoked, and the entry keeps the new sign-in's token.
    expect(server.requests('/logout')).toHaveLength(0);
    expect(await storedToken(server.url, DEMO.username)).toMatch(/.{20,}/);
    expect(services.session.getView()).toMatchObject({ state: 'active', keychain: { persisted: true } });
  });

  it('gives the notice back after a wrong password, and shows the account once the prompt is answered', async () => {
    const id = await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    await services.start();
    expect(await services.session.addAccount({ ...DEMO, password: 'wrong-password' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect(services.session.getView()).toMatchObject({ accountId: id, keychain: { unread: true } });
    keychain.answer();
    await eventually(() => services.session.getView().state === 'active');
    expect(services.session.getView()).toMatchObject({ state: 'active', accountId: id });
  });

  it('reads again by itself after a "Try again" that timed out too, once that prompt is answered', async () => {
    const id = await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    await services.start();
    keychain.dismiss();
    await services.keychainSettled();
    keychain.promptAgain();
    expect(await services.session.retryRestore()).toMatchObject({
      state: 'signedOut',
      keychain: { unread: true },
    });
    expect(keychain.prompting()).toBe(true);
    keychain.answer();
    await eventually(() => services.session.getView().state === 'active');
    expect(services.session.getView()).toMatchObject({ accountId: id, user: { username: 'demo' } });
    expect(server.requests('/token/refresh')).toHaveLength(1);
  });

  it('ends the wait when the person signs out of that account', async () => {
    const id = await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    await services.start();
    keychain.dismiss();
    await services.keychainSettled();
    expect(await services.session.signOutAccounts({ account: id })).toMatchObject({ ok: true });
    await services.keychainSettled();
    expect(services.session.getView().keychain.unread).toBeUndefined();
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
  });

  describe("a start without an account list (the configured API's stored session)", () => {
    async function storedNoList(): Promise<void> {
      await storedDemo();
      rmSync(join(dir, ACCOUNTS_FILE));
    }

    it('makes it an account once read again, once for two reads asked for at the same time', async () => {
      await storedNoList();
      const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
      const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
      expect(await services.start()).toMatchObject({
        state: 'signedOut',
        accountId: null,
        keychain: { unread: true },
      });
      keychain.dismiss();
      await services.keychainSettled();
      const [first, second] = await Promise.all([
        services.session.retryRestore(),
        services.session.retryRestore(),
      ]);
      expect(first).toMatchObject({ state: 'active', user: { username: 'demo' } });
      expect(second).toMatchObject({ state: 'active', accountId: first.accountId });
      expect(services.session.listAccounts()).toHaveLength(1);
      expect(server.requests('/token/refresh')).toHaveLength(1);
    });

    it('keeps the notice and the automatic read through a wrong password', async () => {
      await storedNoList();
      const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
      const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
      expect(await services.start()).toMatchObject({ accountId: null, keychain: { unread: true } });
      expect(await services.session.addAccount({ ...DEMO, password: 'wrong-password' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_CREDENTIALS' },
      });
      expect(services.session.getView()).toMatchObject({ state: 'signedOut', keychain: { unread: true } });
      keychain.answer();
      await eventually(() => services.session.getView().state === 'active');
      expect(services.session.getView()).toMatchObject({ user: { username: 'demo' } });
      expect(services.session.listAccounts()).toHaveLength(1);
    });

    it('does not send the stored token to a server IT stopped allowing meanwhile', async () => {
      await storedNoList();
      const policyPath = join(dir, 'policy.json');
      writeFileSync(policyPath, JSON.stringify({}));
      const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
      const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200, policyPath });
      expect(await services.start()).toMatchObject({ keychain: { unread: true } });
      writeFileSync(
        policyPath,
        JSON.stringify({ managed: { allowedApiOrigins: new URL(other.url).origin } }),
      );
      await services.settings.reloadPolicy();
      keychain.dismiss();
      await services.keychainSettled();
      expect(await services.session.retryRestore()).toMatchObject({ state: 'signedOut' });
      expect(server.requests('/token/refresh')).toHaveLength(0);
    });
  });

  it('keeps a sign-in’s token when it replaces the account while its read again waits on the keychain', async () => {
    const id = await storedDemo();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 1500 });
    expect(await services.start()).toMatchObject({ accountId: id, keychain: { unread: true } });
    keychain.dismiss();
    await services.keychainSettled();
    keychain.promptAgain();
    // "Try again" raises the prompt (behind another window); the person signs in instead.
    const retry = services.session.retryRestore();
    await eventually(() => keychain.prompting());
    expect(services.session.getView().state).toBe('signingIn');
    expect(await services.session.addAccount(DEMO)).toMatchObject({ ok: true });
    keychain.answer();
    await retry;
    // The sign-in's write waited its turn behind the read: stored once the keychain calls have ended.
    expect(await storedToken(server.url, DEMO.username)).toMatch(/.{20,}/);
    expect(services.session.getView()).toMatchObject({ state: 'active', keychain: { persisted: true } });
    expect(services.session.listAccounts()).toHaveLength(1);
    // The let-go read did not restore (nor refresh) anything.
    expect(server.requests('/token/refresh')).toHaveLength(0);
  });

  it('keeps a never-read account at the account limit: no room is made by deleting its token', async () => {
    const first = app({ argv: ['--api-url', server.url, '--max-accounts', '2'] });
    await first.session.addAccount(DEMO);
    await first.session.addAccount({ ...ADMIN, apiBaseUrl: other.url });
    await first.close();
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({
      loadKeytar: keychain.loadKeytar,
      keychainTimeoutMs: 200,
      argv: ['--api-url', server.url, '--max-accounts', '2'],
    });
    await services.start();
    keychain.dismiss();
    await services.keychainSettled();
    expect(await services.session.addAccount(ADMIN)).toMatchObject({
      ok: false,
      error: { code: 'LIMIT_REACHED' },
    });
    expect(await storedToken(server.url, DEMO.username)).toMatch(/.{20,}/);
    expect(services.session.listAccounts()).toHaveLength(2);
  });

  it('drops a listed account whose entry turns out empty, as a start does', async () => {
    await storedDemo();
    await forgetScope(TEST_SERVICE, apiScope(server.url), [DEMO.username]);
    const keychain = promptedKeychain(tokenAccount(apiScope(server.url), DEMO.username));
    const services = app({ loadKeytar: keychain.loadKeytar, keychainTimeoutMs: 200 });
    await services.start();
    expect(services.session.listAccounts()).toHaveLength(1);
    keychain.dismiss();
    expect(await services.session.retryRestore()).toMatchObject({
      state: 'signedOut',
      accountId: null,
      keychain: { available: true },
    });
    expect(services.session.listAccounts()).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).accounts).toEqual([]);
  });
});

describe('createAccountRegistry() when the keychain refuses the delete of a token', () => {
  it('deletes the token the sign-out could not at the next start, and does not restore that account', async () => {
    const keychain = refusingDeletes();
    const first = app({ loadKeytar: keychain.loadKeytar });
    await first.session.addAccount(DEMO);
    await first.session.addAccount(ADMIN);
    const [demo, admin] = first.session.listAccounts();
    const demoToken = await storedToken(server.url, DEMO.username);
    expect(demoToken).not.toBeNull();
    keychain.refuse();
    expect(await first.session.signOutAccounts({ account: demo?.id ?? '' })).toMatchObject({ ok: true });
    expect(first.session.listAccounts().map((account) => account.id)).toEqual([admin?.id]);
    // The keychain kept it, and the list no longer named it: before, it stayed there for good.
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    const file = readFileSync(join(dir, ACCOUNTS_FILE), 'utf8');
    expect(file).not.toContain(demoToken);
    await first.close();

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'active', accountId: admin?.id });
    expect(second.session.listAccounts().map((account) => account.id)).toEqual([admin?.id]);
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(await storedToken(server.url, ADMIN.username)).not.toBeNull();
    // Done: the file no longer names it at all.
    expect(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).not.toContain(`"${demo?.id}"`);
  });

  it('a sign-out cut off while the server had not answered (the app quit): the next start signs nobody back in', async () => {
    const keychain = refusingDeletes();
    const first = app({ loadKeytar: keychain.loadKeytar });
    await first.session.addAccount(DEMO);
    const demoToken = await storedToken(server.url, DEMO.username);
    expect(demoToken).not.toBeNull();
    keychain.refuse();
    const held = server.holdNext('/logout');
    void first.session.signOutAccounts();
    await eventually(() => held.arrived);
    // The keychain refused the delete; quitting waits for the keychain, not for the server.
    await first.keychainSettled();
    const file = JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')) as {
      accounts: unknown[];
      forget?: { username: string }[];
    };
    expect(file.accounts).toEqual([]);
    expect(file.forget?.map((account) => account.username)).toEqual([DEMO.username]);
    await first.close();

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    held.release();
  });

  it('a sign-out whose delete worked takes its note off again, while the server is still asked', async () => {
    const first = app();
    await first.session.addAccount(DEMO);
    const held = server.holdNext('/logout');
    const signingOut = first.session.signOutAccounts();
    await eventually(() => held.arrived);
    expect(JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8'))).toMatchObject({
      accounts: [],
      forget: [{ username: DEMO.username }],
    });
    held.release();
    expect(await signingOut).toMatchObject({ ok: true, value: { revoked: true } });
    const after = JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')) as { accounts: []; forget?: [] };
    expect({ accounts: after.accounts, forget: after.forget ?? [] }).toEqual({ accounts: [], forget: [] });
    expect(first.session.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut' });
  });

  it('an account dropped by a change of API whose delete was refused: its token is deleted at the next start', async () => {
    const keychain = refusingDeletes();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ apiBaseUrl: server.url }));
    const first = app({ argv: [], loadKeytar: keychain.loadKeytar });
    await first.session.addAccount(DEMO);
    const demoToken = await storedToken(server.url, DEMO.username);
    expect(demoToken).not.toBeNull();
    keychain.refuse();
    expect((await first.settings.update({ apiBaseUrl: other.url })).ok).toBe(true);
    expect(first.session.listAccounts()).toEqual([]);
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    await first.close();

    const second = app({ argv: [] });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    // Before, no list named it any more: it stayed in the keychain for good.
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
  });

  it('"stay signed in" turned off while the keychain refused the delete: the token is deleted at the next start', async () => {
    const keychain = refusingDeletes();
    const first = app({ loadKeytar: keychain.loadKeytar });
    await first.session.addAccount(DEMO);
    const demoToken = await storedToken(server.url, DEMO.username);
    expect(demoToken).not.toBeNull();
    keychain.refuse();
    expect((await first.settings.update({ staySignedIn: false })).ok).toBe(true);
    expect(first.session.getView()).toMatchObject({ state: 'active', keychain: { available: false } });
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    expect(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).not.toContain(demoToken);
    await first.close();

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    // Before, the start dropped the account from the list and its token stayed in the keychain for good.
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')).not.toContain('"demo"');
  });
});

describe('createAccountRegistry() while a change of settings is applied', () => {
  it('tells the page that a change of API ended its session before that change’s keychain delete is done', async () => {
    let holding = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held: () => void = () => {};
    const deleting = new Promise<void>((resolve) => {
      held = resolve;
    });
    onTestFinished(() => release());
    // The real keytar, whose deletes wait for `release()` once `holding` (a slow Secret Service).
    const k: KeytarLike = {
      getPassword: (service, account) => keytar.getPassword(service, account),
      setPassword: (service, account, password) => keytar.setPassword(service, account, password),
      deletePassword: async (service, account) => {
        if (holding) {
          held();
          await gate;
        }
        return keytar.deletePassword(service, account);
      },
    };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ apiBaseUrl: server.url }));
    const services = app({ argv: [], loadKeytar: async () => k });
    await services.session.addAccount(DEMO);
    await services.keychainSettled();
    const heard: SessionView[] = [];
    services.session.onChange((view) => heard.push(view));
    holding = true;
    const update = services.settings.update({ apiBaseUrl: other.url });
    await deleting;
    // The token the page keeps is ended (revoked behind): it hears so now, while the delete still waits.
    expect(heard.at(-1)).toMatchObject({ state: 'signedOut', reason: 'apiChanged', user: null });
    release();
    expect((await update).ok).toBe(true);
    expect(heard.at(-1)).toMatchObject({ state: 'signedOut', accountId: null, apiBaseUrl: other.url });
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
  });
});

describe('createAccountRegistry() when the keychain refuses the delete of a held-back account', () => {
  it('signing out of all: a held-back account whose delete was refused does not come back, its token goes at the next start', async () => {
    const { policyPath, adminToken } = await adminHeldBack();

    const keychain = refusingDeletes();
    const second = app({ policyPath, loadKeytar: keychain.loadKeytar });
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    keychain.refuse();
    expect(await second.session.signOutAccounts({ all: true })).toMatchObject({ ok: true });
    expect(await storedToken(other.url, ADMIN.username)).toBe(adminToken);
    await second.close();
    other.clearRequests();

    // The policy allows it again.
    rmSync(policyPath);
    const third = app();
    // Before, the held-back account stayed listed and came back signed in.
    expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(third.session.listAccounts()).toEqual([]);
    expect(await storedToken(other.url, ADMIN.username)).toBeNull();
    expect(other.requests('/token/refresh')).toEqual([]);
  });
});

describe('createAccountRegistry() with "stay signed in" off at start', () => {
  /** demo on the first server and admin on the other, stored by an app that closed; their tokens. */
  async function twoStored(): Promise<{ demoToken: string | null; adminToken: string | null }> {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.session.addAccount({ ...ADMIN, apiBaseUrl: other.url });
    await first.close();
    const demoToken = await storedToken(server.url, DEMO.username);
    const adminToken = await storedToken(other.url, ADMIN.username);
    expect(demoToken).not.toBeNull();
    expect(adminToken).not.toBeNull();
    return { demoToken, adminToken };
  }
  const listed = () => readFileSync(join(dir, ACCOUNTS_FILE), 'utf8');

  it('turned off while the app was closed: the start deletes every listed account’s token, held back or not', async () => {
    await twoStored();
    // Set while the app was closed (an edited settings file); admin is held back by the allow-list too.
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ staySignedIn: false }));
    server.clearRequests();
    other.clearRequests();
    const second = app({ env: { TESSERA_ALLOWED_API_ORIGINS: new URL(server.url).origin } });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    // Before, both accounts left the list and their tokens stayed in the keychain, named by nothing.
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(await storedToken(other.url, ADMIN.username)).toBeNull();
    expect(listed()).not.toMatch(/"demo"|"admin"/);
    // Deleted without a word to the servers (the allow-list may not allow one).
    expect(server.requests()).toEqual([]);
    expect(other.requests()).toEqual([]);
  });

  it('a delete the keychain refuses at that start is noted under forget, and a later start deletes it', async () => {
    const { demoToken, adminToken } = await twoStored();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ staySignedIn: false }));
    const keychain = refusingDeletes();
    keychain.refuse();
    const second = app({ loadKeytar: keychain.loadKeytar });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    expect(await storedToken(other.url, ADMIN.username)).toBe(adminToken);
    const file = JSON.parse(listed()) as { accounts: unknown[]; forget?: { username: string }[] };
    expect(file.accounts).toEqual([]);
    expect(file.forget?.map((account) => account.username).sort()).toEqual(['admin', 'demo']);
    await second.close();

    const third = app();
    expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(await storedToken(other.url, ADMIN.username)).toBeNull();
    expect(listed()).not.toMatch(/"demo"|"admin"/);
  });

  it('off only because IT’s value could not be used (a typo locks it off): nothing is deleted, and the fixed policy restores every account', async () => {
    const { demoToken, adminToken } = await twoStored();
    const policyPath = typoPolicy();
    const second = app({ policyPath });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(second.settings.current().staySignedIn).toBe(false);
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    expect(await storedToken(other.url, ADMIN.username)).toBe(adminToken);
    await second.close();

    rmSync(policyPath);
    const third = app();
    // Before, the locked start dropped both from the list: nothing came back, the tokens orphaned.
    expect(await third.start()).toMatchObject({ state: 'active' });
    expect(third.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['demo', 'active'],
      ['admin', 'active'],
    ]);
  });

  it('locked off by IT’s value: the log and the signed-out view name that cause, with no token', async () => {
    const { demoToken, adminToken } = await twoStored();
    const policyPath = typoPolicy();
    const lines: string[] = [];
    const second = app({
      policyPath,
      logSink: (entry) => lines.push(`${entry.level} ${JSON.stringify(entry)}`),
    });
    // Before, the view gave no reason and the log said "policy limit or allow-list".
    expect(await second.start()).toMatchObject({
      state: 'signedOut',
      accountId: null,
      lastError: { code: 'MANAGED_SETTING', key: 'staySignedIn' },
    });
    const held = lines.filter((line) => line.includes('is not restored'));
    expect(held).toHaveLength(2);
    for (const line of held) {
      expect(line).toContain('the policy value of staySignedIn could not be used');
      expect(line).not.toContain('allow-list');
    }
    for (const token of [demoToken, adminToken]) expect(lines.join('\n')).not.toContain(token);
  });

  it('locked off, then a live policy reload makes it a valid off: the held-back tokens are deleted then, a refused one noted', async () => {
    for (const refused of [false, true]) {
      const { demoToken, adminToken } = await twoStored();
      const policyPath = typoPolicy();
      const keychain = refusingDeletes();
      const second = app({ policyPath, loadKeytar: keychain.loadKeytar });
      expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
      if (refused) keychain.refuse();
      writeFileSync(policyPath, JSON.stringify({ managed: { staySignedIn: false } }));
      await second.settings.reloadPolicy();
      // Before, both tokens stayed in the keychain until the next start.
      expect(await storedToken(server.url, DEMO.username)).toBe(refused ? demoToken : null);
      expect(await storedToken(other.url, ADMIN.username)).toBe(refused ? adminToken : null);
      const file = JSON.parse(listed()) as { accounts: unknown[]; forget?: { username: string }[] };
      expect(file.accounts).toEqual([]);
      expect((file.forget ?? []).map((account) => account.username).sort()).toEqual(
        refused ? ['admin', 'demo'] : [],
      );
      // A valid off is the organisation's choice: the view no longer says its settings could not be read.
      expect(second.session.getView().lastError).toBeNull();
      await second.close();
      const third = app({ policyPath });
      expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
      expect(await storedToken(server.url, DEMO.username)).toBeNull();
      expect(await storedToken(other.url, ADMIN.username)).toBeNull();
      await third.close();
      rmSync(join(dir, ACCOUNTS_FILE));
    }
  });

  it('locked off, then a live policy reload makes it a valid on: the held-back accounts are restored then, as a start restores them', async () => {
    const { demoToken, adminToken } = await twoStored();
    const { services: second, policyPath, views } = await lockedStart();
    await fixPolicy(second, policyPath);
    // Before, nothing came back until the next start, and the page heard nothing.
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['demo', 'active'],
      ['admin', 'active'],
    ]);
    // The last active account (admin, signed in last) is active again, and the page heard it.
    const admin = second.session.listAccounts().find((account) => account.username === 'admin');
    expect(second.session.getView()).toMatchObject({
      state: 'active',
      accountId: admin?.id,
      lastError: null,
    });
    expect(views.at(-1)).toEqual({ state: 'active', accountId: admin?.id });
    // Restored with their stored refresh tokens (rotated now), nothing deleted.
    const demoNow = await storedToken(server.url, DEMO.username);
    const adminNow = await storedToken(other.url, ADMIN.username);
    expect(demoNow).not.toBeNull();
    expect(adminNow).not.toBeNull();
    expect([demoNow, adminNow]).not.toContain(demoToken);
    expect([demoNow, adminNow]).not.toContain(adminToken);
    expect(listed()).toMatch(/"demo"/);
    expect(listed()).toMatch(/"admin"/);
  });

  it('locked off, then fixed while the app runs: IT’s allow-list still holds an account back, its token kept', async () => {
    const { adminToken } = await twoStored();
    const policyPath = typoPolicy();
    const second = app({ policyPath, env: { TESSERA_ALLOWED_API_ORIGINS: new URL(server.url).origin } });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    other.clearRequests();
    await fixPolicy(second, policyPath);
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['demo', 'active'],
    ]);
    expect(second.session.getView()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    // admin stays listed, its token untouched and its server not contacted, for a start that allows it.
    expect(other.requests()).toEqual([]);
    expect(await storedToken(other.url, ADMIN.username)).toBe(adminToken);
    expect(listed()).toMatch(/"admin"/);
  });

  it('locked off, then fixed while the app runs: the account limit still applies, the last active account first', async () => {
    const { demoToken } = await twoStored();
    const { services: second, policyPath } = await lockedStart({
      argv: ['--api-url', server.url, '--max-accounts', '1'],
    });
    await fixPolicy(second, policyPath);
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['admin', 'active'],
    ]);
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    expect(listed()).toMatch(/"demo"/);
  });

  it('locked off, then fixed while the network is down: the restore keeps every token and the list names them', async () => {
    const { demoToken, adminToken } = await twoStored();
    const policyPath = typoPolicy();
    let down = false;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (down) throw new TypeError('fetch failed');
      return globalThis.fetch(input, init);
    };
    const second = app({ policyPath, fetch });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    down = true;
    await fixPolicy(second, policyPath);
    // Restored, and kept while the network keeps them from their servers (retrying).
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['demo', 'admin']);
    expect(await storedToken(server.url, DEMO.username)).toBe(demoToken);
    expect(await storedToken(other.url, ADMIN.username)).toBe(adminToken);
    expect(listed()).toMatch(/"demo"/);
    expect(listed()).toMatch(/"admin"/);
    await second.close();
    const third = app({ policyPath });
    expect(await third.start()).toMatchObject({ state: 'active' });
    expect(third.session.listAccounts().map((account) => account.username)).toEqual(['demo', 'admin']);
  });

  it('IT widens the allow-list while the app runs: the account it held back is restored then; the active one stays', async () => {
    const { adminToken } = await twoStored();
    const policyPath = join(dir, 'policy.json');
    const policy = (origins: string) =>
      writeFileSync(policyPath, JSON.stringify({ managed: { allowedApiOrigins: origins } }));
    policy(new URL(server.url).origin);
    const second = app({ policyPath });
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['demo']);
    // Another origin that is still not admin's: nothing changes for admin, its server is not asked.
    other.clearRequests();
    policy(`${new URL(server.url).origin} https://elsewhere.example`);
    await second.settings.reloadPolicy();
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['demo']);
    expect(other.requests()).toEqual([]);
    expect(await storedToken(other.url, ADMIN.username)).toBe(adminToken);

    policy(`${new URL(server.url).origin} ${new URL(other.url).origin}`);
    await second.settings.reloadPolicy();
    // Before, admin came back only at the next start.
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['demo', 'active'],
      ['admin', 'active'],
    ]);
    // Restored with its stored refresh token (rotated now); the account in use stays the active one.
    expect(await storedToken(other.url, ADMIN.username)).not.toBe(adminToken);
    expect(second.session.getView()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(listed()).toMatch(/"admin"/);
  });

  it('IT raises the account limit while the app runs: the account it held back is restored then', async () => {
    const { demoToken } = await twoStored();
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ managed: { maxAccounts: 1 } }));
    const second = app({ policyPath });
    // The last active account (admin) is the one the limit keeps.
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'admin' } });
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['admin']);
    writeFileSync(policyPath, JSON.stringify({ managed: { maxAccounts: 2 } }));
    await second.settings.reloadPolicy();
    // Before, demo came back only at the next start.
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['admin', 'active'],
      ['demo', 'active'],
    ]);
    expect(await storedToken(server.url, DEMO.username)).not.toBe(demoToken);
    expect(second.session.getView()).toMatchObject({ state: 'active', user: { username: 'admin' } });
  });
});

describe('createAccountRegistry() "stay signed in" turned off while a policy holds an account back', () => {
  it('the held-back account’s token is deleted too, and a refused delete is noted for the next start', async () => {
    for (const refused of [false, true]) {
      const { policyPath, adminToken } = await adminHeldBack();
      const keychain = refusingDeletes();
      const second = app({ policyPath, loadKeytar: keychain.loadKeytar });
      expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
      if (refused) keychain.refuse();
      expect((await second.settings.update({ staySignedIn: false })).ok).toBe(true);
      // Before, admin's token stayed in the keychain with "stay signed in" off.
      expect(await storedToken(other.url, ADMIN.username)).toBe(refused ? adminToken : null);
      await second.close();
      rmSync(policyPath);
      const third = app();
      expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
      expect(await storedToken(other.url, ADMIN.username)).toBeNull();
      expect(await storedToken(server.url, DEMO.username)).toBeNull();
      await third.close();
      rmSync(join(dir, ACCOUNTS_FILE));
      rmSync(join(dir, 'settings.json'), { force: true });
    }
  });
});

describe('createAccountRegistry() first start (no account list) with a stored token', () => {
  /** demo's token stored by an app that closed, then its account list removed (a first start). */
  async function storedWithoutList(): Promise<void> {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    rmSync(join(dir, ACCOUNTS_FILE));
  }
  const entry = () => tokenAccount(apiScope(server.url), DEMO.username);

  it('a token the server refuses and the keychain will not delete is noted under forget and deleted at the next start', async () => {
    await storedWithoutList();
    await keytar.setPassword(TEST_SERVICE, entry(), 'a-refused-refresh-token');
    const keychain = refusingDeletes();
    keychain.refuse();
    const second = app({ loadKeytar: keychain.loadKeytar });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBe('a-refused-refresh-token');
    // Before, the list was written empty: nothing named the refused token any more.
    const file = JSON.parse(readFileSync(join(dir, ACCOUNTS_FILE), 'utf8')) as {
      forget?: { username: string }[];
    };
    expect(file.forget?.map((account) => account.username)).toEqual(['demo']);
    await second.close();

    const third = app();
    expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
  });

  it('a refresh the network kept from the server: the token stays, named by the list, and the next start restores it', async () => {
    await storedWithoutList();
    const token = await storedToken(server.url, DEMO.username);
    const offline: typeof globalThis.fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const second = app({ fetch: offline });
    expect(await second.start()).toMatchObject({ state: 'signedOut' });
    await second.close();
    expect(await storedToken(server.url, DEMO.username)).toBe(token);

    const third = app();
    // Before, the list was written empty: the next start restored nothing, the token orphaned.
    expect(await third.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
  });
});

describe('createAccountRegistry() first start (no account list) with "stay signed in" off', () => {
  /** demo's token stored by an app that closed, then its account list removed (an older release's keychain). */
  async function storedWithoutList(): Promise<string | null> {
    const first = app();
    await first.session.addAccount(DEMO);
    await first.close();
    rmSync(join(dir, ACCOUNTS_FILE));
    const token = await storedToken(server.url, DEMO.username);
    expect(token).not.toBeNull();
    return token;
  }
  const scope = () => apiScope(server.url);
  const listed = () => readFileSync(join(dir, ACCOUNTS_FILE), 'utf8');

  it('off by choice: the configured API’s stored token is deleted, without a word to the server', async () => {
    const token = await storedWithoutList();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ staySignedIn: false }));
    server.clearRequests();
    const lines: string[] = [];
    const second = app({ logSink: (entry) => lines.push(JSON.stringify(entry)) });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null, lastError: null });
    // Before, the start never read the keychain: the token stayed there, named by no list, for good.
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(await keytar.getPassword(TEST_SERVICE, lastUserAccount(scope()))).toBeNull();
    expect(server.requests()).toEqual([]);
    expect(listed()).not.toMatch(/"demo"/);
    expect(lines.join('\n')).toContain('the stored session was forgotten');
    expect(lines.join('\n')).not.toContain(token);
  });

  it('off by choice: a first release’s entries (the old account format) are deleted too', async () => {
    onTestFinished(async () => {
      await keytar.deletePassword(TEST_SERVICE, LEGACY_ACCOUNTS.lastUser(scope()));
      await keytar.deletePassword(TEST_SERVICE, LEGACY_ACCOUNTS.token(scope(), DEMO.username));
    });
    await keytar.setPassword(TEST_SERVICE, LEGACY_ACCOUNTS.lastUser(scope()), DEMO.username);
    await keytar.setPassword(TEST_SERVICE, LEGACY_ACCOUNTS.token(scope(), DEMO.username), 'rt-first-release');
    const second = app({ argv: ['--api-url', server.url, '--no-stay-signed-in'] });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    await second.close();
    for (const account of [
      LEGACY_ACCOUNTS.lastUser(scope()),
      LEGACY_ACCOUNTS.token(scope(), DEMO.username),
      lastUserAccount(scope()),
      tokenAccount(scope(), DEMO.username),
    ])
      expect(await keytar.getPassword(TEST_SERVICE, account)).toBeNull();
  });

  it('off by choice while the keychain refuses the delete: noted under forget, and the next start deletes it', async () => {
    const token = await storedWithoutList();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ staySignedIn: false }));
    const keychain = refusingDeletes();
    keychain.refuse();
    const second = app({ loadKeytar: keychain.loadKeytar });
    expect(await second.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBe(token);
    const file = JSON.parse(listed()) as { accounts: unknown[]; forget?: { username: string }[] };
    expect(file.accounts).toEqual([]);
    expect(file.forget?.map((account) => account.username)).toEqual(['demo']);
    expect(listed()).not.toContain(token);
    await second.close();

    const third = app();
    expect(await third.start()).toMatchObject({ state: 'signedOut', accountId: null });
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
  });

  it('locked off by IT’s value that could not be used: nothing is deleted, the page is told, and the start after the fix adopts it', async () => {
    const token = await storedWithoutList();
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ managed: { staySignedIn: 'ture' } }));
    const second = app({ policyPath });
    // Before, the view said nothing, and the list was written empty: no later start adopted the token.
    expect(await second.start()).toMatchObject({
      state: 'signedOut',
      accountId: null,
      lastError: { code: 'MANAGED_SETTING', key: 'staySignedIn' },
    });
    expect(await storedToken(server.url, DEMO.username)).toBe(token);
    await second.close();

    rmSync(policyPath);
    const third = app();
    expect(await third.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
  });

  it('locked off, then fixed while the app runs: the stored session is adopted then, and the page hears it', async () => {
    const token = await storedWithoutList();
    const { services: second, policyPath, views } = await lockedStart();
    await fixPolicy(second, policyPath);
    // Before, nothing happened until the next start: the lock message went away, the person signed out.
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['demo', 'active'],
    ]);
    const demo = second.session.listAccounts()[0];
    expect(second.session.getView()).toMatchObject({ state: 'active', accountId: demo?.id, lastError: null });
    expect(views.at(-1)).toEqual({ state: 'active', accountId: demo?.id });
    // Adopted with its stored refresh token (rotated now), and the list names it.
    const now = await storedToken(server.url, DEMO.username);
    expect(now).not.toBeNull();
    expect(now).not.toBe(token);
    expect(listed()).toMatch(/"demo"/);
  });

  it('locked off, someone else signed in on the same API, then the fix: the stored session is not lost but added as a second account', async () => {
    const token = await storedWithoutList();
    const { services: second, policyPath } = await lockedStart();
    expect((await second.session.addAccount(ADMIN)).ok).toBe(true);
    // Locked off, the sign-in keeps its token in memory: demo's entry is as it was, and the list names it.
    expect(await storedToken(server.url, DEMO.username)).toBe(token);
    expect(listed()).toMatch(/"demo"/);
    await fixPolicy(second, policyPath);
    // Before, demo was never adopted: the list named only admin, demo's token stayed for good.
    const accounts = second.session.listAccounts();
    expect(accounts.map((account) => [account.username, account.state])).toEqual([
      ['admin', 'active'],
      ['demo', 'active'],
    ]);
    // The person's own sign-in stays the active account, and now keeps its token beside demo's.
    expect(second.session.getView()).toMatchObject({ state: 'active', user: { username: 'admin' } });
    expect(await storedToken(server.url, ADMIN.username)).not.toBeNull();
    expect(await storedToken(server.url, DEMO.username)).not.toBeNull();
  });

  it('locked off, someone else signed in, and the app closed before the fix: the start after it restores the stored session', async () => {
    await storedWithoutList();
    const { services: second, policyPath } = await lockedStart();
    expect((await second.session.addAccount(ADMIN)).ok).toBe(true);
    await second.close();
    rmSync(policyPath);
    const third = app();
    // Before, the list named only admin (whose token, kept in memory only, went with the app): nothing came back.
    expect(await third.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(third.session.listAccounts().map((account) => account.username)).toEqual(['demo']);
  });

  it('locked off, the same user signed in again, then the fix: that sign-in replaces the stored session, no second account', async () => {
    const token = await storedWithoutList();
    const { services: second, policyPath } = await lockedStart();
    expect((await second.session.addAccount(DEMO)).ok).toBe(true);
    server.clearRequests();
    await fixPolicy(second, policyPath);
    expect(second.session.listAccounts().map((account) => [account.username, account.state])).toEqual([
      ['demo', 'active'],
    ]);
    // The signed-in session stores its token over the old one once "stay signed in" is on: nothing restored.
    expect(await storedToken(server.url, DEMO.username)).not.toBe(token);
    expect(server.requests('/token/refresh')).toEqual([]);
  });

  it('locked off, and the keychain cannot be read: nothing is deleted or listed, the log says so, and the start after the fix adopts the session', async () => {
    const token = await storedWithoutList();
    const lines: string[] = [];
    const unreadable: KeytarLike = {
      getPassword: async () => {
        throw new Error('The keychain refused the read');
      },
      setPassword: (service, account, password) => keytar.setPassword(service, account, password),
      deletePassword: (service, account) => keytar.deletePassword(service, account),
    };
    const { services: second } = await lockedStart({
      loadKeytar: async () => unreadable,
      logSink: (entry) => lines.push(`${entry.level} ${entry.message}`),
    });
    expect(second.session.getView()).toMatchObject({
      lastError: { code: 'MANAGED_SETTING', key: 'staySignedIn' },
    });
    // Before, nothing was logged: the lock's message alone, though no stored session could be looked for.
    expect(lines).toContain(
      'warn the policy value of staySignedIn could not be used, and the keychain could not be read: a stored session may not be restored',
    );
    expect(lines.join('\n')).not.toContain(token ?? 'no token');
    expect(await storedToken(server.url, DEMO.username)).toBe(token);
    expect(existsSync(join(dir, ACCOUNTS_FILE))).toBe(false);
    await second.close();
    rmSync(join(dir, 'policy.json'));
    const third = app();
    expect(await third.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
  });

  it('locked off, then fixed while the account limit is full: the stored session is held back, its token kept and listed', async () => {
    const token = await storedWithoutList();
    const { services: second, policyPath } = await lockedStart({
      argv: ['--api-url', server.url, '--max-accounts', '1'],
    });
    expect((await second.session.addAccount({ ...ADMIN, apiBaseUrl: other.url })).ok).toBe(true);
    await fixPolicy(second, policyPath);
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['admin']);
    expect(await storedToken(server.url, DEMO.username)).toBe(token);
    expect(listed()).toMatch(/"demo"/);
  });
});

describe('createAccountRegistry() when the app ends between a keychain write and accounts.json', () => {
  it('a sign-in cut off right after its token was written: the next start deletes that token, no list naming it', async () => {
    const file = join(dir, ACCOUNTS_FILE);
    const entry = tokenAccount(apiScope(server.url), ADMIN.username);
    // The real keytar; the list as it was when admin's token landed is what a process killed then leaves.
    let atWrite: string | null = null;
    let landed: () => void = () => {};
    const tokenLanded = new Promise<void>((resolve) => {
      landed = resolve;
    });
    const k: KeytarLike = {
      getPassword: (service, account) => keytar.getPassword(service, account),
      deletePassword: (service, account) => keytar.deletePassword(service, account),
      setPassword: async (service, account, password) => {
        await keytar.setPassword(service, account, password);
        if (account === entry && atWrite === null) {
          atWrite = readFileSync(file, 'utf8');
          landed();
        }
      },
    };
    // admin's profile is answered once its token landed: the sign-in becomes an account after the write.
    let holdProfile = false;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (holdProfile && url.endsWith('/api/user/me')) await tokenLanded;
      return globalThis.fetch(input, init);
    };
    const first = app({ loadKeytar: async () => k, fetch });
    expect((await first.session.addAccount(DEMO)).ok).toBe(true);
    holdProfile = true;
    expect((await first.session.addAccount(ADMIN)).ok).toBe(true);
    await first.close();
    expect(await storedToken(server.url, ADMIN.username)).not.toBeNull();
    if (atWrite === null) throw new Error('admin’s token write was expected');
    writeFileSync(file, atWrite);

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(second.session.listAccounts().map((account) => account.username)).toEqual(['demo']);
    // Before, the list never named admin: its token stayed in the keychain for good.
    expect(await storedToken(server.url, ADMIN.username)).toBeNull();
    expect(await storedToken(server.url, DEMO.username)).not.toBeNull();
    expect(readFileSync(file, 'utf8')).not.toContain('"admin"');
  });

  it('never deletes an entry whose user a newer release’s kept account names, nor one a listed account uses', async () => {
    const first = app();
    expect((await first.session.addAccount(DEMO)).ok).toBe(true);
    await first.close();
    const file = join(dir, ACCOUNTS_FILE);
    const list = JSON.parse(readFileSync(file, 'utf8')) as { accounts: { connection: object }[] };
    const connection = list.accounts[0]?.connection;
    const adminToken = 'a-newer-release-token';
    await keytar.setPassword(TEST_SERVICE, tokenAccount(apiScope(server.url), ADMIN.username), adminToken);
    const demoToken = await storedToken(server.url, DEMO.username);
    writeFileSync(
      file,
      JSON.stringify({
        ...list,
        accounts: [
          ...list.accounts,
          // A newer release's account (a setting this version does not know) with admin's entry.
          {
            id: 'acct-newer',
            username: 'admin',
            connection: { ...connection, loginHint: 'admin@example.com' },
          },
        ],
        // Notes for both entries under other ids (another contract, or a newer release's sign-in).
        forget: [
          { id: 'acct-note-1', username: 'admin', connection },
          { id: 'acct-note-2', username: 'demo', connection },
        ],
      }),
    );

    const second = app();
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(apiScope(server.url), ADMIN.username))).toBe(
      adminToken,
    );
    // demo's entry is the listed account's: restored from it (and rotated), not deleted.
    const demoNow = await storedToken(server.url, DEMO.username);
    expect(demoNow).not.toBeNull();
    expect(demoNow).not.toBe(demoToken);
  });
});

describe('createAccountRegistry() when accounts.json cannot be written', () => {
  it('a sign-in lasts this session only, its token never in the keychain; once the list can be written, sign-ins are stored', async () => {
    // A folder at the list's name (with something in it): the list can be neither read, kept aside nor
    // written, so a token written now would be one no list names, never restored and never deleted.
    const file = join(dir, ACCOUNTS_FILE);
    mkdirSync(file);
    writeFileSync(join(file, 'kept'), 'x');
    const { session } = app();
    expect(await session.start()).toMatchObject({ state: 'signedOut' });
    expect((await session.addAccount(DEMO)).ok).toBe(true);
    await expect
      .poll(() => session.getView().keychain)
      .toMatchObject({
        available: false,
        persisted: false,
        reason: expect.stringMatching(new RegExp(`^${KEYCHAIN_REASONS.accountList}`)),
      });
    expect(keychainReasonKind(session.getView().keychain.reason ?? '')).toBe('accountList');
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    // The session itself works: its token is served, and a refresh still stores nothing.
    expect((await session.getAccessToken()).ok).toBe(true);
    expect((await session.getAccessToken({ forceRefresh: true })).ok).toBe(true);
    expect(await storedToken(server.url, DEMO.username)).toBeNull();
    expect(readdirSync(file)).toEqual(['kept']);

    // The folder removed: the next sign-in is listed and stored.
    rmSync(file, { recursive: true });
    expect((await session.addAccount({ ...ADMIN, apiBaseUrl: other.url })).ok).toBe(true);
    expect(await storedToken(other.url, ADMIN.username)).not.toBeNull();
    expect(session.getView()).toMatchObject({ keychain: { available: true, persisted: true } });
    expect(readFileSync(file, 'utf8')).toContain('"admin"');
  });
});

/** demo on the first server and admin on the other, demo active. */
async function twoAccounts() {
  const { session } = app();
  expect((await session.addAccount(DEMO)).ok).toBe(true);
  expect((await session.addAccount({ ...ADMIN, apiBaseUrl: other.url })).ok).toBe(true);
  const [demo, admin] = session.listAccounts();
  if (!demo || !admin) throw new Error('two accounts expected');
  expect(session.switchAccount(demo.id).ok).toBe(true);
  return { session, demo: demo.id, admin: admin.id };
}

const subject = (token: string) => readClaims(token).sub;

describe('getAccessToken across an account switch', () => {
  it("answers CANCELLED, not demo's token, to a refresh that lands after the switch to admin", async () => {
    const { session, demo, admin } = await twoAccounts();
    const demoGrant = await session.getAccessToken();
    if (!demoGrant.ok) throw new Error('demo has a token');
    expect(demoGrant.value.accountId).toBe(demo);
    const events: Array<string | null | undefined> = [];
    session.onChange((view) => events.push(view.accountId));
    // A forced refresh (after a 401) is in flight for demo when the person switches to admin.
    const pending = session.getAccessToken({
      forceRefresh: true,
      rejectedExpiresAt: demoGrant.value.expiresAt,
    });
    expect(session.switchAccount(admin).ok).toBe(true);
    expect(events.at(-1)).toBe(admin);
    const answer = await pending;
    expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'CANCELLED' }) });
    // The refresh itself went through for demo (its session keeps the new token); admin's is unchanged.
    expect(server.requests('/token/refresh')).toHaveLength(1);
    const adminGrant = await session.getAccessToken();
    if (!adminGrant.ok) throw new Error('admin has a token');
    expect(adminGrant.value.accountId).toBe(admin);
    expect(subject(adminGrant.value.accessToken)).not.toBe(subject(demoGrant.value.accessToken));
  });

  it('answers a caller that names an account only while it is the active one', async () => {
    const { session, demo, admin } = await twoAccounts();
    const named = await session.getAccessToken({ account: demo });
    expect(named.ok && named.value.accountId).toBe(demo);
    // A retry for admin's rejected grant while demo is shown: refused before anything is refreshed.
    const refused = await session.getAccessToken({
      forceRefresh: true,
      rejectedExpiresAt: 1,
      account: admin,
    });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'CANCELLED' }) });
    expect(other.requests('/token/refresh')).toHaveLength(0);
    expect(server.requests('/token/refresh')).toHaveLength(0);
  });

  it('keeps the single flight: 50 forced calls naming the active account cause one refresh', async () => {
    const { session, demo } = await twoAccounts();
    const first = await session.getAccessToken({ account: demo });
    if (!first.ok) throw new Error('demo has a token');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        session.getAccessToken({
          forceRefresh: true,
          rejectedExpiresAt: first.value.expiresAt,
          account: demo,
        }),
      ),
    );
    expect(server.requests('/token/refresh')).toHaveLength(1);
    const tokens = new Set(
      answers.map((answer) => (answer.ok ? answer.value.accessToken : answer.error.code)),
    );
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toBe(first.value.accessToken);
  });
});
