import { afterAll, describe, expect, it } from 'vitest';
import { type AccessClaims, type AccessTokenSettings, createAccessTokens } from './access-tokens';
import { openDatabase } from './db';
import { openKeyStore } from './key-file';
import { createRevokedFamilies } from './revoked-families';
import { loadSigningKeys } from './signing-keys';
import { createVerifiedTokens, type VerifyContext } from './verified-tokens';

const CONTEXT: VerifyContext = { key: {}, issuer: 'i', audience: 'a', leewaySeconds: 0 };
const T0 = Date.UTC(2030, 0, 1);

describe('the memo of verified tokens', () => {
  it('answers a token it holds from when it was verified until its exp, and nothing else', () => {
    const memo = createVerifiedTokens<string>();
    memo.remember('a.b.c', T0, T0 + 60_000, CONTEXT, 'claims of a.b.c');
    expect(memo.recall('a.b.c', T0, CONTEXT)).toBe('claims of a.b.c');
    expect(memo.recall('a.b.c', T0 + 59_999, CONTEXT)).toBe('claims of a.b.c');
    // One character off is another token.
    expect(memo.recall('a.b.d', T0, CONTEXT)).toBeUndefined();
    // A clock set back before the check: the time rules it applied are not known to hold.
    expect(memo.recall('a.b.c', T0 - 1, CONTEXT)).toBeUndefined();
    // At its exp it is gone, also for a clock set back afterwards.
    expect(memo.recall('a.b.c', T0 + 60_000, CONTEXT)).toBeUndefined();
    expect(memo.recall('a.b.c', T0 + 1, CONTEXT)).toBeUndefined();
    expect(memo.stats()).toEqual({ entries: 0, hits: 2, misses: 4 });
  });

  it('answers nothing under another key, issuer, audience or leeway, and empties when one changes', () => {
    const memo = createVerifiedTokens<string>();
    memo.remember('a.b.c', T0, T0 + 60_000, CONTEXT, 'claims');
    for (const other of [
      { ...CONTEXT, key: {} },
      { ...CONTEXT, issuer: 'j' },
      { ...CONTEXT, audience: 'b' },
      { ...CONTEXT, leewaySeconds: 1 },
    ]) {
      expect(memo.recall('a.b.c', T0, other)).toBeUndefined();
    }
    // The same values in a new object are the same context.
    expect(memo.recall('a.b.c', T0, { ...CONTEXT })).toBe('claims');
    memo.remember('d.e.f', T0, T0 + 60_000, { ...CONTEXT, issuer: 'j' }, 'other claims');
    expect(memo.stats().entries).toBe(1);
    expect(memo.recall('a.b.c', T0, CONTEXT)).toBeUndefined();
  });

  it('holds at most its bound, dropping the oldest first', () => {
    const memo = createVerifiedTokens<number>(3);
    for (let i = 1; i <= 4; i++) memo.remember(`t.${i}.s`, T0, T0 + 60_000, CONTEXT, i);
    expect(memo.stats().entries).toBe(3);
    expect(memo.recall('t.1.s', T0, CONTEXT)).toBeUndefined();
    expect([2, 3, 4].map((i) => memo.recall(`t.${i}.s`, T0, CONTEXT))).toEqual([2, 3, 4]);
  });

  it('does not store a token already at its exp, and refuses a bound that is not a positive integer', () => {
    const memo = createVerifiedTokens<string>();
    memo.remember('a.b.c', T0, T0, CONTEXT, 'claims');
    expect(memo.stats().entries).toBe(0);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => createVerifiedTokens(bad)).toThrow(TypeError);
  });
});

describe('access tokens with the memo', () => {
  const db = openDatabase(':memory:');
  afterAll(() => db.close());

  async function setUp(leewaySeconds = 0) {
    let nowMs = T0;
    const keys = await loadSigningKeys(openKeyStore(db, undefined), 'HS256', undefined);
    const settings: AccessTokenSettings = {
      keys,
      issuer: 'tessera-test',
      audience: 'tessera-api',
      leewaySeconds,
      now: () => nowMs,
      accessSeconds: () => 60,
      revokedFamilies: createRevokedFamilies(db, () => nowMs - leewaySeconds * 1000),
    };
    const memo = createVerifiedTokens<AccessClaims>();
    const tokens = createAccessTokens(db, settings, memo);
    const user = { sub: crypto.randomUUID(), username: 'demo', name: 'Demo User', role: 'user' as const };
    const { token } = await tokens.issue(user, crypto.randomUUID());
    return {
      tokens,
      memo,
      settings,
      token,
      setNow: (ms: number) => {
        nowMs = ms;
      },
    };
  }

  it('checks a token in full once, then answers it from the memo with the same claims', async () => {
    const { tokens, memo, token } = await setUp();
    const first = await tokens.verify(token);
    const second = await tokens.verify(token);
    expect(first.ok && second.ok).toBe(true);
    expect(second).toEqual(first);
    expect(memo.stats()).toMatchObject({ entries: 1, hits: 1 });
  });

  it('still refuses a remembered token once it is denied or its session is revoked', async () => {
    const denied = await setUp();
    const verified = await denied.tokens.verify(denied.token);
    if (!verified.ok) throw new Error('the fresh token was refused');
    denied.tokens.deny(verified.claims);
    expect(await denied.tokens.verify(denied.token)).toMatchObject({ ok: false, error: 'TokenRevokedError' });
    expect(denied.memo.stats().hits).toBe(1);

    const revoked = await setUp();
    const claims = await revoked.tokens.verify(revoked.token);
    if (!claims.ok) throw new Error('the fresh token was refused');
    revoked.tokens.revokeFamily(claims.claims.sid);
    expect(await revoked.tokens.verify(revoked.token)).toMatchObject({
      ok: false,
      error: 'TokenRevokedError',
    });
    expect(revoked.memo.stats().hits).toBe(1);
  });

  it('reports a remembered token expired at its exp, and accepts it through the leeway by the full check', async () => {
    const strict = await setUp(0);
    expect((await strict.tokens.verify(strict.token)).ok).toBe(true);
    strict.setNow(T0 + 60_000);
    expect(await strict.tokens.verify(strict.token)).toMatchObject({ ok: false, error: 'TokenExpiredError' });
    expect(strict.memo.stats()).toMatchObject({ hits: 0, entries: 0 });

    const lenient = await setUp(30);
    expect((await lenient.tokens.verify(lenient.token)).ok).toBe(true);
    lenient.setNow(T0 + 70_000);
    expect((await lenient.tokens.verify(lenient.token)).ok).toBe(true);
    expect(lenient.memo.stats().hits).toBe(0);
  });

  it('refuses a token one character off a remembered one, and one whose issuer is no longer accepted', async () => {
    const { tokens, memo, settings, token } = await setUp();
    expect((await tokens.verify(token)).ok).toBe(true);
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await tokens.verify(`${header}.${payload}.${flipped}`)).toMatchObject({
      ok: false,
      error: 'InvalidTokenError',
    });
    settings.issuer = 'another-issuer';
    expect(await tokens.verify(token)).toMatchObject({ ok: false, error: 'InvalidTokenError' });
    expect(memo.stats().hits).toBe(0);
  });
});
