import { describe, expect, it } from 'vitest';
import { PAYLOAD_LIMITS, payloadTooLarge } from './payload-bounds';

describe('payloadTooLarge()', () => {
  it('accepts every legitimate request shape', () => {
    for (const payload of [
      undefined,
      null,
      { username: 'kim', password: 'x'.repeat(1024) },
      { forceRefresh: true },
      { apiBaseUrl: 'https://api.example.com', theme: 'dark', requestTimeoutMs: 20_000 },
      // The deepest legitimate one: a contract's refresh.refused.equals list (Supabase's preset).
      { authContract: { refresh: { refused: { jsonPath: 'error_code', equals: ['session_expired'] } } } },
    ])
      expect(payloadTooLarge(payload)).toBeNull();
  });

  it('refuses too many keys, long strings, deep nesting and large totals', () => {
    const many = Object.fromEntries(Array.from({ length: PAYLOAD_LIMITS.keys + 1 }, (_, i) => [`k${i}`, 1]));
    expect(payloadTooLarge(many)).toMatch(/more than 64 entries/);
    expect(payloadTooLarge({ apiBaseUrl: 'x'.repeat(PAYLOAD_LIMITS.stringChars + 1) })).toMatch(
      /longer than 8192/,
    );
    expect(payloadTooLarge({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toMatch(/nested too deeply/);
    const wide = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'y'.repeat(8000)]));
    expect(payloadTooLarge(wide)).toMatch(/more than 65536 characters in all/);
  });

  it('accepts each limit exactly, and refuses one more', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));
    expect(payloadTooLarge(keys(PAYLOAD_LIMITS.keys))).toBeNull();
    expect(payloadTooLarge(keys(PAYLOAD_LIMITS.keys + 1))).toMatch(/more than 64 entries/);
    expect(payloadTooLarge({ a: 'x'.repeat(PAYLOAD_LIMITS.stringChars) })).toBeNull();
    expect(payloadTooLarge({ a: 'x'.repeat(PAYLOAD_LIMITS.stringChars + 1) })).toMatch(/longer than/);
    // Depth: the payload object is level 0; four nested objects below it are the most.
    expect(payloadTooLarge({ a: { b: { c: { d: { e: 1 } } } } })).toBeNull();
    expect(payloadTooLarge({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toMatch(/nested too deeply/);
    // In all: 8 keys of 1 character and 8 texts that fill the rest exactly, then one character more.
    const text = (extra: number) => {
      const each = (PAYLOAD_LIMITS.totalChars - 8) / 8;
      const payload: Record<string, string> = {};
      for (let i = 0; i < 8; i++)
        payload[String.fromCharCode(97 + i)] = 'y'.repeat(each + (i === 0 ? extra : 0));
      return payload;
    };
    expect(payloadTooLarge(text(0))).toBeNull();
    expect(payloadTooLarge(text(1))).toMatch(/more than 65536 characters in all/);
  });

  it('refuses values whose size the walk does not count; plain objects of any prototype-less kind pass', () => {
    for (const value of [
      new ArrayBuffer(8),
      new Uint8Array(8),
      new Map([[1, 'x']]),
      new Set(['x']),
      new Date(0),
      // A BigInt may be megabytes long; structured clone carries it whole.
      2n ** 8_000_000n,
      1n,
    ])
      expect(payloadTooLarge({ password: value })).toMatch(/size is not counted/);
    expect(payloadTooLarge(Object.assign(Object.create(null), { theme: 'dark' }))).toBeNull();
  });

  it('stops early on a million keys (bounded work, the handler never sees it)', () => {
    const huge: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) huge[`key${i}`] = i;
    let reads = 0;
    const counting = new Proxy(huge, {
      get(target, key) {
        reads += 1;
        return Reflect.get(target, key);
      },
    });
    expect(payloadTooLarge(counting)).toMatch(/more than 64 entries/);
    expect(reads).toBeLessThanOrEqual(PAYLOAD_LIMITS.keys);
  });

  it('counts a list by its length: a sparse one (a few bytes over IPC, every hole walked by a schema) is refused', () => {
    expect(payloadTooLarge({ authContract: { expired: { status: new Array(2 ** 32 - 1) } } })).toMatch(
      /more than 64 entries/,
    );
    const holes = new Array(PAYLOAD_LIMITS.keys + 1);
    holes[0] = 401;
    expect(payloadTooLarge(holes)).toMatch(/more than 64 entries/);
    expect(payloadTooLarge(new Array(PAYLOAD_LIMITS.keys).fill(1))).toBeNull();
  });
});
