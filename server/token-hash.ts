import { createHash } from 'node:crypto';

/**
 * A token's SHA-256 (hex): what the server keeps in place of a token — refresh tokens in the database,
 * verified access tokens in memory — so what it holds yields no usable token.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
