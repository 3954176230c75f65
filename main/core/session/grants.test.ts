import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../../../test/support/fixtures';
import type { TokenGrant } from '../auth-client';
import { refreshExpiryOf, refreshedSecrets } from './grants';
import type { AccessState, SessionSecrets } from './model';

const access: AccessState = { accessToken: 'a', expiresAt: 2_000, lifetimeMs: 1_000, clockSkewMs: null };
const grant = (extra: Partial<TokenGrant> = {}): TokenGrant => ({
  accessToken: 'a',
  tokenType: 'Bearer',
  expiresIn: 1,
  ...extra,
});

describe('refreshExpiryOf()', () => {
  it("takes a JWT refresh token's exp claim, even when the server also sends refreshExpiresIn", () => {
    expect(refreshExpiryOf(fakeJwt({ sub: 'u1', exp: 1_800_000_000 }), 60, 1_000)).toBe(1_800_000_000_000);
  });

  it('falls back to receive time + refreshExpiresIn for an opaque token or a JWT without exp', () => {
    expect(refreshExpiryOf('opaque-token', 1_209_600, 5_000)).toBe(5_000 + 1_209_600_000);
    expect(refreshExpiryOf(fakeJwt({ sub: 'u1' }), 10, 5_000)).toBe(15_000);
  });

  it("moves a JWT's exp onto our clock by the access token's skew (over a minute; less is latency)", () => {
    const token = fakeJwt({ sub: 'u1', exp: 1_800_000_000 });
    // Our clock two hours ahead: the server's exp is two hours "earlier" than the same moment here.
    expect(refreshExpiryOf(token, undefined, 1_000, -7_200_000)).toBe(1_800_000_000_000 + 7_200_000);
    expect(refreshExpiryOf(token, undefined, 1_000, 7_200_000)).toBe(1_800_000_000_000 - 7_200_000);
    expect(refreshExpiryOf(token, undefined, 1_000, 30_000)).toBe(1_800_000_000_000);
    expect(refreshExpiryOf(token, undefined, 1_000, null)).toBe(1_800_000_000_000);
  });

  it('is unknown when neither says anything', () => {
    expect(refreshExpiryOf('opaque-token', undefined, 5_000)).toBeUndefined();
    expect(refreshExpiryOf(null, undefined, 5_000)).toBeUndefined();
  });
});

describe('refreshedSecrets()', () => {
  const previous: SessionSecrets = {
    username: 'demo',
    refreshToken: 'r1',
    access: null,
    refreshExpiresAt: 99_000,
  };

  it('takes the end of a rotated refresh token', () => {
    const next = refreshedSecrets(
      previous,
      grant({ refreshToken: 'r2', refreshExpiresIn: 50 }),
      access,
      1_000,
    );
    expect(next).toMatchObject({ refreshToken: 'r2', refreshExpiresAt: 51_000 });
  });

  it('reads a kept JWT refresh token again with the skew the refresh tells (restored without one)', () => {
    const jwt = fakeJwt({ sub: 'u1', exp: 1_800_000_000 });
    const restored: SessionSecrets = { ...previous, refreshToken: jwt, refreshExpiresAt: 1_800_000_000_000 };
    const skewed: AccessState = { ...access, clockSkewMs: -7_200_000 };
    expect(refreshedSecrets(restored, grant(), skewed, 1_000).refreshExpiresAt).toBe(
      1_800_000_000_000 + 7_200_000,
    );
  });

  it('keeps the old end when the refresh did not rotate and named none, and forgets it for an unknown new token', () => {
    expect(refreshedSecrets(previous, grant(), access, 1_000).refreshExpiresAt).toBe(99_000);
    expect(refreshedSecrets(previous, grant({ refreshToken: 'r2' }), access, 1_000)).not.toHaveProperty(
      'refreshExpiresAt',
    );
  });
});
