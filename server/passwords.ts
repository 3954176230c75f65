import { randomBytes, type ScryptOptions, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Scrypt } from './scrypt-pool';

const KEY_LENGTH = 64;
const PARAMS = { N: 16384, r: 8, p: 1 } as const;

/** `crypto.scrypt` on libuv's thread pool, promisified: the default when no pool is given. */
export function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password with scrypt and a fresh random salt: `scrypt$N$r$p$salt$hash` (base64url). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LENGTH, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** Checks a password against a stored hash in constant time; false for any malformed hash. */
export async function verifyPassword(
  password: string,
  stored: string,
  run: Scrypt = scryptAsync,
): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const actual = await run(password, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Unknown usernames are checked against this hash so they cost the same scrypt run as a wrong password.
let dummyHash: string | undefined;

/** Computes the dummy hash ahead of time, so even the first unknown-user sign-in is not slower. */
export function prepareDummyHash(): string {
  dummyHash ??= hashPassword('tessera-dummy-password');
  return dummyHash;
}

/** Burns one scrypt verification so an unknown user takes as long as a wrong password. */
export async function verifyDummyPassword(password: string, run: Scrypt = scryptAsync): Promise<false> {
  await verifyPassword(password, prepareDummyHash(), run);
  return false;
}
