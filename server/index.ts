import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAccessTokens } from './access-tokens';
import { createApp, HSTS_VALUE, MAX_BODY_BYTES } from './app';
import { clientErrorListener } from './client-error';
import { openDatabase } from './db';
import { DEFAULTS, MAX_LEEWAY_SECONDS } from './defaults';
import { allowedHostNames } from './host-check';
import { defaultKeyFile, openKeyStore } from './key-file';
import { createLoginLimiter } from './login-limiter';
import { createRefreshTokens } from './refresh-tokens';
import { createRevokedFamilies } from './revoked-families';
import { createScryptPool } from './scrypt-pool';
import { loadSigningKeys } from './signing-keys';
import { createTestControls } from './test-controls';
import type { RunningServer, ServerOptions, TokenLifetimes } from './types';
import { requestListener, type UnparsableRequestDeps } from './unparsable-request';
import { createUserStore } from './users';
import { createWorkQueue, DEFAULT_REFUSAL_DELAY_MS } from './work-queue';

export { createApp } from './app';
export type { AppDeps } from './app-deps';
export { DEFAULTS } from './defaults';
export type * from './types';
export { DEVELOPMENT_USERS } from './users';

function checkSeconds(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a non-negative integer' : `an integer from 0 to ${max}`;
    throw new TypeError(`${name} must be ${range} number of seconds`);
  }
}

/**
 * TLS 1.2 and 1.3 only, and only forward-secret AEAD suites: the TLS 1.3 suites, and for TLS 1.2
 * ECDHE with AES-GCM or ChaCha20-Poly1305 (no CBC, no static RSA key exchange, no plain DHE).
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * Limits for slow clients (slowloris): the headers must arrive within 10 s and the whole request
 * within 15 s, or node answers 408 and closes the connection; checked every second. Node's defaults
 * (60 s, 300 s, checked every 30 s) let each trickling connection hold a socket for minutes.
 */
