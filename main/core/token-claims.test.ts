import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../../test/support/fixtures';
import { clockSkewMs, decodeJwt, isJwt, readClaims, userFromClaims } from './token-claims';

describe('isJwt()', () => {
  it('accepts a three-part token whose header and payload are JSON objects', () => {
    expect(isJwt(fakeJwt())).toBe(true);
  });

  it('rejects opaque strings, two-part and four-part tokens and non-JSON parts', () => {
    const [h, p] = fakeJwt().split('.');
    expect(isJwt('not-a-jwt')).toBe(false);
    expect(isJwt(`${h}.${p}`)).toBe(false);
    expect(isJwt(`${h}.${p}.s.x`)).toBe(false);
    expect(isJwt(`${h}.bm90IGpzb24.sig`)).toBe(false);
    expect(isJwt(`${h}.${Buffer.from('[1,2]').toString('base64url')}.sig`)).toBe(false);
  });
});

describe('readClaims()', () => {
  it('reads sub, exp, name and role and ignores mistyped claims', () => {
    const token = fakeJwt({ sub: 's', exp: 100, name: 'Demo User', role: 'admin', iat: 'yesterday' });
    expect(readClaims(token)).toEqual({ sub: 's', exp: 100, name: 'Demo User', role: 'admin' });
  });

  it('falls back to preferred_username and the first of roles', () => {
    expect(readClaims(fakeJwt({ preferred_username: 'p', roles: ['r1', 'r2'] }))).toEqual({
      username: 'p',
      role: 'r1',
    });
  });

  it('reads exp and iat written in milliseconds (Date.now()) as seconds', () => {
    const claims = readClaims(fakeJwt({ iat: 1_900_000_000_123, exp: 1_900_000_900_123 }));
    expect(claims).toEqual({ iat: 1_900_000_000.123, exp: 1_900_000_900.123 });
    expect(readClaims(fakeJwt({ exp: 1_900_000_900 })).exp).toBe(1_900_000_900);
  });

  it('draws the line between seconds and milliseconds after 100,000,000,000 (the year 5138)', () => {
    expect(readClaims(fakeJwt({ exp: 100_000_000_000 })).exp).toBe(100_000_000_000);
    expect(readClaims(fakeJwt({ exp: 100_000_000_001 })).exp).toBe(100_000_000.001);
  });

  it('returns no claims for a malformed token', () => {
    expect(readClaims('garbage')).toEqual({});
    expect(decodeJwt('a.b.c')).toBeNull();
  });
});

describe('clockSkewMs()', () => {
  it('is the exp claim minus the local expiry', () => {
    expect(clockSkewMs({ exp: 1_000 }, 999_000)).toBe(1_000);
    expect(clockSkewMs({ exp: 1_000 }, 1_000_000 + 3_600_000)).toBe(-3_600_000);
    expect(clockSkewMs({}, 5)).toBeNull();
  });
});

describe('userFromClaims()', () => {
  it('uses the name and role claims and the username typed at sign-in', () => {
    expect(userFromClaims({ sub: 'id-1', name: 'Demo User', role: 'user' }, 'demo')).toEqual({
      sub: 'id-1',
      username: 'demo',
      name: 'Demo User',
      role: 'user',
    });
  });

  it('still produces a user from a nearly empty token', () => {
    expect(userFromClaims({ sub: 'id-1' }, undefined)).toEqual({
      sub: 'id-1',
      username: 'id-1',
      name: 'id-1',
      role: '',
    });
  });
});
