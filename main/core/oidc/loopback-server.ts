import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorInfo, Result } from '../../../common/errors';
import type { Locale } from '../../../common/locale';
import { type Logger, silentLogger } from '../logger';
import type { Timers } from '../timers';
import { type CallbackPageKind, callbackPage } from './loopback-pages';

/** How long the browser may take by default (RFC 8252 leaves it to the app; 5 min covers MFA). */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;

/** The callback path on the loopback listener (`http://127.0.0.1:<port>/callback`). */
const CALLBACK_PATH = '/callback';

export interface LoopbackOptions {
  /** Only a callback with exactly this `state` is taken; others are refused and the wait goes on. */
  expectedState: string;
  /** Aborting closes the listener and fails the wait with CANCELLED. */
  signal: AbortSignal;
  timeoutMs: number;
  timers: Timers;
  locale: Locale;
  logger?: Logger;
}

/** The one callback the listener accepted. */
export interface LoopbackCallback {
  /** The callback URL as the browser sent it (code, state, iss …); never logged. */
  url: URL;
  /**
   * Answers the waiting browser tab (no token in the page) and closes the listener; only the first
   * answer counts. A Cancel (the signal aborted) before it answers the tab 'cancelled' at once.
   */
  finish(outcome: 'success' | 'failure' | 'cancelled'): void;
}

/** A listener on an ephemeral loopback port, waiting for one authorization response. */
export interface LoopbackListener {
  redirectUri: string;
  port: number;
  /** Settles once: the callback, or TIMEOUT / CANCELLED (the listener is closed then). */
  callback: Promise<Result<LoopbackCallback>>;
  /** Closes the listener and every connection; safe to call more than once. */
  close(): void;
}

/** A sign-in the person cancelled, wherever it was. */
export const CANCELLED: ErrorInfo = { code: 'CANCELLED', message: 'The sign-in was cancelled' };

/** Compares two strings in constant time (a state check must not leak how much matched). */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Starts the RFC 8252 loopback listener on 127.0.0.1 with a port the OS picks. It accepts one GET of
 * `/callback` whose Host is this listener (no DNS rebinding) and whose `state` matches; anything else
 * gets a small error page while the wait goes on, so a stray or forged request cannot end the sign-in.
 * After the accepted callback, a timeout or an abort, the listener closes and the port is freed.
 */
export async function openLoopback(options: LoopbackOptions): Promise<Result<LoopbackListener>> {
  const logger = options.logger ?? silentLogger;
  // node:http is imported here, not with main's bundle: on Node 22 and later an ES module import of it
  // also loads Node's fetch implementation (undici), tens of milliseconds before Electron could be ready.
  const { createServer } = await import('node:http');
  const server = createServer();
  let settled = false;
  let closed = false;
  // While the accepted callback's page is being written, closing must not cut it off mid-answer.
  let answering = false;
  let settle: (result: Result<LoopbackCallback>) => void = () => {};
  const callback = new Promise<Result<LoopbackCallback>>((resolve) => {
    settle = resolve;
  });

  const close = () => {
    if (closed) return;
    closed = true;
    server.close();
    if (!answering) server.closeAllConnections();
  };

  const send = (res: ServerResponse, status: number, kind: CallbackPageKind, then?: () => void) => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
    });
    res.end(callbackPage(kind, options.locale), then);
  };

  const bind = await new Promise<Result<number>>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve({
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `Could not listen on 127.0.0.1 for the sign-in answer (${error.code ?? 'error'})`,
        },
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ ok: true, value: (server.address() as AddressInfo).port }));
  });
  if (!bind.ok) {
    close();
    return bind;
  }
  const port = bind.value;
  const origin = `http://127.0.0.1:${port}`;
  const redirectUri = `${origin}${CALLBACK_PATH}`;

  const end = (result: Result<LoopbackCallback>) => {
    if (settled) return;
    settled = true;
    options.timers.clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    if (!result.ok) close();
    settle(result);
  };
  const onAbort = () => end({ ok: false, error: CANCELLED });
  const timer = options.timers.setTimeout(() => {
    logger.warn('sign-in not completed in the browser in time', { timeoutMs: options.timeoutMs });
    end({
      ok: false,
      error: {
        code: 'TIMEOUT',
        message: `The sign-in was not completed in the browser within ${Math.round(options.timeoutMs / 60_000)} min`,
      },
    });
  }, options.timeoutMs);
  options.signal.addEventListener('abort', onAbort);
  if (options.signal.aborted) onAbort();

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 400, 'notFound');
    // A target that is no URL path (`//`, `//[`, `/\`, `*`): the same refusal as a foreign Host.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return send(res, 400, 'notFound');
    }
    // A target naming another origin (`//evil.example/callback`, `http://evil.example/callback`): the
    // same refusal. openid-client sends the callback URL, less its query, as the token request's
    // redirect_uri, so it must be this listener's.
    if (url.origin !== origin) return send(res, 400, 'notFound');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return send(res, 404, 'notFound');
    if (settled) return send(res, 410, 'used');
    const state = url.searchParams.get('state');
    if (state === null || !sameText(state, options.expectedState)) {
      logger.warn('sign-in callback with a wrong or missing state refused; still waiting');
      return send(res, 400, 'wrongState');
    }
    let answered = false;
    const finish = (outcome: 'success' | 'failure' | 'cancelled') => {
      if (answered) return;
      answered = true;
      options.signal.removeEventListener('abort', onCancelAfterCallback);
      answering = true;
      send(res, outcome === 'success' ? 200 : 400, outcome, () => {
        answering = false;
        close();
        server.closeAllConnections();
      });
    };
    // Cancelled while the app exchanges the code: the tab must not be told "signed in" afterwards.
    const onCancelAfterCallback = () => finish('cancelled');
    end({ ok: true, value: { url, finish } });
    options.signal.addEventListener('abort', onCancelAfterCallback, { once: true });
  };

  // Whatever a request holds, it must never throw out of the listener: an exception there is an
  // uncaught exception in main (any web page or local process can reach this port during a sign-in).
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      answer(req, res);
    } catch {
      logger.warn('sign-in listener refused a request it could not read; still waiting');
      if (res.headersSent) res.destroy();
      else send(res, 400, 'notFound');
    }
  });
  // After the port is bound, an error (e.g. accept failing with EMFILE under a connection flood) must
  // not become an uncaught exception either; the wait goes on until the callback, timeout or cancel.
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.warn(`sign-in listener error (${error.code ?? 'error'}); still waiting`);
  });

  return { ok: true, value: { redirectUri, port, callback, close } };
}
