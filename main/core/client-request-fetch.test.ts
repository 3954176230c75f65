// The `login` event of Electron's ClientRequest (a proxy asking main's own request for credentials),
// with a stand-in request: Electron cannot be launched here. The real Chromium path is proven in
// test/faults/chromium-proxy.test.ts.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ClientRequestLike, clientRequestFetch } from './client-request-fetch';
import type { AuthChallenge } from './network/proxy-auth';

const CHALLENGE: AuthChallenge = {
  isProxy: true,
  scheme: 'basic',
  host: 'proxy.corp',
  port: 8080,
  realm: 'Corp',
};

/** A stand-in request that ignores what is sent and, once ended, does `onEnd` with its events. */
function standInRequest(onEnd: (events: EventEmitter) => void): ClientRequestLike {
  const events = new EventEmitter();
  return {
    setHeader() {},
    on: (event: string, listener: Parameters<EventEmitter['on']>[1]) => events.on(event, listener),
    write() {},
    end: () => onEnd(events),
    abort() {},
  } as unknown as ClientRequestLike;
}

/** A request that asks for proxy credentials once, then answers 200 with what it was given (or 407). */
function askingRequest(): { request: () => ClientRequestLike; answers: unknown[][] } {
  const answers: unknown[][] = [];
  const request = () =>
    standInRequest((events) => {
      events.emit('login', CHALLENGE, (...args: unknown[]) => {
        answers.push(args);
        const status = args.length > 0 ? 200 : 407;
        const body = Object.assign(Readable.from([Buffer.from(String(status))]), {
          statusCode: status,
          statusMessage: '',
          headers: {},
        });
        events.emit('response', body);
      });
    });
  return { request, answers };
}

describe('clientRequestFetch() and a proxy asking for credentials', () => {
  it('answers with what the authenticator gives', async () => {
    const { request, answers } = askingRequest();
    const seen: AuthChallenge[] = [];
    const fetch = clientRequestFetch(request, async (challenge) => {
      seen.push(challenge);
      return { username: 'alice', password: 'pw' };
    });
    expect((await fetch(new Request('https://api.example.com/login'))).status).toBe(200);
    expect(seen).toEqual([CHALLENGE]);
    expect(answers).toEqual([['alice', 'pw']]);
  });

  it('cancels (no credentials, the 407 comes back) when the authenticator says no, fails, or there is none', async () => {
    for (const login of [async () => null, async () => Promise.reject(new Error('closed')), undefined]) {
      const { request, answers } = askingRequest();
      expect(
        (await clientRequestFetch(request, login)(new Request('https://api.example.com/login'))).status,
      ).toBe(407);
      expect(answers).toEqual([[]]);
    }
  });
});

describe('clientRequestFetch() and the init beside the request', () => {
  /** A request that records what was sent and answers 200 with an empty JSON object. */
  function recordingRequest() {
    const sent: {
      method: string;
      url: string;
      cache: string;
      headers: Record<string, string>;
      body: string;
    }[] = [];
    const request = (options: { method: string; url: string; cache: string; credentials?: string }) => {
      const events = new EventEmitter();
      const entry = {
        method: options.method,
        url: options.url,
        cache: options.cache,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        headers: {} as Record<string, string>,
        body: '',
      };
      return {
        setHeader(name: string, value: string) {
          entry.headers[name] = value;
        },
        on: (event: string, listener: Parameters<EventEmitter['on']>[1]) => events.on(event, listener),
        write(chunk: Buffer) {
          entry.body += chunk.toString();
        },
        end() {
          sent.push(entry);
          const body = Object.assign(Readable.from([Buffer.from('{}')]), {
            statusCode: 200,
            statusMessage: 'OK',
            headers: { 'content-type': 'application/json' },
          });
          events.emit('response', body);
        },
        abort() {},
      } as unknown as ClientRequestLike;
    };
    return { request, sent };
  }

  it('sends the request as it is with an empty init (as ky passes one), and applies one that says something', async () => {
    const { request, sent } = recordingRequest();
    const fetch = clientRequestFetch(request);
    const post = () =>
      new Request('https://api.example.com/token/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{"refreshToken":"r"}',
      });
    expect(await (await fetch(post(), {})).json()).toEqual({});
    await fetch(post(), { headers: { accept: 'text/plain' } });
    expect(sent).toEqual([
      {
        method: 'POST',
        url: 'https://api.example.com/token/refresh',
        // Never from or into Chromium's HTTP cache on disk.
        cache: 'no-store',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{"refreshToken":"r"}',
      },
      {
        method: 'POST',
        url: 'https://api.example.com/token/refresh',
        cache: 'no-store',
        // As in fetch: the init's headers replace the request's.
        headers: { accept: 'text/plain' },
        body: '{"refreshToken":"r"}',
      },
    ]);
  });

  it('sends no credentials of the session for a request made without them (the probe), and leaves others as they are', async () => {
    const { request, sent } = recordingRequest();
    const fetch = clientRequestFetch(request);
    const health = 'https://api.example.com/health';
    await fetch(new Request(health), { credentials: 'omit' });
    await fetch(new Request(health, { credentials: 'omit' }), {});
    await fetch(new Request(health), {});
    expect(sent.map((entry) => ('credentials' in entry ? entry.credentials : 'unset'))).toEqual([
      'omit',
      'omit',
      'unset',
    ]);
  });
});

describe('clientRequestFetch() and a signal that ends the request after the answer arrived', () => {
  it('fails the body read with the signal’s reason, whatever the request does with its own abort', async () => {
    // A stand-in whose answer sends part of a body and then nothing: whether Electron's own abort()
    // ends the message stream is not something this machine can show, so the fetch ends it itself.
    const request = () =>
      standInRequest((events) => {
        const stalled = new Readable({ read() {} });
        stalled.push(Buffer.from('{"accessToken":"'));
        events.emit(
          'response',
          Object.assign(stalled, { statusCode: 200, statusMessage: 'OK', headers: {} }),
        );
      });
    const controller = new AbortController();
    const response = await clientRequestFetch(request)(
      new Request('https://api.example.com/login', { signal: controller.signal }),
    );
    const read = response.text();
    const reason = new DOMException('The operation timed out.', 'TimeoutError');
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
  });
});

describe('clientRequestFetch() and an answer whose status is no HTTP status', () => {
  it('rejects with the status named (a broken gateway’s 999), throwing nothing into the request’s event', async () => {
    const thrown: unknown[] = [];
    const request = () =>
      standInRequest((events) =>
        // Electron emits from its own callback: a throw there would be an uncaught exception in main.
        setImmediate(() => {
          const body = Object.assign(Readable.from([Buffer.from('<html>denied</html>')]), {
            statusCode: 999,
            statusMessage: 'Request denied',
            headers: { 'content-type': 'text/html' },
          });
          try {
            events.emit('response', body);
          } catch (error) {
            thrown.push(error);
          }
        }),
      );
    const fetch = clientRequestFetch(request);
    await expect(
      fetch(new Request('https://api.example.com/token/refresh', { method: 'POST', body: '{}' })),
    ).rejects.toThrow("The answer's HTTP status 999 is not a valid HTTP status");
    expect(thrown).toEqual([]);
  });
});
