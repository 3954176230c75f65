import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, type JWK } from 'jose';
import type { KeyStore } from './key-file';
import type { SigningAlg } from './types';

/**
 * The keys tokens are signed and verified with, for exactly one algorithm. They are WebCrypto keys,
 * imported once: given a raw HS256 secret, jose imports it again on every call (a key import per
 * verified token was about a sixth of what a `/api/user/me` allocated); a `CryptoKey` it uses as it is.
 */
export interface SigningKeys {
  alg: SigningAlg;
  signKey: CryptoKey;
  verifyKey: CryptoKey;
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
    const hmac = (usage: 'sign' | 'verify') =>
      globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
    return { alg, signKey: await hmac('sign'), verifyKey: await hmac('verify') };
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
    signKey: await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), alg),
    verifyKey: await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), alg),
    kid,
    jwks: { keys: [{ ...jwk, kid, alg, use: 'sig' }] },
  };
}
