import type { SessionUser } from '../../../common/session';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The first string of a claim that is a string or a list of strings (`role`, `roles`). */
function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(str).find((item) => item !== undefined);
  return str(value);
}

/** True when the claims name the person (not just a `sub`): no userinfo round trip needed then. */
export function claimsNamePerson(claims: Record<string, unknown>): boolean {
  return ['preferred_username', 'email', 'name', 'upn'].some((key) => str(claims[key]) !== undefined);
}

/**
 * The person as ID token (or userinfo) claims describe them: `sub`; `preferred_username`, else
 * `email`, else `upn` (Entra ID v1), else `sub`; `name`; the `role` claim or the first of `roles`
 * (Entra ID app roles, or a Keycloak/Auth0 mapper). Null without a `sub` or a known account name.
 */
export function userFromIdClaims(claims: Record<string, unknown>, fallbackSub?: string): SessionUser | null {
  const sub = str(claims.sub) ?? fallbackSub;
  if (sub === undefined) return null;
  const username = str(claims.preferred_username) ?? str(claims.email) ?? str(claims.upn) ?? sub;
  return {
    sub,
    username,
    name: str(claims.name) ?? username,
    role: first(claims.role) ?? first(claims.roles) ?? '',
  };
}
