// The signed update statement: what an update's `<file>.sig` holds (an AppImage, a Windows installer).
// One module for both sides: scripts/sign-update.mjs writes it, the app (update-signature.ts) reads it.
// Plain JavaScript so the signing script runs with Node alone; types in update-statement.d.mts.
//
// A statement is five lines, each ending in "\n", and the Ed25519 signature covers exactly those bytes:
//   tessera-update-statement v1
//   product: Tessera
//   version: 1.4.0
//   file: Tessera-1.4.0-x86_64.AppImage
//   sha512: <128 lowercase hex digits of the file's SHA-512>
// The `.sig` file is the statement followed by one more line, `signature: <base64 of the 64 bytes>`.
// Binding the version and the file name is what stops a changed update server from offering an older,
// genuinely signed release as a newer version (the bytes alone say nothing about the version).

/** The first line: the format and its version. */
export const STATEMENT_HEADER = 'tessera-update-statement v1';
/** The product every statement names; a statement for anything else signed with the same key is refused. */
export const UPDATE_PRODUCT = 'Tessera';
/** A SemVer 2.0.0 version, as electron-builder writes it into `latest*.yml` (no leading `v`). */
export const UPDATE_VERSION =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const MAX_VERSION_LENGTH = 128;
const MAX_FILE_NAME_LENGTH = 255;
const SHA512_HEX = /^[0-9a-f]{128}$/;
const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const FIELDS = ['product', 'version', 'file', 'sha512'];

/** Why `name` cannot be the file a statement names (a bare file name), or null. */
function fileNameProblem(name) {
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..') return 'is not a file name';
  if (name.length > MAX_FILE_NAME_LENGTH) return `is longer than ${MAX_FILE_NAME_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[/\\\u0000-\u001f\u007f]/.test(name)) return 'contains a path separator or a control character';
  if (name.trim() !== name) return 'starts or ends with a space';
  return null;
}

/** Why `fields` cannot be signed or trusted as a statement, or null when they can. */
export function statementProblem(fields) {
  const { product, version, file, sha512 } = fields ?? {};
  if (typeof product !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(product))
    return 'the product is not a product name';
  if (typeof version !== 'string' || version.length > MAX_VERSION_LENGTH || !UPDATE_VERSION.test(version))
    return `the version ${JSON.stringify(String(version).slice(0, 40))} is not a SemVer version (like 1.4.0)`;
  const fileProblem = fileNameProblem(file);
  if (fileProblem !== null) return `the file name ${fileProblem}`;
  if (typeof sha512 !== 'string' || !SHA512_HEX.test(sha512))
    return 'the sha512 is not 128 lowercase hex digits';
  return null;
}

/** The statement's text: exactly the bytes the signature covers. Throws for fields it cannot carry. */
export function formatUpdateStatement(fields) {
  const problem = statementProblem(fields);
  if (problem !== null) throw new Error(problem);
  return `${STATEMENT_HEADER}\n${FIELDS.map((name) => `${name}: ${fields[name]}\n`).join('')}`;
}

/** The `.sig` file: the statement, then the base64 signature line. */
export function formatStatementFile(statement, signature) {
  return `${statement}signature: ${Buffer.from(signature).toString('base64')}\n`;
}

/**
 * Reads a `.sig` file: `{ fields, signed, signature }` (`signed`: the statement bytes the signature must
 * cover), or `{ problem }`. Strict: UTF-8, "\n" line ends, the lines in their order, nothing more, and
 * every field as statementProblem accepts it.
 */
export function parseStatementFile(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { problem: 'is not UTF-8 text' };
  }
  const lines = text.split('\n');
  if (lines[0] !== STATEMENT_HEADER) return { problem: `does not start with "${STATEMENT_HEADER}"` };
  if (lines.length !== FIELDS.length + 3 || lines.at(-1) !== '')
    return { problem: `is not ${FIELDS.length + 2} lines, each ending in a line feed` };
  const fields = {};
  for (const [index, name] of FIELDS.entries()) {
    const line = lines[index + 1];
    if (!line.startsWith(`${name}: `)) return { problem: `line ${index + 2} is not "${name}: …"` };
    fields[name] = line.slice(name.length + 2);
  }
  const problem = statementProblem(fields);
  if (problem !== null) return { problem: `is invalid: ${problem}` };
  const signatureLine = lines[FIELDS.length + 1];
  const signature = signatureLine.startsWith('signature: ') ? signatureLine.slice('signature: '.length) : '';
  if (!BASE64_SIGNATURE.test(signature))
    return { problem: 'has no "signature: <base64 Ed25519 signature>" line' };
  // The lines were read back exactly, so the formatted statement is the very bytes that were signed.
  const signed = Buffer.from(formatUpdateStatement(fields));
  return { fields, signed, signature: Buffer.from(signature, 'base64') };
}
