// Node's `http.request` in the shape of Electron's `net.request` (`ClientRequestLike`), so a benchmark
// can run main's own transport (`clientRequestFetch`, main/core/client-request-fetch.ts) where Electron
// cannot be launched. Like Chromium's network stack, Node's http module is native code with its HTTP
// parser built in; Node's fetch (undici) instead compiles a WebAssembly parser at its first request,
// a one-time cost main never pays. Loopback http only; Node never emits `redirect` or `login` (a 3xx
// comes back as the response, which is what clientRequestFetch returns for one too).
import { request } from 'node:http';
import type { ClientRequestLike, ClientRequestOptions } from '../main/core/client-request-fetch';

export function nodeClientRequest(options: ClientRequestOptions): ClientRequestLike {
  if (!options.url.startsWith('http://')) throw new Error(`loopback http only, not ${options.url}`);
  return request(options.url, { method: options.method }) as unknown as ClientRequestLike;
}
