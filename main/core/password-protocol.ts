import type { AuthClient } from './auth-client';
import type { AuthProtocol } from './auth-protocol';

/** No profile endpoint configured: the session falls back to the token's claims without a request. */
export const NO_PROFILE_ENDPOINT = {
  code: 'INVALID_CONFIG',
  key: 'mePath',
  message: 'No profile endpoint is configured',
} as const;

/** The password flow (`POST loginPath`, `refreshPath`, `logoutPath`, `GET mePath`) as an AuthProtocol. */
export function createPasswordProtocol(client: AuthClient, mePath: string): AuthProtocol {
  return {
    mode: 'password',
    async signIn(request) {
      if (request.kind !== 'password')
        return {
          ok: false,
          error: { code: 'INVALID_CONFIG', key: 'authMode', message: 'Not a password sign-in' },
        };
      const result = await client.login(request.username, request.password);
      if (!result.ok) return result;
      const { refreshToken, ...grant } = result.value;
      return {
        ok: true,
        value: { ...grant, refreshToken: refreshToken ?? null, username: request.username },
      };
    },
    refresh: (refreshToken) => client.refresh(refreshToken),
    async revoke(refreshToken, accessToken) {
      if (client.contract.ok && client.contract.value.logout === null)
        return { ok: true, value: 'unsupported' };
      const result = await client.logout(refreshToken, accessToken);
      return result.ok ? { ok: true, value: 'revoked' } : result;
    },
    async profile({ accessToken }) {
      // The contract's profile mapping wins over mePath; without either, the token's claims.
      const mapped = client.contract.ok && client.contract.value.profile !== null;
      if (!mapped && mePath === '') return { ok: false, error: { ...NO_PROFILE_ENDPOINT } };
      return client.me(accessToken);
    },
  };
}
