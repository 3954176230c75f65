#!/usr/bin/env node
// Signs Linux update files for Tessera's updater. The app installs an AppImage update only when
// `<file>.sig`, hosted next to the file on the update server, is an Ed25519 signature of the file by a key
// whose public half is built into the app (main/updates/update-key.ts). See docs/it-guide.md, section 5.
//   node scripts/sign-update.mjs --generate-key <dir>
//       writes <dir>/tessera-update-key.pem (private, mode 0600) and <dir>/tessera-update-key.pub.pem,
//       and prints the public key to put into main/updates/update-key.ts; never overwrites a key
//   node scripts/sign-update.mjs --key <private-key.pem> <file> [<file> …]
//       writes <file>.sig (one base64 line) next to each file and prints the public key that verifies it
// Exit codes: 0 done, 1 failed (nothing half-written for that file), 2 wrong arguments.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSigningKey, publicKeyLine, signBytes } from './signing-key.mjs';

const KEY_NAME = 'tessera-update-key';
const USAGE = [
  'usage: node scripts/sign-update.mjs --generate-key <dir>',
  '       node scripts/sign-update.mjs --key <private-key.pem> <file> [<file> …]',
].join('\n');

function fail(message, code = 1) {
  console.error(`sign-update: ${message}`);
  process.exit(code);
}

function printPublicKey(publicKey) {
  console.log('Public key (add it to UPDATE_PUBLIC_KEYS in main/updates/update-key.ts):');
  console.log(publicKeyLine(publicKey));
}

function generateKey(dir) {
  mkdirSync(dir, { recursive: true });
  const privatePath = join(dir, `${KEY_NAME}.pem`);
  const publicPath = join(dir, `${KEY_NAME}.pub.pem`);
  for (const path of [privatePath, publicPath]) {
    if (existsSync(path)) fail(`${path} exists; not replacing a signing key`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  try {
    // 'wx': never replace an existing key (every copy of the app in the field trusts it).
    writeFileSync(privatePath, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if (error.code === 'EEXIST') fail(`${privatePath} exists; not replacing a signing key`);
    throw error;
  }
  chmodSync(privatePath, 0o600); // whatever the umask; Windows keeps only the read-only bit
  writeFileSync(publicPath, publicKey.export({ format: 'pem', type: 'spki' }), { flag: 'wx' });
  console.log(`Private key: ${privatePath} (keep it secret and backed up; it signs every Linux update)`);
  console.log(`Public key:  ${publicPath}`);
  printPublicKey(publicKey);
}

function loadPrivateKey(path) {
  let key;
  try {
    key = parseSigningKey(readFileSync(path), path);
  } catch (error) {
    fail(error.message);
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    console.error(`sign-update: warning: ${path} is readable by other users (chmod 600 it)`);
  }
  return key;
}

function signFiles(keyPath, files) {
  const privateKey = loadPrivateKey(keyPath);
  const publicKey = createPublicKey(privateKey);
  let failed = 0;
  for (const file of files) {
    try {
      const data = readFileSync(file);
      const signature = signBytes(data, privateKey);
      writeFileSync(`${file}.sig`, `${signature.toString('base64')}\n`);
      console.log(`signed ${file} → ${file}.sig`);
    } catch (error) {
      failed += 1;
      console.error(`sign-update: ${file}: ${error.message}`);
    }
  }
  printPublicKey(publicKey);
  if (failed > 0) fail(`${failed} of ${files.length} file(s) not signed`);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { key: { type: 'string' }, 'generate-key': { type: 'string' }, help: { type: 'boolean' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
} else if (values['generate-key'] !== undefined) {
  if (values.key !== undefined || positionals.length > 0)
    fail(`--generate-key takes only a folder\n${USAGE}`, 2);
  generateKey(resolve(values['generate-key']));
} else if (values.key !== undefined && positionals.length > 0) {
  signFiles(values.key, positionals);
} else {
  fail(USAGE, 2);
}
