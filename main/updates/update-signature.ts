import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { parseStatementFile, UPDATE_PRODUCT, UPDATE_VERSION } from './update-statement.mjs';

/** An Ed25519 signature is 64 bytes. */
const SIGNATURE_BYTES = 64;
/** Base64 of 64 bytes: 86 characters and `==`. */
const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const BASE64_KEY = /^[A-Za-z0-9+/]+={0,2}$/;
/** The most a `.sig` download may be: a signed update statement (update-statement.mjs) is under 700 bytes. */
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

/**
 * Parses every built-in key; a key that does not parse is left out (fail closed) and reported.
 * `unreadable`: keys were built in but none parsed — the build meant to check statements and cannot
 * (install-trust.ts `keyUnreadable`: it then only notifies).
 */
export function loadUpdateKeys(texts: readonly string[]): {
  keys: KeyObject[];
  problems: string[];
  unreadable: boolean;
} {
  const keys: KeyObject[] = [];
  const problems: string[] = [];
  texts.forEach((text, index) => {
    try {
      keys.push(parsePublicKey(text));
    } catch (error) {
      problems.push(`update key ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { keys, problems, unreadable: texts.length > 0 && keys.length === 0 };
}

/**
 * The 64 signature bytes of a detached signature (SHA256SUMS.sig, scripts/release-sums.ts): a base64
 * line, or the raw 64 bytes `openssl pkeyutl -sign -rawin` writes. Null for anything else. (An update's
 * `.sig` is a signed statement instead: checkUpdateStatement.)
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

/** The numeric and text parts of a SemVer version, or null when it is not one (UPDATE_VERSION). */
function versionParts(version: string): { core: bigint[]; pre: string[] } | null {
  const match = UPDATE_VERSION.exec(version);
  if (match === null) return null;
  return {
    core: [match[1], match[2], match[3]].map((part) => BigInt(part ?? '0')),
    pre: match[4] === undefined ? [] : match[4].split('.'),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return BigInt(a) === BigInt(b) ? 0 : BigInt(a) < BigInt(b) ? -1 : 1;
  if (numeric.test(a)) return -1; // numeric identifiers sort before text ones
  if (numeric.test(b)) return 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * SemVer precedence of `a` against `b` (negative, 0, positive); build metadata (`+…`) does not count.
 * Null when either is not a SemVer version.
 */
export function compareVersions(a: string, b: string): number | null {
  const left = versionParts(a);
  const right = versionParts(b);
  if (left === null || right === null) return null;
  for (let i = 0; i < 3; i += 1) {
    const l = left.core[i] ?? 0n;
    const r = right.core[i] ?? 0n;
    if (l !== r) return l < r ? -1 : 1;
  }
  // A pre-release sorts before its release: 2.0.0-beta.1 < 2.0.0.
  if (left.pre.length === 0 || right.pre.length === 0) return right.pre.length - left.pre.length;
  for (let i = 0; i < Math.min(left.pre.length, right.pre.length); i += 1) {
    const order = compareIdentifiers(left.pre[i] ?? '', right.pre[i] ?? '');
    if (order !== 0) return order;
  }
  return left.pre.length - right.pre.length;
}

/** What a downloaded update must be for its statement to vouch for it. */
export interface ExpectedUpdate {
  /** The file name the feed's metadata gives the download. */
  file: string;
  /** SHA-512 of the downloaded bytes, lowercase hex. */
  sha512: string;
  /** The version the feed's metadata (`latest-linux.yml`) offers. */
  feedVersion: string;
  /** The running app's version: only a newer one installs. */
  currentVersion: string;
  /** The configured channel: `latest` takes no pre-release. */
  channel: string;
}

/**
 * Why the `.sig` download (a signed update statement, update-statement.mjs) does not vouch for the
 * downloaded update, or null when it does: it must be signed by one of `keys`, name this product, the
 * file and its SHA-512, and the very version the feed offers, which must be newer than the running one
 * (and a release, not a pre-release, on the `latest` channel). Never throws.
 */
export function checkUpdateStatement(
  statementFile: Uint8Array,
  keys: readonly KeyObject[],
  expected: ExpectedUpdate,
): string | null {
  if (statementFile.length > MAX_SIGNATURE_FILE_BYTES) return 'the update statement is too large';
  const parsed = parseStatementFile(statementFile);
  if (parsed.problem !== undefined) return `the update statement ${parsed.problem}`;
  const { fields, signed, signature } = parsed;
  const signedByKey = keys.some((key) => {
    try {
      return key.asymmetricKeyType === 'ed25519' && verify(null, signed, key, signature);
    } catch {
      return false;
    }
  });
  if (!signedByKey) return 'the update is not signed with the key built into this build';
  if (fields.product !== UPDATE_PRODUCT)
    return `the signed statement is for ${fields.product}, not ${UPDATE_PRODUCT}`;
  if (fields.file !== expected.file)
    return `the signed statement is for the file ${fields.file}, not ${expected.file}`;
  if (fields.sha512 !== expected.sha512)
    return 'the downloaded file is not the one the signed statement names (sha512)';
  if (fields.version !== expected.feedVersion) {
    return `the signed statement is for version ${fields.version}, but the update server offers it as ${expected.feedVersion}`;
  }
  const order = compareVersions(fields.version, expected.currentVersion);
  if (order === null) return `the running version ${expected.currentVersion} is not a SemVer version`;
  if (order <= 0) return `version ${fields.version} is not newer than the running ${expected.currentVersion}`;
  if (expected.channel === 'latest' && versionParts(fields.version)?.pre.length !== 0) {
    return `version ${fields.version} is a pre-release, and this copy follows the latest channel`;
  }
  return null;
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
