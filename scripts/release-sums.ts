// Release provenance: SHA256SUMS over the files of a release folder and its detached Ed25519 signature
// SHA256SUMS.sig (docs/it-guide.md, "Verifying a download"). Run with tsx (a dev dependency):
//   tsx scripts/release-sums.ts write [--dist dist]
//       writes <dist>/SHA256SUMS (sha256sum's format) and, when TESSERA_SIGNING_KEY is set (the PEM text of
//       an Ed25519 private key, or a path to it), <dist>/SHA256SUMS.sig: the raw 64-byte signature that
//       `openssl pkeyutl -verify -rawin` checks. Every `npm run dist*` of a release runs this last.
//   tsx scripts/release-sums.ts verify --public-key <key.pem | base64 line> [--dir .]
//       checks SHA256SUMS.sig against the key, then each listed file present in the folder (files not
//       downloaded are skipped, as `sha256sum -c --ignore-missing` does).
// Exit codes: 0 done / verified, 1 failed (a file or the signature does not match), 2 wrong arguments.
// The key is the same kind as the update signing key (scripts/signing-key.mjs makes both signatures,
// main/updates/update-signature.ts checks both); one key pair may serve both purposes.
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePublicKey, verifyDetachedSignature } from '../main/updates/update-signature';
import { parseSigningKey, publicKeyLine, signBytes } from './signing-key.mjs';

export const SUMS_FILE = 'SHA256SUMS';
export const SIGNATURE_FILE = 'SHA256SUMS.sig';
/** The environment variable holding the signing key (PEM text or a file path). */
export const SIGNING_KEY_VARIABLE = 'TESSERA_SIGNING_KEY';

/**
 * Whether a top-level entry of the output folder is a release file: not a folder (the unpacked apps),
 * not electron-builder's own build records, not a hidden or temporary file, and not the sums themselves.
 */
export function isReleaseFile(name: string): boolean {
  if (name === SUMS_FILE || name === SIGNATURE_FILE) return false;
  if (name.startsWith('.') || name.startsWith('__')) return false;
  return !/^builder-(debug|effective-config)\.ya?ml$/.test(name);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** SHA256SUMS text for the release files of `dir`: `<hex>  <name>` lines, sorted, as sha256sum writes. */
export function sumsOf(dir: string): string {
  const names = readdirSync(dir)
    .filter((name) => isReleaseFile(name) && statSync(join(dir, name)).isFile())
    .sort();
  if (names.length === 0) throw new Error(`${dir} holds no release files`);
  for (const name of names) {
    // sha256sum escapes such names with a backslash prefix; no build artifact is named like that.
    if (/[\\\n\r]/.test(name)) throw new Error(`cannot list ${JSON.stringify(name)} in ${SUMS_FILE}`);
  }
  return names.map((name) => `${sha256(join(dir, name))}  ${name}\n`).join('');
}

/** Parses SHA256SUMS: name → hex digest. Accepts sha256sum's text (`  `) and binary (` *`) markers. */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`${SUMS_FILE} line ${index + 1} is not "<sha256>  <file>"`);
    if (match[2].includes('/') || match[2].includes('\\') || match[2].startsWith('.')) {
      throw new Error(`${SUMS_FILE} line ${index + 1} names a path outside the folder: ${match[2]}`);
    }
    sums.set(match[2], match[1]);
  }
  return sums;
}

/** The signing key of the environment: PEM text, or a path to a PEM file; undefined when unset. */
export function signingKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const value = env[SIGNING_KEY_VARIABLE]?.trim();
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return parseSigningKey(value, `in ${SIGNING_KEY_VARIABLE}`);
  return parseSigningKey(readFileSync(value), value);
}

/** Writes SHA256SUMS (and SHA256SUMS.sig with a key); returns what was written, for the log. */
export function writeSums(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const key = signingKeyFromEnvironment(env);
  const sums = sumsOf(dir);
  writeFileSync(join(dir, SUMS_FILE), sums);
  const lines = [`${SUMS_FILE}: ${sums.split('\n').length - 1} file(s)`];
  if (key === undefined) {
    lines.push(`${SIGNATURE_FILE} not written: ${SIGNING_KEY_VARIABLE} is not set (unsigned local build)`);
  } else {
    writeFileSync(join(dir, SIGNATURE_FILE), signBytes(Buffer.from(sums), key));
    lines.push(`${SIGNATURE_FILE}: signed by ${publicKeyLine(createPublicKey(key))}`);
  }
  return lines;
}

export interface VerifyResult {
  ok: boolean;
  lines: string[];
}

/** Checks the signature of SHA256SUMS in `dir` against `publicKey`, then every listed file present. */
export function verifySums(dir: string, publicKey: string): VerifyResult {
  const lines: string[] = [];
  const key = parsePublicKey(publicKey);
  const sumsPath = join(dir, SUMS_FILE);
  const sigPath = join(dir, SIGNATURE_FILE);
  if (!existsSync(sumsPath) || !existsSync(sigPath)) {
    return { ok: false, lines: [`${SUMS_FILE} and ${SIGNATURE_FILE} must both be in ${dir}`] };
  }
  const sums = readFileSync(sumsPath);
  if (!verifyDetachedSignature(sums, readFileSync(sigPath), key)) {
    return {
      ok: false,
      lines: [`${SIGNATURE_FILE}: NOT a signature of ${SUMS_FILE} by this key — do not trust these files`],
    };
  }
  lines.push(`${SIGNATURE_FILE}: good signature by ${publicKeyLine(key)}`);
  let ok = true;
  let checked = 0;
  for (const [name, expected] of parseSums(sums.toString('utf8'))) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    checked += 1;
    if (sha256(path) === expected) {
      lines.push(`${name}: OK`);
    } else {
      ok = false;
      lines.push(`${name}: FAILED — its SHA-256 is not the one in ${SUMS_FILE}`);
    }
  }
  if (checked === 0) {
    ok = false;
    lines.push(`none of the files listed in ${SUMS_FILE} is in ${dir}`);
  }
  return { ok, lines };
}

function usage(message: string): never {
  console.error(`release-sums: ${message}`);
  console.error('usage: tsx scripts/release-sums.ts write [--dist dist]');
  console.error('       tsx scripts/release-sums.ts verify --public-key <key.pem | base64 line> [--dir .]');
  process.exit(2);
}

function main(argv: string[]): void {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dist: { type: 'string' }, dir: { type: 'string' }, 'public-key': { type: 'string' } },
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const [command, ...rest] = positionals;
  if (rest.length > 0) usage(`unexpected ${rest.join(' ')}`);
  try {
    if (command === 'write') {
      for (const line of writeSums(resolve(String(values.dist ?? 'dist'))))
        console.log(`release-sums: ${line}`);
      return;
    }
    if (command === 'verify') {
      const given = values['public-key'];
      if (typeof given !== 'string') usage('verify needs --public-key');
      const publicKey = existsSync(given) ? readFileSync(given, 'utf8') : given;
      const result = verifySums(resolve(String(values.dir ?? '.')), publicKey);
      for (const line of result.lines) (result.ok ? console.log : console.error)(line);
      process.exitCode = result.ok ? 0 : 1;
      return;
    }
  } catch (error) {
    console.error(`release-sums: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  usage(command === undefined ? 'write or verify?' : `unknown command ${command}`);
}

if (process.argv[1]?.endsWith('release-sums.ts')) main(process.argv.slice(2));
