import { type ProfileContract, profileFromAnswer } from '../../../common/auth-contract';
import { TesseraError } from '../../../common/errors';
import type { SessionUser } from '../../../common/session';
import type { ApiClient } from './client';

function isProfile(value: unknown): value is SessionUser {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['sub', 'username', 'name', 'role'].every((key) => typeof v[key] === 'string');
}

/**
 * `GET <path>` as the signed-in user; HTTP errors throw, a malformed body is BAD_RESPONSE. With the
 * API contract's profile mapping the answer is read by its dot paths (the rule main uses too),
 * else it must be the reference server's `{sub, username, name, role}`.
 */
export async function fetchProfile(
  api: ApiClient,
  path: string,
  mapping: ProfileContract | null = null,
): Promise<SessionUser> {
  const body = await api.get(path).json();
  if (mapping) {
    const mapped = profileFromAnswer(body, mapping);
    if (mapped.ok) return mapped.user;
    throw new TesseraError({ code: 'BAD_RESPONSE', message: `Profile has nothing at ${mapped.missing}` });
  }
  if (!isProfile(body))
    throw new TesseraError({ code: 'BAD_RESPONSE', message: 'Profile is missing fields' });
  return { sub: body.sub, username: body.username, name: body.name, role: body.role };
}
