import { describe, expect, it } from 'vitest';
import { type CliConfig, envName, parseCliConfig } from './config';

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): CliConfig {
  const result = parseCliConfig(argv, env, 'data/server.db');
  if (!result.ok || result.help) throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

function failure(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = parseCliConfig(argv, env, 'data/server.db');
  if (result.ok) throw new Error('expected a failure');
  return result.message;
}

describe('parseCliConfig()', () => {
  it('defaults to 127.0.0.1:4000, data/server.db, HS256 and the documented lifetimes', () => {
    expect(parse([])).toEqual({
      options: {
        host: '127.0.0.1',
        port: 4000,
        db: 'data/server.db',
        accessTtlSeconds: 900,
        refreshTtlSeconds: 1_209_600,
        alg: 'HS256',
        issuer: 'tessera-reference',
        audience: 'tessera-api',
        leewaySeconds: 0,
        corsOrigins: ['app://tessera'],
        seed: true,
      },
    });
  });

  it('reads every flag', () => {
    const config = parse([
      '--host=0.0.0.0',
      '--port=0',
      '--db=:memory:',
      '--access-ttl=60',
      '--refresh-ttl=3600',
      '--alg=RS256',
      '--tls-cert=c.pem',
      '--tls-key=k.pem',
      '--issuer=me',
      '--audience=you',
      '--leeway=5',
      '--cors-origin=app://tessera',
      '--cors-origin=http://127.0.0.1:5173',
      '--no-seed',
      '--key-file=keys/k.json',
      '--hash-concurrency=3',
      '--hash-queue=0',
    ]);
    expect(config).toEqual({
      options: {
        host: '0.0.0.0',
        port: 0,
        db: ':memory:',
        accessTtlSeconds: 60,
        refreshTtlSeconds: 3600,
        alg: 'RS256',
        issuer: 'me',
        audience: 'you',
        leewaySeconds: 5,
        corsOrigins: ['app://tessera', 'http://127.0.0.1:5173'],
        seed: false,
        keyFile: 'keys/k.json',
        passwordHashing: { concurrency: 3, maxQueue: 0 },
      },
      tlsCertFile: 'c.pem',
      tlsKeyFile: 'k.pem',
    });
  });

  it('reads TESSERA_SERVER_* variables, with comma-separated CORS origins, and lets flags win', () => {
    const env = {
      TESSERA_SERVER_PORT: '4100',
      TESSERA_SERVER_ACCESS_TTL: '120',
      TESSERA_SERVER_CORS_ORIGIN: 'app://tessera, http://localhost:3000',
      TESSERA_SERVER_NO_SEED: 'true',
      TESSERA_SERVER_SECRET: 's'.repeat(40),
    };
    const config = parse(['--port', '4200'], env);
    expect(config.options).toMatchObject({
      port: 4200,
      accessTtlSeconds: 120,
      corsOrigins: ['app://tessera', 'http://localhost:3000'],
      seed: false,
      secret: 's'.repeat(40),
    });
  });

  it('names env variables after the flag', () => {
    expect(envName('access-ttl')).toBe('TESSERA_SERVER_ACCESS_TTL');
    expect(envName('cors-origin')).toBe('TESSERA_SERVER_CORS_ORIGIN');
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--port', '70000'], '--port'],
    [['--access-ttl', '0'], '--access-ttl'],
    [['--access-ttl', '1'], '--access-ttl'],
    [['--refresh-ttl', '1.5'], '--refresh-ttl'],
    [['--leeway', '-1'], '--leeway'],
    [['--leeway', '301'], '--leeway'],
    [['--alg', 'none'], '--alg'],
    [['--cors-origin', 'not an origin'], '--cors-origin'],
    [['--cors-origin', 'https://example.com/path'], '--cors-origin'],
    [['--tls-cert', 'c.pem'], '--tls-key'],
    [['--secret', 'too-short'], '--secret'],
    [['--alg', 'RS256', '--secret', 'x'.repeat(40)], '--secret'],
    [['--host', ''], '--host'],
    [['--key-file', ' '], '--key-file'],
    [['--hash-concurrency', '0'], '--hash-concurrency'],
    [['--hash-queue', '-1'], '--hash-queue'],
    [['--bogus'], '--bogus'],
    [['--port'], '--port'],
    [['positional'], 'positional'],
  ])('refuses %j with a message naming %s', (argv, flag) => {
    expect(failure(argv)).toContain(flag);
  });

  it('names the variable and the flag when an env value is invalid', () => {
    const message = failure([], { TESSERA_SERVER_ACCESS_TTL: 'soon' });
    expect(message).toContain('TESSERA_SERVER_ACCESS_TTL');
    expect(message).toContain('--access-ttl');
  });

  it('never echoes a rejected secret', () => {
    expect(failure(['--secret', 'my-short-secret'])).not.toContain('my-short-secret');
  });

  it('asks for help with --help', () => {
    expect(parseCliConfig(['--help'], {}, 'data/server.db')).toEqual({ ok: true, help: true });
  });
});
