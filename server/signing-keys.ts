import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { KeyStore } from './key-file';
import type { SigningAlg } from './types';

/** The keys tokens are signed and verified with, for exactly one algorithm. */
export interface SigningKeys {
  alg: SigningAlg;
  signKey: Uint8Array | KeyObject;
  verifyKey: Uint8Array | KeyObject;
  /** RS256 only: the key id carried in token headers and in the JWKS. */
  kid?: string;
  /** RS256 only: the public JWKS document. */
  jwks?: { keys: JWK[] };
}

/** Minimum HS256 key length: RFC 7518 §3.2 asks for a key at least as long as the hash (256 bits). */
export const MIN_SECRET_BYTES = 32;

function storedKey(store: KeyStore, name: string, create: () => string): string {
  return store.get(name) ?? store.add(name, create());
}

/**
 * Loads the signing keys for `alg` from the key store, generating and keeping them on first use so
 * tokens survive a restart when the store is a file. An explicit HS256 `secret` wins and is never stored.
 */
export async function loadSigningKeys(
  store: KeyStore,
  alg: SigningAlg,
  secret: string | undefined,
): Promise<SigningKeys> {
  if (alg === 'HS256') {
    const key =
      secret !== undefined
        ? new TextEncoder().encode(secret)
        : Buffer.from(
            storedKey(store, 'hs256-secret', () => randomBytes(32).toString('base64url')),
            'base64url',
          );
    if (key.byteLength < MIN_SECRET_BYTES) {
      throw new TypeError(`secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    return { alg, signKey: key, verifyKey: key };
  }
  if (secret !== undefined) throw new TypeError('secret applies only to HS256');
  const pem = storedKey(store, 'rs256-private-key', () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  );
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    alg,
    signKey: privateKey,
    verifyKey: publicKey,
    kid,
    jwks: { keys: [{ ...jwk, kid, alg, use: 'sig' }] },
  };
}
