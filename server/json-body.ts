import { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import type { AppEnv } from './app-env';
import { errorResponse } from './errors';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

const UTF8 = new TextDecoder();

/** The body of a request node has parsed, decoded as fetch's `Request.text()` does (UTF-8, BOM dropped). */
function readNodeText(incoming: IncomingMessage): Promise<string> {
  const decode = (chunks: Buffer[]) => UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  if (incoming.complete) {
    // All of it has arrived and waits in the stream's buffer, also when the client has gone away since
    // (a caller that timed out): the request is served as it was sent, as Hono's own reader does.
    const chunks: Buffer[] = [];
    for (let chunk: Buffer | null = incoming.read(); chunk !== null; chunk = incoming.read())
      chunks.push(chunk);
    return Promise.resolve(decode(chunks));
  }
  if (incoming.destroyed) return Promise.reject(new Error('request body incomplete'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(decode(chunks)));
    incoming.once('error', reject);
    // Closed before the end (the client went away): nothing to parse. A no-op once it has ended.
    incoming.once('close', () => reject(new Error('request body incomplete')));
  });
}

/**
 * Refuses bodies that are not declared as JSON with 415, before anything tries to parse them. A body
 * with a declared length (the app's size limit has checked it) arriving through node is read straight
 * from node's request into Hono's body cache, where `jsonBody` finds it. Hono would first build a whole
 * fetch `Request` around a web stream of it: without that (and without the size limit asking for it,
 * app.ts), a sign-in costs the event loop about 40 % less. Any other body (chunked, or the app driven
 * in-process) is read by Hono as before.
 */
export const requireJsonContentType: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    return errorResponse(c, 415, 'UnsupportedMediaTypeError', 'Content-Type must be application/json');
  }
  const incoming = c.env?.incoming;
  if (
    incoming instanceof IncomingMessage &&
    c.req.header('content-length') !== undefined &&
    c.req.header('transfer-encoding') === undefined &&
    Object.keys(c.req.bodyCache).length === 0
  ) {
    const body = readNodeText(incoming);
    // Whoever reads it sees a failure (Hono's validator answers 400); it is never an unhandled rejection.
    body.catch(() => {});
    // Hono's `c.req.json()` parses the cached text (and `jsonBody` answers 400 when it is not JSON).
    // (Hono keeps promises there, whatever its type says: `bodyCache[key] = raw[key]()`.)
    (c.req.bodyCache as { text?: Promise<string> }).text = body;
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
