// A stand-in for Electron's `net.fetch` (the main process's network port in the app), for tests that
// must go through Chromium's network stack: its certificate verifier, its trust stores (NSS on Linux),
// its proxy resolution. Electron cannot be launched here; Debian's Chromium can. Each request is made by
// Chromium itself, from a page on the request's own origin (so no CORS or Local Network Access rule of a
// web page applies, as none applies to net.fetch), and its answer rebuilt as a Response for the core.
// A connection Chromium refuses rejects with Chromium's `net::ERR_…` code in the message, as
// net.fetch does.
import type { Page } from '@playwright/test';
import type { FetchLike } from '../../main/core/auth-client';

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

/** Statuses whose Response must have no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** `fetch` through Chromium's network stack, using `page` (which it navigates to each API origin). */
export function chromiumFetch(page: Page): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const origin = new URL(request.url).origin;
    if (new URL(page.url()).origin !== origin) {
      try {
        await page.goto(`${origin}/`, { waitUntil: 'commit' });
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        const code = /net::ERR_[A-Z_]+/.exec(text)?.[0] ?? 'net::ERR_FAILED';
        throw new TypeError('fetch failed', { cause: new Error(`${code} (${origin})`) });
      }
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const answer: Answer | { error: string } = await page.evaluate(
      async ({ url, method, headers, body }) => {
        try {
          const response = await fetch(url, {
            method,
            headers,
            body,
            redirect: 'manual',
            credentials: 'omit',
            cache: 'no-store',
          });
          return {
            status: response.status,
            statusText: response.statusText,
            headers: [...response.headers],
            body: await response.text(),
          };
        } catch (error) {
          return { error: String(error) };
        }
      },
      {
        url: request.url,
        method: request.method,
        headers: [...request.headers],
        body: hasBody ? await request.text() : null,
      },
    );
    if ('error' in answer)
      throw new TypeError('fetch failed', { cause: new Error(`net::ERR_FAILED ${answer.error}`) });
    return new Response(NULL_BODY.has(answer.status) ? null : answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: answer.headers,
    });
  };
}
