// Types for signing-key.mjs.
import type { KeyObject } from 'node:crypto';

export declare function publicKeyLine(publicKey: KeyObject): string;
export declare function publicKeyPem(publicKey: KeyObject): string;
/** Parses a PEM private key; throws unless it is Ed25519. */
export declare function parseSigningKey(pem: string | Buffer, label: string): KeyObject;
/** The 64-byte Ed25519 signature of `data`, self-checked. */
export declare function signBytes(data: Uint8Array, privateKey: KeyObject): Buffer;
