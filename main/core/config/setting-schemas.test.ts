import { describe, expect, it } from 'vitest';
import {
  allowedOriginsSchema,
  apiBaseUrlSchema,
  audienceSchema,
  booleanSchema,
  clientIdSchema,
  endpointPathSchema,
  issuerUrlSchema,
  logHistorySchema,
  maxAccountsSchema,
  optionalEndpointPathSchema,
  providerNameSchema,
  requestTimeoutSchema,
  scopesSchema,
  updateChannelSchema,
  updateUrlSchema,
} from './setting-schemas';

function urlProblem(url: string): string | null {
  const result = apiBaseUrlSchema.safeParse(url);
  return result.success ? null : (result.error.issues[0]?.message ?? 'invalid');
}

describe('apiBaseUrlSchema', () => {
  it('rejects http to a host that is not loopback', () => {
    expect(urlProblem('http://api.example.com')).toMatch(/https unless the host is loopback/);
    expect(urlProblem('http://10.0.0.1:4000')).toMatch(/https unless the host is loopback/);
    expect(urlProblem('http://localhost.evil.example')).toMatch(/https unless the host is loopback/);
    expect(urlProblem('http://[::ffff:127.0.0.1]')).toMatch(/https unless the host is loopback/);
    // *.localhost is loopback to Chromium but not to every resolver (see security/network-scope.ts).
    expect(urlProblem('http://app.localhost:4000')).toMatch(/https unless the host is loopback/);
  });

  it('accepts http on 127.0.0.0/8, localhost and ::1', () => {
    for (const url of ['http://127.0.0.1:4000', 'http://127.9.8.7', 'http://localhost', 'http://[::1]:8080'])
      expect(urlProblem(url), url).toBeNull();
  });

  it('accepts https to any host', () => {
    for (const url of ['https://api.example.com', 'https://10.0.0.1:8443/api', 'https://localhost'])
      expect(urlProblem(url), url).toBeNull();
  });

  it('rejects other schemes, credentials, queries, fragments and stray spaces', () => {
    expect(urlProblem('ftp://api.example.com')).toMatch(/https/);
    expect(urlProblem('file:///etc/passwd')).toMatch(/https/);
    expect(urlProblem('https://user:secret@api.example.com')).toMatch(/user name or password/);
    expect(urlProblem('https://api.example.com/?a=1')).toMatch(/query/);
    expect(urlProblem('https://api.example.com/?')).toMatch(/query/);
    expect(urlProblem('https://api.example.com/#x')).toMatch(/fragment/);
    expect(urlProblem(' https://api.example.com')).toMatch(/spaces/);
    expect(urlProblem('not a url')).not.toBeNull();
    expect(urlProblem('api.example.com')).toMatch(/absolute URL/);
  });

  it('refuses port 0, which nothing can be connected to, and keeps ports 1 to 65535', () => {
    for (const url of ['https://api.example.com:0', 'http://127.0.0.1:0/api', 'https://[::1]:00'])
      expect(urlProblem(url), url).toMatch(/port from 1 to 65535/);
    for (const url of ['https://api.example.com:1', 'http://127.0.0.1:65535'])
      expect(urlProblem(url), url).toBeNull();
  });

  it('normalises the URL so the same API always compares equal', () => {
    expect(apiBaseUrlSchema.parse('https://API.Example.com:443/')).toBe('https://api.example.com');
    expect(apiBaseUrlSchema.parse('https://api.example.com/v1/')).toBe('https://api.example.com/v1');
    expect(apiBaseUrlSchema.parse('http://0x7f.1:4000')).toBe('http://127.0.0.1:4000');
  });
});

describe('endpointPathSchema', () => {
  it('accepts absolute paths on the API host', () => {
    for (const path of ['/login', '/token/refresh', '/api/user/me', '/v1/auth:login'])
      expect(endpointPathSchema.safeParse(path).success, path).toBe(true);
  });

  it('rejects anything that could leave the API host or is not a path', () => {
    for (const path of [
      'login',
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/login',
      '/a\tb',
      '/a?b',
      '',
    ])
      expect(endpointPathSchema.safeParse(path).success, JSON.stringify(path)).toBe(false);
  });
});

