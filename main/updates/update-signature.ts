import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** An Ed25519 signature is 64 bytes. */
const SIGNATURE_BYTES = 64;
/** Base64 of 64 bytes: 86 characters and `==`. */
const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const BASE64_KEY = /^[A-Za-z0-9+/]+={0,2}$/;
/** The most a `.sig` download may be: the signature is 64 bytes raw or 89 as a base64 line. */
export const MAX_SIGNATURE_FILE_BYTES = 1024;

/**
 * Parses a built-in public key: a PEM (`-----BEGIN PUBLIC KEY-----`) or the base64 of its SPKI DER, as
 * scripts/sign-update.mjs prints it. Throws unless it is an Ed25519 public key; a private key is refused
 * outright (it must never be embedded in the app).
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (/PRIVATE KEY/.test(trimmed)) throw new Error('this is a private key: embed only the public key');
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    key = createPublicKey(trimmed);
  } else if (BASE64_KEY.test(trimmed)) {
    key = createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } else {
    throw new Error('expected a PEM public key or the base64 of one');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  }
  return key;
}

/** Parses every built-in key; a key that does not parse is left out (fail closed) and reported. */
export function loadUpdateKeys(texts: readonly string[]): { keys: KeyObject[]; problems: string[] } {
  const keys: KeyObject[] = [];
  const problems: string[] = [];
  texts.forEach((text, index) => {
    try {
      keys.push(parsePublicKey(text));
    } catch (error) {
      problems.push(`update key ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { keys, problems };
}

/**
 * The 64 signature bytes of a `.sig` file: the base64 line scripts/sign-update.mjs writes, or the raw
 * 64 bytes `openssl pkeyutl -sign -rawin` writes. Null for anything else.
 */
export function parseSignature(bytes: Uint8Array): Buffer | null {
  if (bytes.length === SIGNATURE_BYTES) return Buffer.from(bytes);
  if (bytes.length > MAX_SIGNATURE_FILE_BYTES) return null;
  const text = Buffer.from(bytes).toString('latin1').trim();
  if (!BASE64_SIGNATURE.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/**
 * Whether `signature` (the contents of a `.sig` file) is a valid Ed25519 signature of `file` by `key`.
 * Never throws: a malformed signature or key is simply not valid.
 */
export function verifyDetachedSignature(
  file: Uint8Array,
  signature: Uint8Array,
  key: KeyObject | string,
): boolean {
  const raw = parseSignature(signature);
  if (raw === null) return false;
  try {
    const publicKey = typeof key === 'string' ? parsePublicKey(key) : key;
    if (publicKey.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, file, publicKey, raw);
  } catch {
    return false;
  }
}

/**
 * Reads a `.sig` download: a 2xx answer of at most MAX_SIGNATURE_FILE_BYTES, else it throws. `fetch`
 * must not follow redirects (the shell passes Electron's fetch with `redirect: 'error'`).
 */
export async function downloadSignature(
  fetch: (url: string) => Promise<Response>,
  url: string,
): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url} answered ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_SIGNATURE_FILE_BYTES) {
      await reader.cancel();
      throw new Error(`${url} is larger than a signature (over ${MAX_SIGNATURE_FILE_BYTES} bytes)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
