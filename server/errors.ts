import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Body of every error answer. */
export interface ErrorBody {
  error: string;
  message: string;
}

/** Answers `{error, message}` with the given status and extra headers. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ error, message } satisfies ErrorBody, status);
}
