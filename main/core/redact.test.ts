import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../../test/support/fixtures';
import { carriesSecret, hideSentValues, REDACTED, redactText, redactValue } from './redact';

const jwt = fakeJwt({ sub: 'u1', name: 'Demo', exp: 1_900_000_000 });
const opaque = 'Q-Rw2UTJ4dP0Bym85SeBx6xtJpzK_QZ0rLissrkTMnw';
const hex = 'a3f1c9e0b4d2f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0';

describe('redactText()', () => {
  it('removes a JWT anywhere in the text', () => {
    const out = redactText(`got token ${jwt} from server`);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('eyJ');
    expect(out).toBe(`got token ${REDACTED} from server`);
  });

  it('removes a truncated JWT fragment', () => {
    expect(redactText(`partial ${jwt.slice(0, 20)}`)).toBe(`partial ${REDACTED}`);
  });

  it('removes long opaque base64url and hex strings that look like refresh tokens', () => {
    expect(redactText(`rt=${opaque};`)).not.toContain(opaque);
    expect(redactText(`hash ${hex} end`)).toBe(`hash ${REDACTED} end`);
  });

  it('keeps short ordinary words and error names', () => {
    const text = 'Refresh failed: RefreshTokenExpiredError (HTTP 401) after 3 attempts';
    expect(redactText(text)).toBe(text);
  });

  it('removes Authorization header values whatever their scheme', () => {
    expect(redactText('Authorization: Basic dXNlcjpwYXNz')).toBe(`Authorization: "${REDACTED}"`);
    expect(redactText('{"authorization":"Token abc"}')).not.toContain('abc');
  });

  it('removes Bearer values even when short', () => {
    expect(redactText('sent Bearer abc.def')).toBe(`sent Bearer ${REDACTED}`);
  });

  it('removes password and token fields in JSON text, JS-ish text and query strings', () => {
    const json = JSON.stringify({ username: 'demo', password: 'hunter2', refreshToken: 'short-rt' });
    const out = redactText(json);
    expect(out).toContain('"username":"demo"');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('short-rt');
    expect(redactText("{ accessToken: 'abc', tokenType: 'Bearer' }")).not.toContain('abc');
    expect(redactText('grant_type=refresh_token&refresh_token=xyz&access_token=qqq')).not.toMatch(/xyz|qqq/);
    expect(redactText('password = s3cret next')).not.toContain('s3cret');
  });

  it('hides a secret field inside a JSON string (a body kept as a log field), keeping its escapes', () => {
    const line = 'refresh refused {"body":"{\\"refresh_token\\":\\"rt_7Hq2xKp\\",\\"expires_in\\":3600}"}';
    expect(redactText(line)).toBe(
      `refresh refused {"body":"{\\"refresh_token\\":\\"${REDACTED}\\",\\"expires_in\\":3600}"}`,
    );
    // Still one JSON value the log reader can parse.
    expect(JSON.parse(redactText(line).slice('refresh refused '.length))).toEqual({
      body: `{"refresh_token":"${REDACTED}","expires_in":3600}`,
    });
  });

  it('handles escaped quotes inside secret JSON values', () => {
    // The whole value goes, not only what comes before its first escaped quote.
    expect(redactText(JSON.stringify({ password: 'a"b\\"c' }))).toBe(`{"password":"${REDACTED}"}`);
  });
});

describe('redactValue()', () => {
  it('replaces secret-named fields whole and scans every other string', () => {
    const out = redactValue({
      username: 'demo',
      password: 'hunter2',
      access_token: 'x',
      nested: { refreshToken: 'y', note: `see ${jwt}` },
      list: [opaque],
    });
    expect(out).toEqual({
      username: 'demo',
      password: REDACTED,
      access_token: REDACTED,
      nested: { refreshToken: REDACTED, note: `see ${REDACTED}` },
      list: [REDACTED],
    });
  });

  it('keeps the useful parts of an Error and redacts its message and cause', () => {
    const error = Object.assign(new Error(`bad token ${jwt}`), {
      code: 'E_X',
      cause: new Error(`inner ${opaque}`),
    });
    expect(redactValue(error)).toEqual({
      name: 'Error',
      message: `bad token ${REDACTED}`,
      code: 'E_X',
      cause: { name: 'Error', message: `inner ${REDACTED}` },
    });
  });

  it('leaves numbers, booleans and null alone and stops at cycles', () => {
    const cyclic: Record<string, unknown> = { n: 1, b: true, z: null };
    cyclic.self = cyclic;
    const out = redactValue(cyclic) as Record<string, unknown>;
    expect(out.n).toBe(1);
    expect(out.b).toBe(true);
    expect(out.z).toBeNull();
  });
});

