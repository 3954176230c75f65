// The token path across a change of session (account switch, sign-out, change of API) while an answer
// is awaited. The bridge and the transport are scripted here: these cases are about which answer lands
// before which event, which a real server cannot be told to time. Main's side of the same races (the
// registry refusing a stale answer, with two real reference servers) is in main/core/accounts.
import { isHTTPError } from 'ky';
import { describe, expect, it } from 'vitest';
import { TesseraError } from '../../common/errors';
import type { GetAccessTokenRequest, TesseraBridge } from '../../common/ipc';
import type { AccessTokenGrant, SessionView } from '../../common/session';
import { toBridgeError } from '../../preload/bridge';
import { signedOutView } from '../../test/support/session-view';
import { createApiClient, type Transport } from '../src/api/client';

const EXPIRED = JSON.stringify({ error: 'TokenExpiredError', message: 'Access token has expired' });
const A = 'http://a.example';
const B = 'http://b.example';
const NOW = 1_000_000;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Waits (a macrotask at a time, bounded) until `reached()`: the client got as far as the test needs. */
async function until(reached: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !reached(); i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
  expect(reached()).toBe(true);
}

const activeView = (accountId: string, expiresAt: number, apiBaseUrl: string): SessionView =>
  signedOutView({ state: 'active', accountId, expiresAt, apiBaseUrl, apiOrigin: apiBaseUrl });

const grant = (accessToken: string, accountId: string, expiresAt = NOW + 600_000): AccessTokenGrant => ({
  accessToken,
  tokenType: 'Bearer',
  expiresAt,
  accountId,
});

