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
 * `GET <path>` as the signed-in user; HTTP errors throw, a body that is not JSON or not a profile is
 * BAD_RESPONSE. With the API contract's profile mapping the answer is read by its dot paths (the rule
 * main uses too), else it must be the reference server's `{sub, username, name, role}`.
 */
export async function fetchProfile(
  api: ApiClient,
  path: string,
  mapping: ProfileContract | null = null,
): Promise<SessionUser> {
  const response = await api.get(path);
  // Not JSON (an HTML page from a wrong path, a proxy, a captive portal): an answer Tessera does not understand.
  const body: unknown = await response.json().catch(() => {
    throw new TesseraError({ code: 'BAD_RESPONSE', message: 'Profile is not JSON' });
  });
  if (mapping) {
    const mapped = profileFromAnswer(body, mapping);
    if (mapped.ok) return mapped.user;
    throw new TesseraError({ code: 'BAD_RESPONSE', message: `Profile has nothing at ${mapped.missing}` });
  }
  if (!isProfile(body))
    throw new TesseraError({ code: 'BAD_RESPONSE', message: 'Profile is missing fields' });
  return { sub: body.sub, username: body.username, name: body.name, role: body.role };
}
