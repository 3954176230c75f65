import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../../common/errors';
import type { SessionState } from '../../../common/session';
import { defaultSettings } from '../../../test/support/default-settings';
import { fakeJwt } from '../../../test/support/fixtures';
import { initialModel, type SessionModel, type SessionSecrets } from './model';
import { sessionDiagramMarkdown, TRANSITION_TABLE, type TransitionName } from './table';
import * as t from './transitions';

const settings = { ...defaultSettings(), apiBaseUrl: 'https://api.example.com' };
const OFFLINE: ErrorInfo = { code: 'NETWORK', message: 'offline' };
const REFUSED: ErrorInfo = {
  code: 'SESSION_EXPIRED',
  message: 'refused',
  serverError: 'RefreshTokenReusedError',
};
const MISCONFIGURED: ErrorInfo = { code: 'INVALID_CONFIG', key: 'authContract', message: 'keeps refusing' };
const ACCESS = { accessToken: 'a', expiresAt: 10_000, lifetimeMs: 9_000, clockSkewMs: null };
const USER = { sub: '1', username: 'demo', name: 'Demo', role: 'user' };

/** A model in `state`, holding secrets where that state can (a stored token awaiting restore has no access). */
function modelIn(state: SessionState): SessionModel {
  const base = { ...initialModel(settings), generation: 3, state };
  if (state === 'signedOut') return base;
  const access = state === 'signingIn' ? null : ACCESS;
  return { ...base, secrets: { username: 'demo', refreshToken: 'r', access }, user: USER };
}

/** Each transition applied with a typical event. */
const APPLY: { [N in TransitionName]: (model: SessionModel) => SessionModel } = {
  signInStarted: (m) => t.signInStarted(m),
  signInFailed: (m) => t.signInFailed(m, { code: 'INVALID_CREDENTIALS', message: 'no' }),
  signInGranted: (m) => t.signInGranted(m, { username: 'demo', refreshToken: 'r', access: ACCESS }, 1),
  profileLoaded: (m) => t.profileLoaded(m, USER),
  sessionActivated: (m) => t.sessionActivated(m),
  signInCancelled: (m) => t.signInCancelled(m),
  signedOut: (m) => t.signedOut(m),
  restoreStarted: (m) => t.restoreStarted(m),
  restoreFoundNothing: (m) => t.restoreFoundNothing(m),
  storedTokenLoaded: (m) => t.storedTokenLoaded(m, { username: 'demo', refreshToken: 'r' }),
  refreshStarted: (m) => t.refreshStarted(m),
  refreshSucceeded: (m) => t.refreshSucceeded(m, { username: 'demo', refreshToken: 'r2', access: ACCESS }, 5),
  refreshFailedTransiently: (m) =>
    t.refreshFailedTransiently(m, {
      error: OFFLINE,
      secrets: m.secrets ?? { username: 'demo', refreshToken: 'r', access: null },
      retryAt: 99,
    }),
  refreshGaveUp: (m) => t.refreshGaveUp(m, { error: MISCONFIGURED, retryAt: 600 }),
  refreshRefused: (m) => t.refreshRefused(m, 'refreshTokenReused', REFUSED),
  refreshScheduled: (m) => t.refreshScheduled(m, 42),
  apiChanged: (m) => t.apiChanged(m, { ...settings, apiBaseUrl: 'https://other.example.com' }, 'apiChanged'),
  settingsChanged: (m) => t.settingsChanged(m, { ...settings, theme: 'dark' }),
  keychainSaved: (m) => t.keychainSaved(m),
  keychainFailed: (m) => t.keychainFailed(m, 'locked'),
  persistenceStopped: (m) => t.persistenceStopped(m),
  revocationFailed: (m) => t.revocationFailed(m, OFFLINE),
};

