import { TesseraError } from '../../../common/errors';
import type { SessionUser } from '../../../common/session';
import type { ApiClient } from './client';

function isProfile(value: unknown): value is SessionUser {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['sub', 'username', 'name', 'role'].every((key) => typeof v[key] === 'string');
}

/** `GET <mePath>` as the signed-in user; HTTP errors throw, a malformed body is BAD_RESPONSE. */
export async function fetchProfile(api: ApiClient, mePath: string): Promise<SessionUser> {
  const body = await api.get(mePath).json();
  if (!isProfile(body))
    throw new TesseraError({ code: 'BAD_RESPONSE', message: 'Profile is missing fields' });
  return { sub: body.sub, username: body.username, name: body.name, role: body.role };
}
