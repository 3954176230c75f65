#!/usr/bin/env node
// Signs update files for Tessera's updater. The app installs an AppImage update — and, when it is a
// code-signed Windows build, an NSIS installer — only when
// `<file>.sig`, hosted next to the file on the update server, is a statement naming the product, the
// version, the file name and the file's SHA-512, signed with Ed25519 by a key whose public half is built
// into the app (main/updates/update-key.ts; the format: main/updates/update-statement.mjs). The version
// must be the one the update server offers for the file, so an older release cannot pass as a newer one.
// See docs/it-guide.md, section 5.
//   node scripts/sign-update.mjs --generate-key <dir>
//       writes <dir>/tessera-update-key.pem (private, mode 0600) and <dir>/tessera-update-key.pub.pem,
//       and prints the public key to put into main/updates/update-key.ts; never overwrites a key
//   node scripts/sign-update.mjs --key <private-key.pem> [--version <version>] <file> [<file> …]
//       writes <file>.sig (the signed statement) next to each file and prints the public key that
//       verifies it; the version is this checkout's package.json version unless --version names it
// Exit codes: 0 done, 1 failed (nothing half-written for that file), 2 wrong arguments.
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  formatStatementFile,
  formatUpdateStatement,
  statementProblem,
  UPDATE_PRODUCT,
} from '../main/updates/update-statement.mjs';
import { parseSigningKey, publicKeyLine, signBytes } from './signing-key.mjs';

const KEY_NAME = 'tessera-update-key';
const USAGE = [
  'usage: node scripts/sign-update.mjs --generate-key <dir>',
  '       node scripts/sign-update.mjs --key <private-key.pem> [--version <version>] <file> [<file> …]',
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
  console.log(
    `Private key: ${privatePath} (keep it secret and backed up; it signs every Linux and Windows update)`,
  );
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

/** The version of this checkout (what `npm run dist` just built). */
function packageVersion() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

function signFiles(keyPath, version, files) {
  const versionProblem = statementProblem({
    product: UPDATE_PRODUCT,
    version,
    file: 'file',
    sha512: '0'.repeat(128),
  });
  if (versionProblem !== null) fail(`${versionProblem}\n${USAGE}`, 2);
  const privateKey = loadPrivateKey(keyPath);
  const publicKey = createPublicKey(privateKey);
  let failed = 0;
  for (const file of files) {
    try {
      const sha512 = createHash('sha512').update(readFileSync(file)).digest('hex');
      const statement = formatUpdateStatement({
        product: UPDATE_PRODUCT,
        version,
        file: basename(file),
        sha512,
      });
      const signature = signBytes(Buffer.from(statement), privateKey);
      writeFileSync(`${file}.sig`, formatStatementFile(statement, signature));
      console.log(`signed ${file} as ${UPDATE_PRODUCT} ${version} → ${file}.sig`);
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
    options: {
      key: { type: 'string' },
      version: { type: 'string' },
      'generate-key': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
} else if (values['generate-key'] !== undefined) {
  if (values.key !== undefined || values.version !== undefined || positionals.length > 0)
    fail(`--generate-key takes only a folder\n${USAGE}`, 2);
  generateKey(resolve(values['generate-key']));
} else if (values.key !== undefined && positionals.length > 0) {
  signFiles(values.key, values.version ?? packageVersion(), positionals);
} else {
  fail(USAGE, 2);
}