describe('the transition table', () => {
  it('lists every transition of transitions.ts exactly once', () => {
    const listed = TRANSITION_TABLE.map((row) => row.name).sort();
    expect(listed).toEqual(Object.keys(t).sort());
  });

  for (const row of TRANSITION_TABLE) {
    if (row.edges.length === 0) {
      it(`${row.name}() changes the model but never the state`, () => {
        for (const state of ['signedOut', 'signingIn', 'active', 'refreshing'] as const) {
          expect(APPLY[row.name](modelIn(state)).state).toBe(state);
        }
      });
      continue;
    }
    it(`${row.name}() leads where the table says (${row.edges.map((e) => e.join('→')).join(', ')})`, () => {
      for (const [from, to] of row.edges) {
        const model =
          row.name === 'refreshFailedTransiently' && from === 'signedOut' ? restoring() : modelIn(from);
        expect(APPLY[row.name](model).state).toBe(to);
      }
    });
  }

  it('never changes the model it is given', () => {
    for (const state of ['signedOut', 'signingIn', 'active', 'refreshing'] as const) {
      const model = Object.freeze(modelIn(state));
      const copy = structuredClone(model);
      for (const apply of Object.values(APPLY)) apply(model);
      expect(model).toEqual(copy);
    }
  });

  it('is what docs/architecture.md shows between its diagram markers (npm run docs:session)', () => {
    const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
    const between = /<!-- session-diagram:start -->\n([\s\S]*?)\n<!-- session-diagram:end -->/.exec(doc);
    expect(between?.[1]).toBe(sessionDiagramMarkdown());
  });
});

/** A stored session whose restore is failing: signed out for now, token kept. */
function restoring(): SessionModel {
  return { ...modelIn('signedOut'), secrets: { username: 'demo', refreshToken: 'r', access: null } };
}

describe('ending a session', () => {
  const ends = [t.signInStarted, t.signInCancelled, t.signedOut] as const;

  it('moves to a new generation, forgets secrets, schedule and failures, and keeps the keychain status', () => {
    const model: SessionModel = {
      ...modelIn('active'),
      nextRefreshAt: 5,
      failures: 2,
      offline: true,
      keychain: { available: true, persisted: true },
    };
    for (const end of ends) {
      expect(end(model)).toMatchObject({
        generation: 4,
        secrets: null,
        user: null,
        nextRefreshAt: null,
        failures: 0,
        offline: false,
        keychain: { available: true, persisted: false },
      });
    }
    expect(t.signedOut(model).reason).toBe('userSignedOut');
    expect(t.refreshRefused(model, 'refreshTokenExpired', REFUSED)).toMatchObject({
      state: 'signedOut',
      reason: 'refreshTokenExpired',
      lastError: REFUSED,
      generation: 4,
    });
  });

  it('apiChanged() ends a session in progress with its reason, and only moves the generation otherwise', () => {
    const next = { ...settings, apiBaseUrl: 'https://other.example.com' };
    expect(t.apiChanged(modelIn('active'), next, 'apiChanged')).toMatchObject({
      state: 'signedOut',
      reason: 'apiChanged',
      secrets: null,
      settings: next,
      generation: 4,
    });
    expect(t.apiChanged(modelIn('signingIn'), next, 'signInMethodChanged').reason).toBe(
      'signInMethodChanged',
    );
    const idle = { ...modelIn('signedOut'), reason: 'userSignedOut' as const, nextRefreshAt: 7 };
    expect(t.apiChanged(idle, next, 'apiChanged')).toMatchObject({
      state: 'signedOut',
      reason: 'userSignedOut',
      settings: next,
      generation: 4,
      nextRefreshAt: null,
    });
  });
});

