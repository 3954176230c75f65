import { describe, expect, it } from 'vitest';
import { watchOnline } from './online-watcher';

function harness(states: boolean[]) {
  let tick: () => void = () => {};
  let calls = 0;
  let stopped = false;
  const queue = [...states];
  const stop = watchOnline({
    isOnline: () => queue.shift() ?? true,
    onOnline: () => {
      calls += 1;
    },
    setInterval: (fn) => {
      tick = fn;
      return {};
    },
    clearInterval: () => {
      stopped = true;
    },
  });
  return { tick: () => tick(), calls: () => calls, stop, stopped: () => stopped };
}

describe('watchOnline()', () => {
  it('calls onOnline once per offline-to-online transition', () => {
    const h = harness([true, false, false, true, true, false, true]);
    for (let i = 0; i < 6; i += 1) h.tick();
    expect(h.calls()).toBe(2);
  });

  it('does not call onOnline while the network stays up', () => {
    const h = harness([true, true, true, true]);
    for (let i = 0; i < 3; i += 1) h.tick();
    expect(h.calls()).toBe(0);
  });

  it('stops polling when stopped', () => {
    const h = harness([true]);
    h.stop();
    expect(h.stopped()).toBe(true);
  });
});