describe('requestTimeoutSchema', () => {
  it('accepts whole milliseconds from 1000 to 120000 only', () => {
    expect(requestTimeoutSchema.safeParse(1000).success).toBe(true);
    expect(requestTimeoutSchema.safeParse(120_000).success).toBe(true);
    for (const value of [999, 120_001, 1500.5, Number.NaN, '15000'])
      expect(requestTimeoutSchema.safeParse(value).success, String(value)).toBe(false);
  });
});

describe('updateUrlSchema', () => {
  it('accepts an empty value (no updates) and https feed URLs', () => {
    expect(updateUrlSchema.safeParse('').success).toBe(true);
    expect(updateUrlSchema.safeParse('https://updates.corp.example/tessera/').success).toBe(true);
  });

  it.each([
    'http://updates.corp.example/',
    'https://u:p@updates.example/',
    'https://u.example/?x=1',
    'https://u.example/?',
    'https://u.example/#',
    'nonsense',
  ])('rejects %s', (raw) => {
    expect(updateUrlSchema.safeParse(raw).success).toBe(false);
  });

  it('names what is wrong, as the updater does: a feed on port 0 (also :00) is refused', () => {
    for (const raw of ['https://updates.corp.example:0/tessera/', 'https://updates.corp.example:00/']) {
      const result = updateUrlSchema.safeParse(raw);
      expect(result.success ? null : result.error.issues[0]?.message, raw).toBe(
        'must use a port from 1 to 65535, not 0',
      );
    }
    expect(updateUrlSchema.safeParse('http://127.0.0.1:8080/').error?.issues[0]?.message).toBe(
      'must use https',
    );
  });
});

describe('updateChannelSchema', () => {
  it.each(['latest', 'beta', 'beta-2', 'rc_1', 'a'.repeat(32)])('accepts %s', (channel) => {
    expect(updateChannelSchema.parse(channel)).toBe(channel);
  });

  it.each([
    ['Beta', 'beta'],
    ['LATEST', 'latest'],
    [' Beta-2 ', 'beta-2'],
  ])('reads %j as %j, the lower-case feed file electron-builder writes', (raw, channel) => {
    expect(updateChannelSchema.parse(raw)).toBe(channel);
  });

  it.each(['', '../latest', '-beta', 'beta.yml', 'a'.repeat(33)])(
    'rejects %j (not a feed file name)',
    (channel) => {
      expect(updateChannelSchema.safeParse(channel).success).toBe(false);
    },
  );
});

describe('optionalEndpointPathSchema', () => {
  it('accepts a path or nothing (no profile endpoint), and nothing else', () => {
    expect(optionalEndpointPathSchema.safeParse('').success).toBe(true);
    expect(optionalEndpointPathSchema.safeParse('/api/user/me').success).toBe(true);
    expect(optionalEndpointPathSchema.safeParse('//evil.example/me').success).toBe(false);
    expect(optionalEndpointPathSchema.safeParse(' ').success).toBe(false);
  });
});

describe('issuerUrlSchema', () => {
  const problem = (url: string) => {
    const result = issuerUrlSchema.safeParse(url);
    return result.success ? null : (result.error.issues[0]?.message ?? 'invalid');
  };

  it('keeps the issuer exactly as written (discovery compares it character for character)', () => {
    for (const url of [
      'https://tenant.auth0.com/',
      'https://sso.example.com/realms/main',
      'https://login.microsoftonline.com/0000-tenant/v2.0',
      'http://127.0.0.1:8080',
      '',
    ])
      expect(issuerUrlSchema.parse(url), url).toBe(url);
  });

  it('refuses port 0 as apiBaseUrl does', () => {
    const result = issuerUrlSchema.safeParse('https://login.example.com:0/realms/main');
    expect(result.success ? null : result.error.issues[0]?.message).toMatch(/port from 1 to 65535/);
  });

  it('refuses http off loopback, credentials, queries, fragments, spaces and other schemes', () => {
    expect(problem('http://sso.example.com')).toMatch(/https unless the host is loopback/);
    expect(problem('https://user:pw@sso.example.com')).toMatch(/user name or password/);
    expect(problem('https://sso.example.com/?x=1')).toMatch(/query/);
    expect(problem('https://sso.example.com/#x')).toMatch(/fragment/);
    expect(problem(' https://sso.example.com')).toMatch(/spaces/);
    // A right-to-left override (a format character) would make the dialog show another URL.
    expect(problem('https://sso.example.com/\u202Eedoc')).toMatch(/format characters/);
    expect(problem('ftp://sso.example.com')).toMatch(/https/);
    expect(problem('sso.example.com')).toMatch(/absolute URL/);
  });
});

