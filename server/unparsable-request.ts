import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { ErrorBody } from './errors';
import { cutPath, escapeControl, rawPath } from './request-log';
import type { RecordedRequest } from './types';

type Listener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<unknown>;

export interface UnparsableRequestDeps {
  log: (line: string) => void;
  record: (entry: RecordedRequest) => void;
  /** Extra headers every answer carries (Strict-Transport-Security under TLS). */
  headers: Record<string, string>;
}

/**
 * The request listener for `app`'s fetch: as @hono/node-server's own, except for a request it cannot
 * turn into a fetch Request (a Host of `a@b`, a target with a backslash). Left to the adapter, that
 * got an empty 400 with none of the app's headers and no log line; here it gets what every other error
 * gets: `{error, message}` as JSON, `Cache-Control: no-store` and `nosniff`, one log line (method and
 * path as sent) and an entry in the request record. An error from the app itself (its own error
 * handler answers everything it throws) becomes a JSON 500.
 */
export function requestListener(
  fetch: (request: Request) => Response | Promise<Response>,
  deps: UnparsableRequestDeps,
): Listener {
  // The adapter calls `errorHandler` synchronously while it tries to build the Request, so the request
  // being handled then is the one the listener was just called with.
  let current: IncomingMessage | undefined;
  const listener = getRequestListener(fetch, {
    errorHandler: (err) => {
      const incoming = current;
      current = undefined;
      if (incoming !== undefined && err instanceof Error && err.name === 'RequestError') {
        const method = incoming.method ?? 'GET';
        // An origin-form target (`/a\\b`, `//x`) as the path of a full URL, as rawPath reads them.
        const target = incoming.url ?? '/';
        const path = cutPath(rawPath(target.startsWith('/') ? `http://unparsed${target}` : target));
        deps.record({ method, path, status: 400 });
        deps.log(`${escapeControl(method)} ${escapeControl(path)} 400 0ms`);
        return answer(400, 'BadRequestError', 'The request line or Host header cannot be read', deps.headers);
      }
      return answer(500, 'InternalServerError', 'Internal server error', deps.headers);
    },
  });
  return (incoming, outgoing) => {
    current = incoming;
    const handled = listener(incoming, outgoing);
    current = undefined;
    return handled;
  };
}

function answer(status: number, error: string, message: string, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ error, message } satisfies ErrorBody), {
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
      ...headers,
    },
  });
}
