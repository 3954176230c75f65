import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import type { AppEnv } from './app-env';
import { errorResponse } from './errors';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Refuses bodies that are not declared as JSON with 415, before anything tries to parse them. */
export const requireJsonContentType: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    return errorResponse(c, 415, 'UnsupportedMediaTypeError', 'Content-Type must be application/json');
  }
  await next();
};

/** Describes zod issues without echoing input values (a body may hold a password). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses the JSON body with Hono's validator and checks it against `schema`: 400 BadRequestError
 * on a shape mismatch; malformed JSON surfaces as Hono's HTTPException(400), mapped by the app.
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return validator('json', (value, c) => {
    const result = schema.safeParse(value);
    if (!result.success) return errorResponse(c, 400, 'BadRequestError', describeIssues(result.error));
    return result.data as z.output<T>;
  });
}