describe('the other oidc schemas', () => {
  it('accept client IDs without spaces, scopes with openid, audiences and display names', () => {
    expect(clientIdSchema.safeParse('0oa1b2c3d4E5f6G7h8i9').success).toBe(true);
    expect(clientIdSchema.safeParse('has space').success).toBe(false);
    expect(scopesSchema.parse('  openid   profile offline_access ')).toBe('openid profile offline_access');
    expect(scopesSchema.safeParse('profile email').success).toBe(false);
    expect(scopesSchema.safeParse('openid "quoted"').success).toBe(false);
    expect(scopesSchema.safeParse('openid api://orders/.default').success).toBe(true);
    expect(audienceSchema.safeParse('https://api.example.com').success).toBe(true);
    expect(audienceSchema.safeParse('two words').success).toBe(false);
    expect(providerNameSchema.parse('  Contoso SSO ')).toBe('Contoso SSO');
    expect(providerNameSchema.safeParse('x'.repeat(65)).success).toBe(false);
  });
});

describe('allowedOriginsSchema', () => {
  const parse = (raw: string) => {
    const result = allowedOriginsSchema.safeParse(raw);
    return result.success ? result.data : `refused: ${result.error.issues[0]?.message}`;
  };

  it('normalises an origin as apiBaseUrl is normalised (case, default port, IDN, a trailing /)', () => {
    // The apiBaseUrl IT writes next to it is accepted in these forms; its origin must then be allowed.
    expect(parse('https://API.Corp.Example:443/  https://bücher.example  http://[::1]:4000')).toBe(
      'https://api.corp.example https://xn--bcher-kva.example http://[::1]:4000',
    );
    for (const url of ['https://API.Corp.Example:443/', 'https://bücher.example'])
      expect(parse(url)).toBe(new URL(apiBaseUrlSchema.parse(url)).origin);
  });

  it('refuses anything that is more than an origin', () => {
    for (const item of [
      'https://api.corp.example/v1',
      'https://api.corp.example/.',
      'https://api.corp.example/%2e',
      'https://api.corp.example\\',
      'https://api.corp.example/?',
      'https://api.corp.example#x',
      'https://user@api.corp.example',
      'http://api.corp.example',
      'api.corp.example',
      'https://api.corp.example:0',
    ])
      expect(parse(item)).toMatch(/^refused: /);
  });

  it('never quotes a password from a refused item, however long the item', () => {
    const item = `https://${'svc-account-for-the-integration-team'.repeat(2)}:Hx7!secretPw@api.corp.example`;
    const refused = parse(item);
    expect(refused).toMatch(/^refused: https:\/\/\[redacted\]@api\.corp\.example: must be an origin/);
    expect(refused).not.toContain('Hx7!');
  });
});

// What a policy file (or an MDM's JSON) most often gets wrong: a number or a flag written as text.
describe('numbers and flags written as text', () => {
  const problem = (
    schema: { safeParse(raw: unknown): { error?: { issues: { message: string }[] } } },
    raw: unknown,
  ) => schema.safeParse(raw).error?.issues[0]?.message;

  it('says to write a number without quotes when it was given as text', () => {
    expect(problem(requestTimeoutSchema, '20000')).toBe(
      'must be a number, without quotes: 20000, not "20000"',
    );
    expect(problem(maxAccountsSchema, ' 2')).toBe('must be a number, without quotes: 2, not " 2"');
    expect(problem(logHistorySchema, 'ten')).toBe('must be a number');
    expect(problem(logHistorySchema, null)).toBe('must be a number');
  });

  it('says to write true or false without quotes when a flag was given as text, and names 1 and 0', () => {
    expect(problem(booleanSchema, 'false')).toBe('must be true or false, without quotes: false, not "false"');
    expect(problem(booleanSchema, 'TRUE')).toBe('must be true or false, without quotes: true, not "TRUE"');
    expect(problem(booleanSchema, 1)).toBe('must be true or false, not 1');
    expect(problem(booleanSchema, 'yes')).toBe('must be true or false');
    expect(booleanSchema.parse(false)).toBe(false);
  });
});
