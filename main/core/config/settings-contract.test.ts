// The apiProfile and authContract settings through the real settings store: layers, the contract they
// make together, and what counts as a change of connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionChange } from './connection-change';
import { createSettingsStore, type SettingsStoreDeps } from './settings-store';

let userDataDir: string;
let logged: string[];

beforeEach(() => {
  userDataDir = mkdtempSync(join(tmpdir(), 'tessera-contract-'));
  logged = [];
});

afterEach(() => {
  rmSync(userDataDir, { recursive: true, force: true });
});

function store(overrides: Partial<SettingsStoreDeps> = {}) {
  return createSettingsStore({
    userDataDir,
    policyPath: null,
    env: {},
    argv: [],
    logger: { warn: (line) => logged.push(`warn ${line}`), error: (line) => logged.push(`error ${line}`) },
    ...overrides,
  });
}

describe('apiProfile and authContract', () => {
  it("default to today's contract with no issue", () => {
    const view = store().view();
    expect(view.values).toMatchObject({ apiProfile: 'tessera', authContract: null });
    expect(view.issues).toEqual([]);
  });

  it('come from the environment and the command line as JSON text', () => {
    const settings = store({
      env: { TESSERA_API_PROFILE: 'supabase', TESSERA_AUTH_CONTRACT: '{"headers":{"apikey":"anon-key"}}' },
      argv: ['--auth-contract', '{"headers":{"apikey":"cli-key"}}'],
    });
    expect(settings.view()).toMatchObject({
      values: { apiProfile: 'supabase', authContract: { headers: { apikey: 'cli-key' } } },
      sources: { apiProfile: 'env', authContract: 'cli' },
      issues: [],
    });
  });

  it('report a contract value that fails validation, naming the field and the variable', () => {
    const view = store({ env: { TESSERA_AUTH_CONTRACT: '{"tokens":{"expiresInUnit":"min"}}' } }).view();
    expect(view.issues).toEqual([
      {
        key: 'authContract',
        source: 'env',
        message:
          'environment variable TESSERA_AUTH_CONTRACT: authContract field tokens.expiresInUnit must be "s" or "ms"; ignored',
      },
    ]);
    expect(view.values.authContract).toBeNull();
  });

  it('report a custom profile whose contract is incomplete, naming the missing field', () => {
    const view = store({
      env: {
        TESSERA_API_PROFILE: 'custom',
        TESSERA_AUTH_CONTRACT: '{"login":{"path":"/in"},"refresh":null}',
      },
    }).view();
    expect(view.issues).toEqual([
      {
        key: 'authContract',
        source: 'env',
        message:
          'The API contract is not valid: authContract.tokens is required; password sign-in fails until it is fixed',
      },
    ]);
  });

  it('refuse a change that leaves no complete contract, naming the field; nothing is saved', async () => {
    const settings = store({ confirmConnectionChange: async () => true });
    expect(await settings.update({ apiProfile: 'custom' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'authContract', message: /custom needs an authContract/ },
    });
    expect(
      await settings.update({ apiProfile: 'custom', authContract: { login: { path: '/in' } } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'authContract', message: /authContract\.tokens is required/ },
    });
    expect(settings.current().apiProfile).toBe('tessera');
  });

  it('are connection settings: a change is confirmed, and the same contract sent again is no change', async () => {
    const asked: ConnectionChange[] = [];
    const settings = store({
      confirmConnectionChange: async (change) => {
        asked.push(change);
        return true;
      },
    });
    const contract = { login: { extraFields: { client_id: 'tessera' } } };
    expect(await settings.update({ apiProfile: 'oauth2-password', authContract: contract })).toMatchObject({
      ok: true,
    });
    expect(asked.map((change) => change.keys)).toEqual([['apiProfile', 'authContract']]);
    expect(await settings.update({ authContract: structuredClone(contract), theme: 'dark' })).toMatchObject({
      ok: true,
    });
    expect(asked).toHaveLength(1);
  });
});