describe('redactText() on the keys a review found missing', () => {
  it.each([
    ['pwd=hunter2&user=kim', 'hunter2'],
    ['{"pass":"hunter2"}', 'hunter2'],
    ['api_key=sk_live_abc123', 'sk_live_abc123'],
    ['{"apiKey":"abc123xyz"}', 'abc123xyz'],
    ['X-API-Key: abc123xyz', 'abc123xyz'],
    ['GET /callback?state=s1&code=SplxlOBeZQQYbYS6WxSbIA', 'SplxlOBeZQQYbYS6WxSbIA'],
    ['http://127.0.0.1:5000/callback#code=abc.def', 'abc.def'],
    ['Cookie: session=abc123; csrftoken=def456', 'def456'],
    ['set-cookie: sid=abc123; Path=/; HttpOnly', 'abc123'],
  ])('hides the secret in %s', (text, secret) => {
    expect(redactText(text)).not.toContain(secret);
  });

  it('keeps an error code field readable (only `code` in a URL is a secret)', () => {
    expect(redactText('{"code":"NETWORK","message":"offline"}')).toBe(
      '{"code":"NETWORK","message":"offline"}',
    );
  });
});

describe('redactText() on URLs with a password', () => {
  it('removes the user info of a URL that carries a password, keeping scheme and host', () => {
    expect(redactText('HTTPS_PROXY=http://alice:s3cret-Pw@proxy.corp:8080')).toBe(
      `HTTPS_PROXY=http://${REDACTED}@proxy.corp:8080`,
    );
    expect(redactText('socks5://bob:@10.0.0.1:1080')).toBe(`socks5://${REDACTED}@10.0.0.1:1080`);
    // An apostrophe may stand unencoded in a password.
    expect(redactText("HTTPS_PROXY=http://alice:it's-Pw9@proxy.corp")).toBe(
      `HTTPS_PROXY=http://${REDACTED}@proxy.corp`,
    );
  });

  it('removes a password with an empty user name, and a user name alone (a proxy or Git key)', () => {
    expect(redactText('HTTPS_PROXY=http://:Zq7-proxyPw@proxy.corp:8080')).toBe(
      `HTTPS_PROXY=http://${REDACTED}@proxy.corp:8080`,
    );
    expect(redactText('ALL_PROXY=http://k3yQ9xWv@proxy.corp:3128 and https://ghp_x1@git.corp/a')).toBe(
      `ALL_PROXY=http://${REDACTED}@proxy.corp:3128 and https://${REDACTED}@git.corp/a`,
    );
  });

  it('keeps a URL without a password, and an e-mail address, as they are', () => {
    expect(redactText('see https://api.example.com/v1 or mail ops@example.com')).toBe(
      'see https://api.example.com/v1 or mail ops@example.com',
    );
  });
});

describe('redactText() on standard base64', () => {
  it('hides a base64 run with / and + whole, and keeps a long lower-case path', () => {
    const b64 = Buffer.from('{"alg":"HS256"}.{"sub":"demo"}?>?>?>?>?>~~~').toString('base64');
    expect(b64).toContain('/');
    expect(redactText(`value ${b64} end`)).toBe(`value ${REDACTED} end`);
    expect(redactText('GET /api/v1/users/12345/profile/settings/abc')).toBe(
      'GET /api/v1/users/12345/profile/settings/abc',
    );
  });
});