/** A bridge whose getAccessToken answers the test queues (each call takes the next one) and records. */
function scriptedBridge() {
  const listeners = new Set<(view: SessionView) => void>();
  const calls: Array<GetAccessTokenRequest | undefined> = [];
  const answers: Array<() => Promise<AccessTokenGrant>> = [];
  let sessionChecks = 0;
  const auth = {
    getAccessToken(request?: GetAccessTokenRequest) {
      calls.push(request);
      const next = answers.shift();
      if (!next) return Promise.reject(new Error('unexpected getAccessToken'));
      return next();
    },
    async getSession() {
      sessionChecks += 1;
      return signedOutView();
    },
    onSessionChange(listener: (view: SessionView) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as TesseraBridge['auth'];
  return {
    bridge: { auth },
    calls,
    answers,
    emit(view: SessionView) {
      for (const listener of listeners) listener(view);
    },
    sessionChecks: () => sessionChecks,
  };
}

interface Sent {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

/** Records what is sent; `respond` (which a test may replace) answers the request at `index` in `sent`. */
function scriptedTransport(respond: (index: number) => Promise<Response> | Response) {
  const sent: Sent[] = [];
  const transport = {
    sent,
    respond,
    send: (async (input) => {
      const request = input as Request;
      sent.push({
        url: request.url,
        method: request.method,
        authorization: request.headers.get('authorization'),
        body: request.body === null ? '' : await request.text(),
      });
      return transport.respond(sent.length - 1);
    }) as Transport,
  };
  return transport;
}

const ok = () =>
  new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });

/** A 401 TokenExpiredError (its `bodyUsed` tells whether the client read or cancelled it). */
function expiredResponse() {
  return {
    response: new Response(EXPIRED, { status: 401, headers: { 'content-type': 'application/json' } }),
  };
}

/** The client as the page makes it (the session check reaches the bridge only when someone listens). */
function client(t: ReturnType<typeof scriptedBridge>, send: Transport, base: { url: string }) {
  return createApiClient({
    bridge: t.bridge,
    getBaseUrl: () => base.url,
    fetch: send,
    now: () => NOW,
    onSessionChecked: () => {},
  });
}

/** Signs the client in as `account` (its first request subscribes it to session events, then one arrives). */
async function signedInAs(
  t: ReturnType<typeof scriptedBridge>,
  api: ReturnType<typeof createApiClient>,
  tr: { sent: Sent[] },
  account: string,
  url: string,
) {
  t.answers.push(async () => grant(`token-${account}`, account));
  await api.get('me').json();
  t.emit(activeView(account, NOW + 600_000, url));
  t.calls.length = 0;
  tr.sent.length = 0;
}

/** A client that sent one request as A with token-A, which A's last event says is due (main refreshes when asked). */
async function withDueToken() {
  const t = scriptedBridge();
  const tr = scriptedTransport(() => ok());
  const api = client(t, tr.send, { url: A });
  t.answers.push(async () => grant('token-A', 'A'));
  await api.get('me').json();
  t.emit(activeView('A', NOW + 1, A));
  return { t, tr, api };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('the token path across an account switch', () => {
  it("drops an answer for account A that lands after the switch to B: the call fails as 'session changed', and B's requests get B's token", async () => {
    const base = { url: A };
    const t = scriptedBridge();
    const tr = scriptedTransport(() => ok());
    const api = client(t, tr.send, base);

    // Main is refreshing A (slow network) when the first call asks for a token.
    const slowA = deferred<AccessTokenGrant>();
    t.answers.push(() => slowA.promise);
    const first = failure(api.get('me').json());
    await until(() => t.calls.length === 1);
    // The person switches to B (another server): main's event for B arrives at once…
    base.url = B;
    t.emit(activeView('B', NOW + 600_000, B));
    // …then A's refresh lands, and main (before the fix) answered the call with A's new token.
    slowA.resolve(grant('token-A2', 'A', NOW + 900_000));
    const error = await first;
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe('CANCELLED');

    // B's requests: main is asked (naming B), and A's token is never sent anywhere.
    t.answers.push(async () => grant('token-B', 'B'));
    await api.get('me').json();
    await api.get('me').json();
    expect(tr.sent).toEqual([
      { url: `${B}/me`, method: 'GET', authorization: 'Bearer token-B', body: '' },
      { url: `${B}/me`, method: 'GET', authorization: 'Bearer token-B', body: '' },
    ]);
    expect(t.calls).toEqual([undefined, { account: 'B' }]);
  });

  it('keeps an answer whose refresh event arrived first (main sends it before its answer): one bridge hop', async () => {
    const { t, tr, api } = await withDueToken();
    const refreshed = deferred<AccessTokenGrant>();
    t.answers.push(() => refreshed.promise);
    const second = api.get('me').json();
    await until(() => t.calls.length === 2);
    t.emit(activeView('A', NOW + 900_000, A));
    refreshed.resolve(grant('token-A2', 'A', NOW + 900_000));
    await second;
    await api.get('me').json();
    expect(tr.sent.map((sent) => sent.authorization)).toEqual([
      'Bearer token-A',
      'Bearer token-A2',
      'Bearer token-A2',
    ]);
    expect(t.calls).toEqual([undefined, { account: 'A' }]);
  });

  it('asks again, once, for an answer a later event of the same account overtook', async () => {
    const { t, tr, api } = await withDueToken();
    const old = deferred<AccessTokenGrant>();
    t.answers.push(() => old.promise);
    const second = api.get('me').json();
    await until(() => t.calls.length === 2);
    // Another window's refresh lands after main answered this call with the token it then held.
    t.emit(activeView('A', NOW + 900_000, A));
    t.answers.push(async () => grant('token-A3', 'A', NOW + 900_000));
    old.resolve(grant('token-A', 'A', NOW + 1));
    await second;
    expect(tr.sent.map((sent) => sent.authorization)).toEqual(['Bearer token-A', 'Bearer token-A3']);
    expect(t.calls).toEqual([undefined, { account: 'A' }, { account: 'A' }]);
  });

  it("does not retry a request in flight across the switch: the 401 comes back, with a session check, and B's token never goes to A's server", async () => {
    const base = { url: A };
    const t = scriptedBridge();
    const rejected = expiredResponse();
    const firstAnswer = deferred<Response>();
    const tr = scriptedTransport(() => ok());
    const api = client(t, tr.send, base);
    await signedInAs(t, api, tr, 'A', A);
    tr.respond = (index) => (index === 0 ? firstAnswer.promise : ok());
    const call = failure(api.post('orders', { json: { item: 42 } }).json());
    await until(() => tr.sent.length === 1);
    // The person switches to B while A's POST is in flight; the server then says A's token expired.
    base.url = B;
    t.emit(activeView('B', NOW + 300_000, B));
    t.answers.push(async () => grant('token-B', 'B'));
    firstAnswer.resolve(rejected.response);
    const error = await call;
    expect(isHTTPError(error) && error.response.status).toBe(401);
    expect(tr.sent).toEqual([
      { url: `${A}/orders`, method: 'POST', authorization: 'Bearer token-A', body: '{"item":42}' },
    ]);
    expect(t.sessionChecks()).toBe(1);
  });

  it('does not retry when the switch happens while main answers the retry: main is asked for A, and an answer for B is not used', async () => {
    const base = { url: A };
    const t = scriptedBridge();
    const rejected = expiredResponse();
    const tr = scriptedTransport(() => ok());
    const api = client(t, tr.send, base);
    await signedInAs(t, api, tr, 'A', A);
    tr.respond = (index) => (index === 0 ? rejected.response : ok());
    const slow = deferred<AccessTokenGrant>();
    t.answers.push(() => slow.promise);
    const call = failure(api.get('me').json());
    await until(() => t.calls.length === 1);
    base.url = B;
    t.emit(activeView('B', NOW + 300_000, B));
    // What a main that answered for the shown account would say.
    slow.resolve(grant('token-B', 'B'));
    const error = await call;
    expect(isHTTPError(error) && error.response.status).toBe(401);
    expect(t.calls).toEqual([{ account: 'A' }]);
    expect(tr.sent.map((sent) => [sent.url, sent.authorization])).toEqual([[`${A}/me`, 'Bearer token-A']]);
    expect(isHTTPError(error) && error.response).toBe(rejected.response);
  });

  it('does not retry when the switch is heard while the 401 is being cancelled: the call fails as session changed', async () => {
    const base = { url: A };
    const t = scriptedBridge();
    const tr = scriptedTransport(() => ok());
    const api = client(t, tr.send, base);
    await signedInAs(t, api, tr, 'A', A);
    // A 401 whose body takes a task to cancel, during which main's switch to B arrives (a stand-in: a
    // Response's body stream is replaced when it is cloned, so its cancel cannot be staged on one).
    const rejected = {
      status: 401,
      redirected: false,
      url: `${A}/me`,
      headers: new Headers({ 'content-type': 'application/json' }),
      clone: () => new Response(EXPIRED, { status: 401, headers: { 'content-type': 'application/json' } }),
      body: {
        async cancel() {
          await new Promise((resolve) => setTimeout(resolve, 1));
          base.url = B;
          t.emit(activeView('B', NOW + 300_000, B));
        },
      },
    } as unknown as Response;
    tr.respond = (index) => (index === 0 ? rejected : ok());
    t.answers.push(async () => grant('token-A2', 'A', NOW + 900_000));
    const error = await failure(api.get('me').json());
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe('CANCELLED');
    expect(tr.sent.map((sent) => [sent.url, sent.authorization])).toEqual([[`${A}/me`, 'Bearer token-A']]);
  });

  it('after a change of API (same account id), does not retry at the old API', async () => {
    const base = { url: A };
    const t = scriptedBridge();
    const firstAnswer = deferred<Response>();
    const tr = scriptedTransport((index) => (index === 0 ? firstAnswer.promise : ok()));
    const api = client(t, tr.send, base);
    t.answers.push(async () => grant('token-A', 'A'));
    const call = failure(api.get('me').json());
    await until(() => tr.sent.length === 1);
    base.url = B;
    firstAnswer.resolve(expiredResponse().response);
    const error = await call;
    expect(isHTTPError(error) && error.response.status).toBe(401);
    expect(t.calls).toEqual([undefined]);
    expect(tr.sent).toHaveLength(1);
  });
});

describe('a refresh that fails after a 401', () => {
  it('gives the caller the 401 as an HTTPError, checks the session, and sends nothing again', async () => {
    const t = scriptedBridge();
    const rejected = expiredResponse();
    const tr = scriptedTransport(() => ok());
    const api = client(t, tr.send, { url: A });
    await signedInAs(t, api, tr, 'A', A);
    tr.respond = () => rejected.response;
    t.answers.push(async () => grant('token-A', 'A'));
    t.answers.push(() => Promise.reject(toBridgeError({ code: 'NOT_SIGNED_IN', message: 'Not signed in.' })));
    const error = await failure(api.get('me').json());
    expect(isHTTPError(error) && error.response.status).toBe(401);
    expect(t.sessionChecks()).toBe(1);
    expect(t.calls).toEqual([
      { account: 'A' },
      { forceRefresh: true, rejectedExpiresAt: NOW + 600_000, account: 'A' },
    ]);
    expect(tr.sent).toHaveLength(1);
  });

  it('cancels the 401 when it is not handed back: the bridge and then the session check fail', async () => {
    const t = scriptedBridge();
    const rejected = expiredResponse();
    const tr = scriptedTransport(() => ok());
    const api = client(t, tr.send, { url: A });
    await signedInAs(t, api, tr, 'A', A);
    tr.respond = () => rejected.response;
    t.answers.push(() => Promise.reject(toBridgeError({ code: 'NETWORK', message: 'offline' })));
    t.bridge.auth.getSession = () =>
      Promise.reject(toBridgeError({ code: 'INTERNAL', message: 'main is gone' }));
    const error = await failure(api.get('me').json());
    expect((error as TesseraError).code).toBe('INTERNAL');
    expect(rejected.response.bodyUsed).toBe(true); // cancelled, so the connection is let go
  });
});
