import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../common/session';
import { signedOutView } from '../../../test/support/session-view';
import { recordSessionEvents } from './session-events';

function fakeSession(initial: SessionView) {
  const listeners = new Set<(view: SessionView) => void>();
  return {
    getView: () => initial,
    onChange(listener: (view: SessionView) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (view: SessionView) => {
      for (const listener of listeners) listener(view);
    },
    listeners,
  };
}

describe('recordSessionEvents()', () => {
  it('keeps only the last events, oldest first, starting from the view at subscription', () => {
    let time = 0;
    const session = fakeSession(signedOutView());
    const log = recordSessionEvents(session, { now: () => time++, capacity: 3 });
    for (const state of ['signingIn', 'active', 'refreshing', 'active'] as const)
      session.emit({ ...signedOutView(), state });
    expect(log.events().map((event) => [event.time, event.state])).toEqual([
      [2, 'active'],
      [3, 'refreshing'],
      [4, 'active'],
    ]);
    log.stop();
    expect(session.listeners.size).toBe(0);
  });

  it('keeps who and why but redacts a token quoted in an error message', () => {
    const session = fakeSession(signedOutView());
    const log = recordSessionEvents(session);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
    session.emit({
      ...signedOutView(),
      state: 'active',
      user: { sub: '1', username: 'demo', name: 'Demo', role: 'user' },
      lastError: { code: 'SERVER', message: `the server said: bad token ${jwt}` },
    });
    const last = log.events().at(-1);
    expect(last?.user).toBe('demo');
    expect(last?.lastError?.code).toBe('SERVER');
    expect(JSON.stringify(log.events())).not.toContain(jwt);
  });
});
