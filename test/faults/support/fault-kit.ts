// What every fault spec shares: a reference server, the session harness of main/core (cores, captured
// logs, every secret that crossed the wire), and the checks each case ends with — no unhandled
// rejection, no token in any log line or view.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type AppPath, type AppPathOptions, createAppPath } from '../../../bench/app-path';
import type { FetchLike } from '../../../main/core/auth-client';
import type { RunningServer, ServerOptions } from '../../../server';
import { TEST_SERVICE } from '../../support/fixtures';
import { recordingFetch as recordOnTheWire } from '../../support/recording-fetch';
import { createSessionHarness } from '../../support/session-harness';
import { startQuietServer } from '../../support/test-server';

/** Anything that looks like a JWT or an opaque token (43-char base64url refresh tokens and longer). */
const TOKEN_SHAPES = [/eyJ[\w-]{4,}\.[\w-]{4,}/, /[A-Za-z0-9_-]{40,}/];

/** Fails when `text` holds something token-shaped, whether or not this run saw that token. */
export function expectNoTokenShapes(text: string): void {
  for (const shape of TOKEN_SHAPES) expect(text).not.toMatch(shape);
}

/** Default lifetimes of the reference server, restored before every case. */
export const LIFETIMES = { accessSeconds: 900, refreshSeconds: 1_209_600 } as const;

/**
 * Per-file setup. Each case ends by checking that nothing rejected unhandled; the file ends by scanning
 * every captured log line and emitted view for the secrets seen on the wire and for token shapes.
 */
export function useFaultKit(serverOptions: ServerOptions = {}) {
  const harness = createSessionHarness();
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => {
    rejections.push(reason);
  };
  let server: RunningServer | undefined;

  /**
   * Node's fetch, noting the tokens of every auth answer without waiting for (or failing on) the body:
   * a cut-off body must reach the core as the same failure it would be without this wrapper.
   */
  const recordingFetch = (inner: FetchLike = fetch): FetchLike =>
    recordOnTheWire({ inner: inner as typeof fetch, secrets: harness.secrets, background: true });

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    server = await startQuietServer(serverOptions);
  });

  beforeEach(() => {
    server?.clearRequests();
    server?.clearFaults();
    server?.setTokenLifetimes(LIFETIMES);
    server?.setClock(Date.now);
  });

  afterEach(async () => {
    await harness.cleanup();
    // Background revocations and late answers settle on the next turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rejections, 'unhandled promise rejections').toEqual([]);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await server?.close();
    harness.expectNoLeaks();
    expectNoTokenShapes(harness.logs.text());
  });

  /**
   * The whole app path (composition root, IPC table, windows) on the test keychain, its logs and views
   * recorded by the harness and disposed at cleanup. `fetch` defaults to the recording fetch.
   */
  const openApp = (apiBaseUrl: string, options: Partial<AppPathOptions> = {}): AppPath => {
    const app = createAppPath({
      apiBaseUrl,
      keychainService: TEST_SERVICE,
      fetch: recordingFetch(),
      logSink: (entry) => harness.logs.entries.push(entry),
      logLevel: 'debug',
      // The person says yes to every change of server a case makes (the dialog itself is main's).
      confirmConnectionChange: async () => true,
      ...options,
    });
    harness.track(
      app.session,
      apiBaseUrl,
      () => app.close(),
      () => app.keychainSettled(),
    );
    return app;
  };

  return {
    harness,
    recordingFetch,
    openApp,
    get server(): RunningServer {
      if (!server) throw new Error('the fault kit server is not started yet');
      return server;
    },
  };
}
