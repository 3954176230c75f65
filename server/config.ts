import { parseArgs } from 'node:util';
import { DEFAULTS, MAX_LEEWAY_SECONDS } from './defaults';
import { MIN_SECRET_BYTES } from './signing-keys';
import type { ServerOptions, SigningAlg } from './types';
import { DEFAULT_HASH_QUEUE_LENGTH } from './work-queue';

/** What the CLI runs with: server options plus the TLS files it still has to read. */
export interface CliConfig {
  options: ServerOptions & { host: string; port: number; db: string; alg: SigningAlg; corsOrigins: string[] };
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export type CliParseResult =
  | { ok: true; help: true }
  | { ok: true; help?: false; config: CliConfig }
  | { ok: false; message: string };

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  db: { type: 'string' },
  'access-ttl': { type: 'string' },
  'refresh-ttl': { type: 'string' },
  alg: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  leeway: { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'no-seed': { type: 'boolean' },
  secret: { type: 'string' },
  'key-file': { type: 'string' },
  'hash-concurrency': { type: 'string' },
  'hash-queue': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = Exclude<keyof typeof FLAGS, 'help'>;

/**
 * The shortest access lifetime the command line accepts. `expiresIn` is rounded down from the
 * whole-second `exp`, so a 1-s token would be answered as `expiresIn: 0`, which clients refuse (the
 * app fails every sign-in with BAD_RESPONSE): 2 s is the least that leaves them a second.
 */
export const MIN_ACCESS_TTL_SECONDS = 2;

/** `--access-ttl` → `TESSERA_SERVER_ACCESS_TTL`. */
export function envName(flag: string): string {
  return `TESSERA_SERVER_${flag.toUpperCase().replaceAll('-', '_')}`;
}

/** Usage text for `--help`. */
export function usage(defaultDb: string): string {
  return `Usage: npm run server -- [options]   (every option also reads TESSERA_SERVER_<OPTION>)

  --host <host>            listen address (default ${DEFAULTS.host})
  --port <n>               listen port, 0 = any free port (default ${DEFAULTS.cliPort})
  --db <file|:memory:>     SQLite database (default ${defaultDb})
  --access-ttl <seconds>   access token lifetime, at least ${MIN_ACCESS_TTL_SECONDS} (default ${DEFAULTS.accessTtlSeconds})
  --refresh-ttl <seconds>  refresh session lifetime, absolute (default ${DEFAULTS.refreshTtlSeconds})
  --alg <HS256|RS256>      signing algorithm (default ${DEFAULTS.alg})
  --tls-cert <file>        PEM certificate: serve HTTPS (needs --tls-key)
  --tls-key <file>         PEM private key
  --issuer <iss>           iss claim (default ${DEFAULTS.issuer})
  --audience <aud>         aud claim (default ${DEFAULTS.audience})
  --leeway <seconds>       clock tolerance for exp, at most ${MAX_LEEWAY_SECONDS} (default ${DEFAULTS.leewaySeconds})
  --cors-origin <origin>   allowed CORS origin, repeatable (default ${DEFAULTS.corsOrigins.join(', ')};
                           env: comma-separated)
  --no-seed                do not create the development users demo and admin
  --secret <key>           HS256 key, at least ${MIN_SECRET_BYTES} bytes (default: random, kept in the key file)
  --key-file <file>        signing keys, created with mode 0600 (default <db>.keys.json; none for :memory:)
  --hash-concurrency <n>   password checks at once (default: available CPUs)
  --hash-queue <n>         password checks waiting at most; then /login answers 503 (default ${DEFAULT_HASH_QUEUE_LENGTH})
  -h, --help               show this help`;
}

class ConfigError extends Error {}

function parseFlags(argv: string[]) {
  return parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
}

/** Parses argv and the environment; flags win over env. Never exits: the CLI decides what to do. */
export function parseCliConfig(argv: string[], env: NodeJS.ProcessEnv, defaultDb: string): CliParseResult {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { ok: true, help: true };

  /** The raw value and a label naming where it came from, for error messages. */
  const raw = (flag: Flag): { value: string; label: string } | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return { value: fromFlag, label: `--${flag}` };
    const fromEnv = env[envName(flag)];
    if (fromEnv === undefined || fromEnv === '') return undefined;
    return { value: fromEnv, label: `${envName(flag)} (--${flag})` };
  };
  const text = (flag: Flag, fallback: string): string => {
    const found = raw(flag);
    if (found && found.value.trim() === '') throw new ConfigError(`${found.label} must not be empty`);
    return found?.value ?? fallback;
  };
  const integer = (flag: Flag, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const found = raw(flag);
    if (!found) return fallback;
    const n = Number(found.value);
    if (!/^\d+$/.test(found.value.trim()) || n < min || n > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
      throw new ConfigError(`${found.label} must be ${range} (got "${found.value}")`);
    }
    return n;
  };

  try {
    const alg = text('alg', DEFAULTS.alg).toUpperCase();
    if (alg !== 'HS256' && alg !== 'RS256') {
      throw new ConfigError(`${raw('alg')?.label} must be HS256 or RS256 (got "${raw('alg')?.value}")`);
    }

    const corsOrigins = corsOriginsFrom(values['cors-origin'], env);
    const seed = !(values['no-seed'] ?? envFlag('no-seed', env));

    const secret = raw('secret');
    if (secret && alg !== 'HS256') throw new ConfigError(`${secret.label} applies only to --alg HS256`);
    if (secret && Buffer.byteLength(secret.value) < MIN_SECRET_BYTES) {
      throw new ConfigError(`${secret.label} must be at least ${MIN_SECRET_BYTES} bytes long`);
    }

    const keyFile = raw('key-file');
    if (keyFile && keyFile.value.trim() === '') throw new ConfigError(`${keyFile.label} must not be empty`);
    const passwordHashing = {
      ...(raw('hash-concurrency') ? { concurrency: integer('hash-concurrency', 1, 1, 1024) } : {}),
      ...(raw('hash-queue') ? { maxQueue: integer('hash-queue', 0, 0, 100_000) } : {}),
    };

    const tlsCertFile = raw('tls-cert')?.value;
    const tlsKeyFile = raw('tls-key')?.value;
    if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
      throw new ConfigError('--tls-cert and --tls-key must be given together');
    }

    const config: CliConfig = {
      options: {
        host: text('host', DEFAULTS.host),
        port: integer('port', DEFAULTS.cliPort, 0, 65535),
        db: text('db', defaultDb),
        accessTtlSeconds: integer('access-ttl', DEFAULTS.accessTtlSeconds, MIN_ACCESS_TTL_SECONDS),
        refreshTtlSeconds: integer('refresh-ttl', DEFAULTS.refreshTtlSeconds, 1),
        alg,
        issuer: text('issuer', DEFAULTS.issuer),
        audience: text('audience', DEFAULTS.audience),
        leewaySeconds: integer('leeway', DEFAULTS.leewaySeconds, 0, MAX_LEEWAY_SECONDS),
        corsOrigins,
        seed,
        ...(secret ? { secret: secret.value } : {}),
        ...(keyFile ? { keyFile: keyFile.value } : {}),
        ...(Object.keys(passwordHashing).length > 0 ? { passwordHashing } : {}),
      },
      ...(tlsCertFile !== undefined && tlsKeyFile !== undefined ? { tlsCertFile, tlsKeyFile } : {}),
    };
    return { ok: true, config };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, message: err.message };
    throw err;
  }
}

// An origin is scheme://host[:port] with no path; URL.origin cannot check it, as it is "null" for app://.
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i;

function corsOriginsFrom(flagValues: string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = env[envName('cors-origin')];
  const [origins, label] =
    flagValues && flagValues.length > 0
      ? [flagValues, '--cors-origin']
      : fromEnv
        ? [fromEnv.split(',').map((o) => o.trim()), `${envName('cors-origin')} (--cors-origin)`]
        : [DEFAULTS.corsOrigins, ''];
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new ConfigError(
        `${label} must be an origin like https://example.com or app://tessera (got "${origin}")`,
      );
    }
  }
  return [...origins];
}

function envFlag(flag: Flag, env: NodeJS.ProcessEnv): boolean {
  const value = env[envName(flag)]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${envName(flag)} (--${flag}) must be 1, true, 0 or false (got "${value}")`);
}
