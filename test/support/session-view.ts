import type { SessionView } from '../../common/session';

/** A signed-out session view for tests on either side of IPC; `overrides` set the fields a test cares about. */
export function signedOutView(overrides: Partial<SessionView> = {}): SessionView {
  return {
    state: 'signedOut',
    apiOrigin: 'http://127.0.0.1:4000',
    user: null,
    expiresAt: null,
    lifetimeMs: null,
    refreshExpiresAt: null,
    lastRefreshAt: null,
    nextRefreshAt: null,
    offline: false,
    lastError: null,
    keychain: { available: true, persisted: false },
    reason: null,
    clockSkewMs: null,
    ...overrides,
  };
}