export const SLOW_CLIENT_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  connectionsCheckingInterval: 1_000,
} as const;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the reference auth server; resolves once it listens. All options are optional. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULTS.host;
  const alg = options.alg ?? DEFAULTS.alg;
  if (alg !== 'HS256' && alg !== 'RS256') throw new TypeError('alg must be "HS256" or "RS256"');
  checkSeconds('accessTtlSeconds', options.accessTtlSeconds);
  checkSeconds('refreshTtlSeconds', options.refreshTtlSeconds);
  checkSeconds('leewaySeconds', options.leewaySeconds, MAX_LEEWAY_SECONDS);
  const refusalDelay = options.passwordHashing?.refusalDelayMs;
  if (refusalDelay !== undefined && !(Number.isInteger(refusalDelay) && refusalDelay >= 0)) {
    throw new TypeError('passwordHashing.refusalDelayMs must be a non-negative integer');
  }

  // Mutable holders: setClock / setTokenLifetimes change them on the running server.
  let now = options.now ?? Date.now;
  const lifetimes = {
    access: options.accessTtlSeconds ?? DEFAULTS.accessTtlSeconds,
    refresh: options.refreshTtlSeconds ?? DEFAULTS.refreshTtlSeconds,
  };
  const log = options.log ?? ((line: string) => console.log(line));
  const clock = () => now();
  const leewaySeconds = options.leewaySeconds ?? DEFAULTS.leewaySeconds;

  const dbFile = options.db ?? ':memory:';
  const db = openDatabase(dbFile, clock);
  const onClose: (() => Promise<void>)[] = [];
  try {
    const keyStore = openKeyStore(db, options.keyFile ?? defaultKeyFile(dbFile));
    const keys = await loadSigningKeys(keyStore, alg, options.secret);
    const passwordChecks = createWorkQueue(options.passwordHashing);
    // One low-priority scrypt thread per slot of the queue.
    const scryptPool = createScryptPool(passwordChecks.stats().concurrency);
    onClose.push(() => scryptPool.close());
    const users = createUserStore(db, scryptPool.scrypt);
    if (options.seed ?? true) users.seed(clock());
    const controls = createTestControls();
    const app = createApp({
      users,
      keys,
      controls,
      log,
      corsOrigins: options.corsOrigins ?? DEFAULTS.corsOrigins,
      limiter: createLoginLimiter(clock, options.loginLimiterMaxEntries),
      passwordChecks,
      busyRefusalDelayMs: options.passwordHashing?.refusalDelayMs ?? DEFAULT_REFUSAL_DELAY_MS,
      hsts: options.tls !== undefined,
      // Only on a loopback address: DNS rebinding (host-check.ts).
      allowedHosts: allowedHostNames(host, options.allowedHosts),
      refreshTokens: createRefreshTokens(db, clock, () => lifetimes.refresh),
      accessTokens: createAccessTokens(db, {
        keys,
        issuer: options.issuer ?? DEFAULTS.issuer,
        audience: options.audience ?? DEFAULTS.audience,
        leewaySeconds,
        now: clock,
        accessSeconds: () => lifetimes.access,
        // Entries hold a family's latest exp; read on a clock the leeway behind, each lasts until that
        // exp plus the leeway in force now — also one raised at a restart.
        revokedFamilies: createRevokedFamilies(db, () => clock() - leewaySeconds * 1000),
      }),
    });

    const answerDeps: UnparsableRequestDeps = {
      log,
      record: controls.record,
      headers: options.tls ? { 'Strict-Transport-Security': HSTS_VALUE } : {},
    };
    const listener = requestListener(app.fetch, answerDeps);
    // A request without Host goes to the listener (the adapter refuses it there, as every unreadable
    // request: JSON 400, logged), not to node's own empty 400.
    const nodeOptions = { ...SLOW_CLIENT_LIMITS, requireHostHeader: false };
    const server = (
      options.tls
        ? createHttpsServer(
            {
              ...nodeOptions,
              cert: options.tls.cert,
              key: options.tls.key,
              minVersion: 'TLSv1.2',
              ciphers: TLS_CIPHERS,
              honorCipherOrder: true,
            },
            listener,
          )
        : createHttpServer(nodeOptions, listener)
    ) as Server;
    // What node's HTTP layer would answer itself (400, 408, 431) gets the app's headers and a log line.
    server.on('clientError', clientErrorListener(answerDeps));
    // `Expect: 100-continue`: Node would invite every such body at once. A body announced as larger
    // than the limit gets its 413 instead, before the client sends a byte of it.
    server.on('checkContinue', (request, response) => {
      const length = Number.parseInt(request.headers['content-length'] ?? '', 10);
      if (!(length > MAX_BODY_BYTES)) response.writeContinue();
      server.emit('request', request, response);
    });
    const address = await listen(server, options.port ?? 0, host);
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const url = `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`;

    let closing: Promise<void> | undefined;
    return {
      url,
      port: address.port,
      close() {
        closing ??= new Promise<void>((resolve) => {
          controls.dispose();
          server.close(() => resolve());
          // Keep-alive sockets (fetch pools them) would otherwise hold close() open.
          server.closeAllConnections();
        })
          .then(() => Promise.all(onClose.map((stop) => stop())))
          .then(() => {
            db.close();
          });
        return closing;
      },
      setTokenLifetimes({ accessSeconds, refreshSeconds }: TokenLifetimes) {
        checkSeconds('accessSeconds', accessSeconds);
        checkSeconds('refreshSeconds', refreshSeconds);
        if (accessSeconds !== undefined) lifetimes.access = accessSeconds;
        if (refreshSeconds !== undefined) lifetimes.refresh = refreshSeconds;
      },
      setClock(next) {
        now = next;
      },
      addUser: (user) => users.add(user, clock()),
      requests: (path) => controls.requests(path),
      issuedTokens: () => controls.issuedTokens(),
      clearRequests: () => controls.clearRequests(),
      failNext: (count, fault) => controls.failNext(count, fault),
      holdNext: (path) => controls.holdNext(path),
      clearFaults: () => controls.clearFaults(),
    };
  } catch (err) {
    await Promise.all(onClose.map((stop) => stop()));
    db.close();
    throw err;
  }
}
