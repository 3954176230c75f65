// Tessera's one Ed25519 signing rule for release engineers: which private keys are accepted and how a
// detached signature is made. Used by scripts/sign-update.mjs (update files, checked by the app) and
// scripts/release-sums.ts (SHA256SUMS.sig, checked by administrators). Verification is the app's own
// main/updates/update-signature.ts.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/** The one-line public key: base64 of the SPKI DER (what the app embeds and `parsePublicKey` reads). */
export function publicKeyLine(publicKey) {
  return publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

/** The public key as PEM, the form `openssl pkeyutl -pubin -inkey` reads. */
export function publicKeyPem(publicKey) {
  return publicKey.export({ format: 'pem', type: 'spki' });
}

/**
 * Parses a PEM private key (`label` names it in errors). Throws a clear error unless it is Ed25519: an
 * RSA or EC key would sign, but nothing that checks Tessera's signatures would accept the result.
 */
export function parseSigningKey(pem, label) {
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`cannot read the private key ${label}: ${error.message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `${label} is a ${key.asymmetricKeyType} key; Tessera signatures need an Ed25519 key ` +
        '(node scripts/sign-update.mjs --generate-key)',
    );
  }
  return key;
}

/** The 64-byte Ed25519 signature of `data`, checked against the public half before it is returned. */
export function signBytes(data, privateKey) {
  const signature = sign(null, data, privateKey);
  if (!verify(null, data, createPublicKey(privateKey), signature)) {
    throw new Error('the signature does not verify');
  }
  return signature;
}
