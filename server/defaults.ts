/** Defaults shared by `startServer`, the CLI and its help text. */
export const DEFAULTS = {
  host: '127.0.0.1',
  /** The CLI's port; `startServer` without a port picks a free one. */
  cliPort: 4000,
  accessTtlSeconds: 900,
  refreshTtlSeconds: 1_209_600,
  alg: 'HS256',
  issuer: 'tessera-reference',
  audience: 'tessera-api',
  leewaySeconds: 0,
  /** The packaged app's custom-protocol origin. */
  corsOrigins: ['app://tessera'] as readonly string[],
} as const;

/** Largest clock tolerance accepted, 5 minutes: RFC 7519 §4.1.4 allows "usually no more than a few minutes". */
export const MAX_LEEWAY_SECONDS = 300;
