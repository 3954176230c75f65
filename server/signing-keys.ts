import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { Db } from './db';
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

function storedKey(db: Db, name: string, create: () => string, now: number): string {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM signing_keys WHERE name = ?')
    .get(name);
  if (row) return row.value;
  const value = create();
  db.prepare('INSERT INTO signing_keys (name, value, created_at) VALUES (?, ?, ?)').run(name, value, now);
  return value;
}

/**
 * Loads the signing keys for `alg`, generating and persisting them on first use so tokens survive
 * a restart on a file database. An explicit HS256 `secret` wins and is never stored.
 */
export async function loadSigningKeys(
  db: Db,
  alg: SigningAlg,
  secret: string | undefined,
  now: number,
): Promise<SigningKeys> {
  if (alg === 'HS256') {
    const key =
      secret !== undefined
        ? new TextEncoder().encode(secret)
        : Buffer.from(
            storedKey(db, 'hs256-secret', () => randomBytes(32).toString('base64url'), now),
            'base64url',
          );
    if (key.byteLength < MIN_SECRET_BYTES) {
      throw new TypeError(`secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    return { alg, signKey: key, verifyKey: key };
  }
  if (secret !== undefined) throw new TypeError('secret applies only to HS256');
  const pem = storedKey(
    db,
    'rs256-private-key',
    () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    now,
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
