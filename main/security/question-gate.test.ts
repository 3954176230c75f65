import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONNECTION_QUESTION_PACING, createQuestionGate } from './question-gate';

const QUIET_AFTER_NO_MS = 3_000;

// The native dialog cannot run here: each question is a promise the test answers.
function setUp() {
  let clock = 5_000_000;
  const gate = createQuestionGate({ now: () => clock, quietAfterNoMs: QUIET_AFTER_NO_MS });
  const shown: string[] = [];
  const answers: Array<(yes: boolean) => void> = [];
  const ask = (name: string) =>
    gate.ask(() => {
      shown.push(name);
      return new Promise<boolean>((resolve) => answers.push(resolve));
    });
  return {
    ask,
    shown,
    answer: (yes: boolean) => answers.shift()?.(yes),
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

describe('createQuestionGate()', () => {
  it('shows one question at a time: those asked meanwhile are refused without being shown', async () => {
    const t = setUp();
    const first = t.ask('a');
    expect(await Promise.all([t.ask('b'), t.ask('c')])).toEqual(['refused', 'refused']);
    expect(t.shown).toEqual(['a']);
    t.answer(true);
    expect(await first).toBe(true);
    // After a yes the next question is shown at once.
    const next = t.ask('d');
    t.answer(true);
    expect(await next).toBe(true);
    expect(t.shown).toEqual(['a', 'd']);
  });

  it('after a no, refuses questions for quietAfterNoMs: a page cannot ask again and again until a yes', async () => {
    const t = setUp();
    const first = t.ask('a');
    t.answer(false);
    expect(await first).toBe(false);
    expect(await t.ask('again')).toBe('refused');
    t.tick(QUIET_AFTER_NO_MS - 1);
    expect(await t.ask('still')).toBe('refused');
    t.tick(1);
    const later = t.ask('later');
    t.answer(true);
    expect(await later).toBe(true);
    expect(t.shown).toEqual(['a', 'later']);
  });

  it('without quietAfterNoMs, asks again right after a no (a person who declined one change may make another)', async () => {
    const gate = createQuestionGate({ now: () => 0 });
    expect(await gate.ask(async () => false)).toBe(false);
    expect(await gate.ask(async () => true)).toBe(true);
  });

  it("with the connection question's pacing: asked again after one no, a pause after two noes in a row", async () => {
    let clock = 0;
    const gate = createQuestionGate({ now: () => clock, ...CONNECTION_QUESTION_PACING });
    // Declined the trial sign-in, then Save and connect at once: asked.
    expect(await gate.ask(async () => false)).toBe(false);
    expect(await gate.ask(async () => false)).toBe(false);
    // A page asking in a loop: refused unasked until the pause is over.
    let shown = 0;
    const ask = () =>
      gate.ask(async () => {
        shown += 1;
        return false;
      });
    expect(await ask()).toBe('refused');
    clock += CONNECTION_QUESTION_PACING.quietAfterNoMs - 1;
    expect(await ask()).toBe('refused');
    expect(shown).toBe(0);
    clock += 1;
    expect(await ask()).toBe(false);
    expect(shown).toBe(1);
    // Still no in a row: the pause starts again at once. A yes ends the run of noes.
    expect(await ask()).toBe('refused');
    clock += CONNECTION_QUESTION_PACING.quietAfterNoMs;
    expect(await gate.ask(async () => true)).toBe(true);
    expect(await gate.ask(async () => false)).toBe(false);
    expect(await gate.ask(async () => true)).toBe(true);
  });

  it('gates sharing a screen show one question between them, each keeping its own pause', async () => {
    let clock = 5_000_000;
    const screen = { showing: false };
    const links = createQuestionGate({ now: () => clock, quietAfterNoMs: QUIET_AFTER_NO_MS, screen });
    const servers = createQuestionGate({ now: () => clock, ...CONNECTION_QUESTION_PACING, screen });
    let answer: (yes: boolean) => void = () => {};
    const pending = () => new Promise<boolean>((resolve) => (answer = resolve));
    const link = links.ask(pending);
    // A change of server asked while the link question is on screen: refused, never shown.
    expect(await servers.ask(pending)).toBe('refused');
    answer(false);
    expect(await link).toBe(false);
    // The link gate's pause after a no is its own: the server question may be asked now.
    const server = servers.ask(pending);
    expect(await links.ask(pending)).toBe('refused');
    answer(true);
    expect(await server).toBe(true);
    clock += QUIET_AFTER_NO_MS;
    const again = links.ask(pending);
    answer(true);
    expect(await again).toBe(true);
  });

  it('frees the gate when showing the question fails', async () => {
    const gate = createQuestionGate({ now: () => 0 });
    await expect(gate.ask(async () => Promise.reject(new Error('no display')))).rejects.toThrow('no display');
    expect(await gate.ask(async () => true)).toBe(true);
  });
});

describe('createQuestionGate() on its default clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('measures the pause as a duration: the system clock set back 2 hours does not stretch it', async () => {
    // Only the time of day is faked (Date); performance.now() goes on as the process's own clock.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const gate = createQuestionGate({ quietAfterNoMs: 50 });
    expect(await gate.ask(async () => false)).toBe(false);
    expect(await gate.ask(async () => true)).toBe('refused');
    vi.setSystemTime(Date.now() - 2 * 60 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await gate.ask(async () => true)).toBe(true);
  });
});
