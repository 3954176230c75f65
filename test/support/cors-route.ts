// The shell's CORS rule in a Playwright browser: what main/shell/session-security.ts does with
// Electron's onHeadersReceived, done with a context route for the page's requests to other origins —
// the request goes out for real (route.fetch), the answer comes back with the headers the composition
// root's `corsPatch` decides. Used by the e2e browser host and the CORS tests in Chromium.
//
// One difference, by Playwright's design: while a route is active Playwright answers CORS preflights
// itself (allowing what was asked), so the shell's preflight answer is tested by unit tests
// (main/security/cors.test.ts) and by the electron host, not here. Actual responses are real.
import type { APIResponse, BrowserContext, Route } from '@playwright/test';
import type { CorsPatch, CorsResponse } from '../../main/security/cors';

/** Headers a re-sent body gets anew: the fetched body is already decoded and measured by Playwright. */
const TRANSPORT_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection']);

function headerLists(response: APIResponse): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const { name, value } of response.headersArray()) lists[name] = [...(lists[name] ?? []), value];
  return lists;
}

/** The status of a replacement status line such as `HTTP/1.1 204 No Content`. */
function statusOf(statusLine: string): number | undefined {
  const status = Number(statusLine.split(' ')[1]);
  return Number.isInteger(status) ? status : undefined;
}

/**
 * Routes every http(s) request of `context`'s pages to another origin than `pageOrigin` through
 * `corsPatch` (null: the answer goes back as it came). A request that cannot reach its server fails
 * in the page as a network error, as it would without the route.
 */
export async function routeCorsPatch(
  context: BrowserContext,
  pageOrigin: string,
  corsPatch: (response: CorsResponse) => CorsPatch | null,
): Promise<void> {
  const handle = async (route: Route) => {
    const request = route.request();
    let response: APIResponse;
    try {
      // The page follows redirects itself, each through this route again. Each request goes on a new
      // connection (`connection: close`): the tests' servers run in this process, so an event loop
      // busy for longer than a server's keep-alive timeout (5 s; an axe run can take that long) made
      // the next request go out on the idle connection whose overdue close then fired under it, and
      // the page saw a network error the server never knew of. Chromium retries a request that fails
      // so on a reused connection; Playwright's fetch does not, so no connection is reused here.
      const headers = { ...(await request.allHeaders()), connection: 'close' };
      response = await route.fetch({ maxRedirects: 0, headers });
    } catch {
      await route.abort('failed').catch(() => {});
      return;
    }
    const patch = corsPatch({
      method: request.method(),
      url: request.url(),
      statusCode: response.status(),
      responseHeaders: headerLists(response),
    });
    if (patch === null) {
      await route.fulfill({ response }).catch(() => {});
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(patch.responseHeaders)) {
      if (!TRANSPORT_HEADERS.has(name.toLowerCase())) headers[name] = values.join(', ');
    }
    const status = patch.statusLine ? statusOf(patch.statusLine) : undefined;
    // A page that navigated or gave up meanwhile has no use for the answer.
    await route.fulfill({ response, headers, ...(status ? { status } : {}) }).catch(() => {});
  };
  await context.route((url) => /^https?:$/.test(url.protocol) && url.origin !== pageOrigin, handle);
}