describe('refreshFailedTransiently()', () => {
  it('keeps the token, counts the failure, goes offline and schedules the retry', () => {
    const model = { ...modelIn('refreshing'), failures: 1 };
    const secrets = model.secrets as SessionSecrets;
    const next = t.refreshFailedTransiently(model, {
      error: { ...OFFLINE, status: 503 },
      secrets,
      retryAt: 77,
    });
    expect(next).toMatchObject({ state: 'active', offline: true, failures: 2, nextRefreshAt: 77, secrets });
    expect(next.secrets?.refreshUnconfirmed).toBeUndefined();
  });

  it('marks the token unconfirmed when no answer came back (the server may have rotated it)', () => {
    const model = modelIn('refreshing');
    const secrets = model.secrets as SessionSecrets;
    const next = t.refreshFailedTransiently(model, { error: OFFLINE, secrets, retryAt: 1 });
    expect(next.secrets).toMatchObject({ refreshToken: 'r', refreshUnconfirmed: 'interrupted' });
  });

  it('leaves a token that changed meanwhile alone', () => {
    const model = modelIn('refreshing');
    const older: SessionSecrets = { username: 'demo', refreshToken: 'old', access: ACCESS };
    expect(t.refreshFailedTransiently(model, { error: OFFLINE, secrets: older, retryAt: 1 }).secrets).toBe(
      model.secrets,
    );
  });

  it('reads as signed out for now while a stored session cannot be restored', () => {
    const next = t.refreshFailedTransiently(restoring(), {
      error: OFFLINE,
      secrets: restoring().secrets as SessionSecrets,
      retryAt: 1,
    });
    expect(next).toMatchObject({ state: 'signedOut', reason: 'silentSignInFailed', offline: true });
    expect(next.secrets).not.toBeNull();
  });
});

describe('refreshGaveUp()', () => {
  it('reads as ended with its reason but keeps the refresh token (not the access token) and the keychain entry', () => {
    const model: SessionModel = {
      ...modelIn('refreshing'),
      failures: 7,
      keychain: { available: true, persisted: true },
    };
    const next = t.refreshGaveUp(model, { error: MISCONFIGURED, retryAt: 600 });
    expect(next).toMatchObject({
      state: 'signedOut',
      reason: 'refreshMisconfigured',
      lastError: MISCONFIGURED,
      generation: model.generation,
      secrets: { username: 'demo', refreshToken: 'r', access: null },
      user: null,
      offline: false,
      failures: 8,
      nextRefreshAt: 600,
      keychain: { available: true, persisted: true },
    });
  });
});

describe('refreshSucceeded()', () => {
  it('takes the new secrets and forgets the failures', () => {
    const model = { ...modelIn('refreshing'), offline: true, failures: 3, lastError: OFFLINE };
    const secrets: SessionSecrets = { username: 'demo', refreshToken: 'r2', access: ACCESS };
    expect(t.refreshSucceeded(model, secrets, 123)).toMatchObject({
      secrets,
      lastRefreshAt: 123,
      offline: false,
      failures: 0,
      lastError: null,
      state: 'refreshing',
    });
  });
});

describe('keychain transitions', () => {
  it('say whether the refresh token is stored, and why not', () => {
    const model = modelIn('active');
    expect(t.keychainSaved(model).keychain).toEqual({ available: true, persisted: true });
    expect(t.keychainFailed(model, 'locked').keychain).toEqual({
      available: false,
      persisted: false,
      reason: 'locked',
    });
    expect(t.persistenceStopped(t.keychainSaved(model)).keychain).toEqual({
      available: true,
      persisted: false,
    });
    expect(t.restoreFoundNothing(modelIn('signingIn'), 'no daemon')).toMatchObject({
      state: 'signedOut',
      keychain: { available: false, reason: 'no daemon' },
    });
    expect(t.storedTokenLoaded(modelIn('signingIn'), { username: 'kim', refreshToken: 'x' })).toMatchObject({
      keychain: { available: true, persisted: true },
      secrets: { username: 'kim', refreshToken: 'x', access: null },
    });
    const jwt = fakeJwt({ sub: 'kim', exp: 1_800_000_000 });
    expect(
      t.storedTokenLoaded(modelIn('signingIn'), { username: 'kim', refreshToken: jwt }).secrets,
    ).toMatchObject({ refreshExpiresAt: 1_800_000_000_000 });
  });
});