describe('redactText() on tokens joined by a / in a path', () => {
  // `/api/<jwt>/<refresh>`: the '/' joins the tail of one base64url token and the head of the next
  // into one base64 run; before, only that run went, and the rest of each token after its first '-'
  // or '_' stayed (a piece of up to 31 characters in about a third of random pairs).
  const cases = [
    {
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIiwicm9sZSI6InVzZXIifQ.TSZt_3fQk9Lw2PzR8sYtUv0XaBcDeFgHiJ',
      refresh: 'Zx81kQpLmNoPqRsTuVwXyZa2b-71Ld3QtnQ2TnCKJR34D6UrF7PFdh8',
    },
    { jwt, refresh: opaque },
  ];
  it.each(cases)('leaves no 16-character piece of either token', ({ jwt: access, refresh }) => {
    const out = redactText(`GET /api/${access}/${refresh} 404`);
    expect(out).toMatch(/^GET \S*\[redacted\]\S* 404$/);
    for (const token of [access, refresh])
      for (let at = 0; at + 16 <= token.length; at++) expect(out).not.toContain(token.slice(at, at + 16));
  });

  it('leaves none in 2,000 random pairs shaped like the reference server’s', async () => {
    const { randomBytes } = await import('node:crypto');
    const leaks: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const access = `eyJhbGciOiJIUzI1NiJ9.${randomBytes(90).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      const refresh = randomBytes(32).toString('base64url');
      const out = redactText(`GET /api/${access}/${refresh} 404`);
      for (const token of [access, refresh])
        for (let at = 0; at + 16 <= token.length; at++)
          if (out.includes(token.slice(at, at + 16))) leaks.push(out);
    }
    expect(leaks).toEqual([]);
  });
});

describe('carriesSecret()', () => {
  it('is true exactly when the redactor would hide something', () => {
    expect(carriesSecret('https://example.com/help?page=2')).toBe(false);
    expect(carriesSecret('https://example.com/c?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln')).toBe(true);
  });
});

describe('redactText() on a URL password that holds an @, or a user name that is an e-mail address', () => {
  it.each([
    ['HTTPS_PROXY=http://alice:p@ssw0rd@proxy.corp:8080', 'http://[redacted]@proxy.corp:8080'],
    [
      'http_proxy=http://alice@corp.example:Winter2026@proxy.corp:3128/',
      'http://[redacted]@proxy.corp:3128/',
    ],
    ['proxies http://a:x@y@one:1,http://b:z@two:2', 'http://[redacted]@one:1,http://[redacted]@two:2'],
  ])('leaves no piece of the password in %s', (text, kept) => {
    const out = redactText(text);
    expect(out).toContain(kept);
    for (const piece of ['ssw0rd', 'Winter2026', 'x@y', 'z@two']) expect(out).not.toContain(piece);
  });
});

describe('redactValue() on header and cookie names that end in a secret word', () => {
  it('replaces the value of Proxy-Authorization, X-Auth-Token, csrftoken, jwt and the like whole', () => {
    expect(
      redactValue({
        'Proxy-Authorization': 'Basic YWxpY2U6aHVudGVyMg==',
        'X-Auth-Token': 'tok-short-1',
        csrftoken: 'csrf-short-2',
        jwt: 'jwt-short-3',
        sessionToken: 'sess-short-4',
        db_password: 'pw-short-5',
        'x-client-secret': 'sec-short-6',
        tokenType: 'Bearer',
        keychain: { available: true },
      }),
    ).toEqual({
      'Proxy-Authorization': REDACTED,
      'X-Auth-Token': REDACTED,
      csrftoken: REDACTED,
      jwt: REDACTED,
      sessionToken: REDACTED,
      db_password: REDACTED,
      'x-client-secret': REDACTED,
      tokenType: 'Bearer',
      keychain: { available: true },
    });
  });
});

describe('hideSentValues()', () => {
  it('hides each sent value, raw and percent-encoded, and leaves values too short to be told from words', () => {
    expect(
      hideSentValues('got p@ss w/rd+1 and p%40ss%20w%2Frd%2B1, token Ab3dE, not abc', [
        'p@ss w/rd+1',
        'Ab3dE',
        'abc',
      ]),
    ).toBe(`got ${REDACTED} and ${REDACTED}, token ${REDACTED}, not abc`);
  });

  it('hides a value of exactly four characters (a PIN), the shortest it hides', () => {
    expect(hideSentValues('bad pin 1234 for demo', ['1234'])).toBe(`bad pin ${REDACTED} for demo`);
    expect(hideSentValues('bad pin 123 for demo', ['123'])).toBe('bad pin 123 for demo');
  });

  it('never throws on a value holding half of a UTF-16 pair (it cannot be percent-encoded)', () => {
    const sent = 'pw-\uD800-secret';
    expect(() => hideSentValues(`refused: ${sent}`, [sent])).not.toThrow();
    expect(hideSentValues(`refused: ${sent}`, [sent])).not.toContain('secret');
  });

  it('hides each encoded form of a value too short for the cut-short rule', () => {
    // Under 12 characters, so only the form itself can hide it; the base64 of the token has + and /,
    // the form encoding of the password a + for its space: each form differs from the others.
    const password = 'p@ss w0rd';
    const token = 'rt~>>>?9';
    expect(Buffer.from(token).toString('base64')).toMatch(/[+/]/);
    const echoes = [
      new URLSearchParams({ p: password }).toString().slice(2),
      encodeURIComponent(password),
      Buffer.from(token).toString('base64'),
      Buffer.from(token).toString('base64url'),
      Buffer.from(password).toString('base64'),
    ];
    expect(echoes).toEqual(['p%40ss+w0rd', 'p%40ss%20w0rd', 'cnR+Pj4+Pzk=', 'cnR-Pj4-Pzk', 'cEBzcyB3MHJk']);
    for (const echo of echoes)
      expect(hideSentValues(`the server said: ${echo} is wrong`, [password, token])).toBe(
        `the server said: ${REDACTED} is wrong`,
      );
  });

  it('hides a sent value form-encoded, JSON- or HTML-escaped, in base64, in another case, or cut short', () => {
    const password = `tr0ub4dor & 3!"<x>'`;
    const token = 'rt_7Hq2Lx9Kp';
    const echoes = [
      'tr0ub4dor+%26+3%21%22%3Cx%3E%27',
      'tr0ub4dor & 3!\\"<x>\'',
      'tr0ub4dor &amp; 3!&quot;&lt;x&gt;&#39;',
      'tr0ub4dor &amp; 3!&quot;&lt;x&gt;&#x27;',
      Buffer.from(token).toString('base64'),
      Buffer.from(password).toString('base64url'),
      token.toUpperCase(),
      `${token.slice(0, 8)}...`,
    ];
    for (const echo of echoes)
      expect(hideSentValues(`the server said: ${echo} is wrong`, [password, token])).toBe(
        `the server said: ${REDACTED} is wrong`,
      );
    // Words that only share a few letters with a sent value stay.
    expect(hideSentValues('the refresh token is wrong', [token, password])).toBe(
      'the refresh token is wrong',
    );
  });
});
