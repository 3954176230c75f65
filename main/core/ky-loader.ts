import type * as Ky from 'ky';

// ky, loaded on first use rather than with main's bundle. ky's module builds a fetch `Request` when it
// loads (a feature check), and the first `Request` loads Node's fetch implementation, undici: 25–35 ms
// of JavaScript that ran before Electron could be ready, delaying the window. Main loads ky once the
// window is open (main/index.ts), before the silent sign-in; tests and tools load it on first request.
// This is the only module in main that imports ky's code (test/distribution/main-bundle.test.ts).

let loaded: typeof Ky | undefined;
let loading: Promise<typeof Ky> | undefined;

/** ky's module, imported once (the bundler puts it in a chunk of its own). */
export function loadKy(): Promise<typeof Ky> {
  loading ??= import('ky').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

// ky's own type guards. Before ky is loaded nothing can have thrown one of its errors: only ky's calls
// make them, and every call in main goes through loadKy.

/** True for ky's HTTPError (a non-2xx answer). */
export function isHTTPError(error: unknown): error is Ky.HTTPError {
  return loaded?.isHTTPError(error) ?? false;
}

/** True for ky's TimeoutError (no answer within the timeout). */
export function isTimeoutError(error: unknown): error is Ky.TimeoutError {
  return loaded?.isTimeoutError(error) ?? false;
}
