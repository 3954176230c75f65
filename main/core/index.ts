// The session core of the main process. config/ and ipc/ are re-exported by their own index files.
export * from './auth-client';
export * from './auth-errors';
export * from './auth-protocol';
export * from './auth-responses';
export * from './backoff';
export type { SessionCore } from './contracts';
export * from './logger';
export { createOidcProtocol, type OidcProtocolDeps, type OpenExternal } from './oidc/oidc-protocol';
export * from './password-protocol';
export * from './redact';
export * from './refresh-schedule';
export * from './session-core';
export * from './session-manager';
export * from './session-model';
export * from './timers';
export * from './token-claims';
export * from './vault';
