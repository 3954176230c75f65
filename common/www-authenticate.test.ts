import { describe, expect, it } from 'vitest';
import { bearerInvalidToken } from './auth-contract';
import { parseChallenges } from './www-authenticate';

describe('parseChallenges(): RFC 9110 §11.6.1 WWW-Authenticate', () => {
  it('splits comma-separated challenges and their auth-params, lower-casing schemes and names', () => {
    expect(parseChallenges('Bearer realm="a", error="invalid_token", Basic realm="x"')).toEqual([
      { scheme: 'bearer', params: { realm: 'a', error: 'invalid_token' } },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('reads quoted strings with escapes, commas and equals signs inside, and bare tokens', () => {
    expect(parseChallenges('Bearer error_description="a \\"b\\", c=d", ERROR = invalid_token')).toEqual([
      { scheme: 'bearer', params: { error_description: 'a "b", c=d', error: 'invalid_token' } },
    ]);
  });

  it('reads token68 and schemes without parameters', () => {
    expect(parseChallenges('Negotiate, Basic dXNlcjpwYXNz==, Bearer')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: {}, token68: 'dXNlcjpwYXNz==' },
      { scheme: 'bearer', params: {} },
    ]);
  });

  it('keeps what it read before a syntax error and nothing after it', () => {
    expect(parseChallenges('Bearer error="invalid_token", realm="open')).toEqual([
      { scheme: 'bearer', params: { error: 'invalid_token' } },
    ]);
    expect(parseChallenges('=x, Bearer error="invalid_token"')).toEqual([]);
    expect(parseChallenges(null)).toEqual([]);
  });
});

describe('bearerInvalidToken() reads only the Bearer challenge', () => {
  it.each([
    'Bearer realm="a", Basic realm="x", error="invalid_token"',
    'Bearer realm="a", DPoP error="invalid_token"',
    'Bearer realm="a", error_description="error=\\"invalid_token\\""',
    'DPoP error="invalid_token", Bearer realm="a"',
  ])('does not take invalid_token from another challenge or a quoted value: %s', (header) => {
    expect(bearerInvalidToken(header)).toBe(false);
  });

  it.each(['DPoP algs="ES256", Bearer realm="a", error="invalid_token"', 'Bearer error=invalid_token'])(
    'finds it in the Bearer challenge: %s',
    (header) => {
      expect(bearerInvalidToken(header)).toBe(true);
    },
  );
});
