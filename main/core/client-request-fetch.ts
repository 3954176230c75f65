import { Readable } from 'node:stream';
import type { FetchLike } from './auth-client';
import type { AuthChallenge, ProxyCredentials } from './network/proxy-auth';

// Electron's net.fetch cannot hand back a redirect: in `redirect: 'manual'` mode it rejects with
// "Redirect was cancelled" and drops where the redirect pointed (its ClientRequest's `redirect` event
// has no listener; electron/electron#43715). This fetch sits on Electron's net.request instead, the
// same Chromium network stack (system proxy, OS certificates), and returns a redirect as the 3xx
// response Node's fetch returns, so followSameOriginRedirects can judge it. Electron-free: the shell
// passes `net.request` in.

/** The `net.request` options this uses. */
export interface ClientRequestOptions {
  method: string;
  url: string;
  redirect: 'manual';
  /** Never Chromium's HTTP cache: main's answers (tokens, the profile) are not left on disk. */
  cache: 'no-store';
  /**
   * `omit` for a request made without credentials (the connect wizard's probe): left unset, Electron
   * would answer a server's 401 challenge with the session's own sign-in (Windows' NTLM or Kerberos).
   */
  credentials?: 'omit';
}

/** What this reads of Electron's IncomingMessage (which is also a Node Readable). */
export interface IncomingMessageLike {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string | string[]>;
}

/** What this uses of Electron's ClientRequest. */
export interface ClientRequestLike {
  setHeader(name: string, value: string): void;
  on(
    event: 'redirect',
    listener: (
      statusCode: number,
      method: string,
      redirectUrl: string,
      headers: Record<string, string[]>,
    ) => void,
  ): unknown;
  on(event: 'response', listener: (response: IncomingMessageLike) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** A proxy (or server) asks for credentials: answer through `callback` (no arguments cancels). */
  on(
    event: 'login',
    listener: (authInfo: AuthChallenge, callback: (username?: string, password?: string) => void) => void,
  ): unknown;
  write(chunk: Buffer): unknown;
  end(): unknown;
  abort(): void;
}

/** Statuses whose responses have no body (fetch's "null body status"). */
const NULL_BODY_STATUS: ReadonlySet<number> = new Set([101, 204, 205, 304]);

function isEmpty(init: RequestInit): boolean {
  for (const _ in init) return false;
  return true;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * A fetch over `request` (Electron's `net.request`) that returns redirects instead of following them.
 * `login` answers a proxy asking for credentials (main's requests get their own `login` event, not the
 * app's); without it, or when it answers null, the request is cancelled and the 407 comes back.
 */
export function clientRequestFetch(
  request: (options: ClientRequestOptions) => ClientRequestLike,
  login?: (challenge: AuthChallenge) => Promise<ProxyCredentials | null>,
): FetchLike {
  return async (input, init) => {
    // ky hands every request over with an empty init: no second copy of the request for nothing.
    const source = init === undefined || isEmpty(init) ? input : new Request(input, init);
    const { signal } = source;
    if (signal.aborted) throw abortReason(signal);
    // Auth bodies are small JSON or form bodies: sent whole, as net.fetch sends them.
    const body = source.body === null ? null : Buffer.from(await source.arrayBuffer());
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      // A throw while settling rejects the fetch: thrown inside Electron's event it would be an
      // uncaught exception in main, and the fetch would never settle.
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        try {
          finish();
        } catch (error) {
          reject(error);
        }
      };
      const outgoing = request({
        method: source.method,
        url: source.url,
        redirect: 'manual',
        cache: 'no-store',
        ...(source.credentials === 'omit' ? { credentials: 'omit' as const } : {}),
      });
      /** The answer's body, once it arrived. */
      let incoming: Readable | null = null;
      // Before the answer: the fetch rejects. After it: the body's read fails with the signal's reason
      // (a caller's timeout that covers the body, as openid-client's does), not left to how the
      // request's abort ends the message stream.
      signal.addEventListener(
        'abort',
        () => {
          outgoing.abort();
          incoming?.destroy(abortReason(signal) as Error);
          settle(() => reject(abortReason(signal)));
        },
        { once: true },
      );
      for (const [name, value] of source.headers) outgoing.setHeader(name, value);
      outgoing.on('redirect', (statusCode, _method, redirectUrl) => {
        // Aborting inside the event is what tells Electron's ClientRequest not to fail the request.
        outgoing.abort();
        settle(() => resolve(new Response(null, { status: statusCode, headers: { location: redirectUrl } })));
      });
      outgoing.on('response', (message) => {
        // A status no HTTP client takes (a broken gateway's 999): refused like a broken connection.
        if (!(message.statusCode >= 200 && message.statusCode <= 599)) {
          outgoing.abort();
          settle(() =>
            reject(new Error(`The answer's HTTP status ${message.statusCode} is not a valid HTTP status`)),
          );
          return;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(message.headers)) {
          for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
        }
        const empty = NULL_BODY_STATUS.has(message.statusCode) || source.method === 'HEAD';
        if (!empty) incoming = message as unknown as Readable;
        const stream = empty ? null : (Readable.toWeb(incoming as Readable) as ReadableStream<Uint8Array>);
        settle(() =>
          resolve(
            new Response(stream, { status: message.statusCode, statusText: message.statusMessage, headers }),
          ),
        );
      });
      outgoing.on('error', (error) => settle(() => reject(error)));
      outgoing.on('login', (authInfo, callback) => {
        if (!login) return callback();
        login(authInfo).then(
          (answer) => (answer ? callback(answer.username, answer.password) : callback()),
          () => callback(),
        );
      });
      if (body !== null) outgoing.write(body);
      outgoing.end();
    });
  };
}
