// The benchmarks that need a real page: the e2e browser host (e2e/support/browser-host.ts — the built
// renderer in Debian's Chromium, the real preload bridge in the page, the core built by the app's own
// composition root in this process behind a Playwright binding) against the reference server on
// loopback. Needs `npm run build` first (bench/run.ts runs it).
//   rendererStart: navigation → interactive sign-in form, and the renderer bundle's size.
//   bridgeForced:  200 concurrent getAccessToken({ forceRefresh, rejectedExpiresAt }) from the page.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import type { TesseraBridge } from '../common/ipc';
import type { AppHost } from '../e2e/support/app-host';
import { createLogBook } from '../e2e/support/app-logs';
import { bundlePageBridge } from '../e2e/support/bridge-bundle';
import { launchBrowserHost } from '../e2e/support/browser-host';
import { BROWSER_APP_ORIGIN } from '../e2e/support/host-names';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';
import { startRestartableServer, type TestServer } from '../test/support/test-server';
import { acrossRounds, DEFAULT_ROUNDS, type RoundFigure, round, summarize } from './stats';

export const RENDERER_DIR = join(import.meta.dirname, '..', 'out', 'renderer');

export interface RendererStartResult {
  /** Navigation start → sign-in form interactive (ms), per round of `navigationsPerRound`. */
  p50Ms: RoundFigure;
  /** p50 and p99 over all navigations. */
  allP50Ms: number;
  allP99Ms: number;
  navigationsPerRound: number;
  rounds: number;
  /** out/renderer after `npm run build`: every file, the JavaScript, the CSS, and JS + CSS gzipped. */
  bundleBytes: number;
  jsBytes: number;
  cssBytes: number;
  gzipBytes: number;
}

export interface BridgeForcedResult {
  /** Concurrent forced calls per round, all naming the one grant the server is taken to have refused. */
  calls: number;
  rounds: number;
  /** `/token/refresh` requests the reference server received per round (target 1). */
  refreshRequests: RoundFigure;
  /** Different access tokens the calls of a round were answered with (target 1). */
  distinctTokens: RoundFigure;
  failures: RoundFigure;
}

/** Name of the page global the init script writes the form's readiness time to. */
const READY_KEY = '__tesseraBenchSignInReadyAt';

/**
 * Runs in every new document before the app's scripts: records `performance.now()` (ms since the
 * navigation started) at the first DOM change after which the sign-in form is interactive — the
 * username field and the submit button present, rendered and enabled.
 */
const READY_SCRIPT = `(() => {
  const key = ${JSON.stringify(READY_KEY)};
  const ready = () => {
    const input = document.querySelector('form input[name="username"]');
    const submit = document.querySelector('form button[type="submit"]');
    return Boolean(input && submit && !input.disabled && !submit.disabled &&
      input.checkVisibility() && submit.checkVisibility());
  };
  const observer = new MutationObserver(() => {
    if (globalThis[key] === undefined && ready()) {
      globalThis[key] = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;

interface HostRun {
  host: AppHost;
  server: TestServer;
}

/** Launches Chromium and the browser host against a fresh reference server, runs `body`, cleans up. */
export async function withBrowserHost<T>(
  keychainService: string,
  body: (run: HostRun) => Promise<T>,
): Promise<T> {
  const workDir = mkdtempSync(join(tmpdir(), 'tessera-bench-browser-'));
  const [browser, bridgeScript] = await Promise.all([
    chromium.launch({
      ...CHROMIUM_LAUNCH,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
    }),
    bundlePageBridge(),
  ]);
  const server = await startRestartableServer({ dataDir: workDir, corsOrigins: [BROWSER_APP_ORIGIN] });
  let host: AppHost | null = null;
  try {
    host = await launchBrowserHost({
      browser,
      server,
      keychainService,
      workDir,
      bridgeScript,
      rendererDir: RENDERER_DIR,
      logs: createLogBook(),
      page: {
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        colorScheme: 'light',
        timezoneId: 'UTC',
      },
      now: Date.now,
      trace: false,
    });
    return await body({ host, server });
  } finally {
    await host?.close().catch(() => {});
    await server.stop();
    await browser.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Sizes of the built renderer (out/renderer). */
export function bundleSize(dir = RENDERER_DIR) {
  const files = filesUnder(dir);
  const sum = (ext: string) =>
    files.filter((f) => extname(f) === ext).reduce((total, f) => total + statSync(f).size, 0);
  const code = files.filter((f) => ['.js', '.css'].includes(extname(f)));
  return {
    bundleBytes: files.reduce((total, f) => total + statSync(f).size, 0),
    jsBytes: sum('.js'),
    cssBytes: sum('.css'),
    gzipBytes: code.reduce((total, f) => total + gzipSync(readFileSync(f)).length, 0),
  };
}

/** Navigates to the start page `rounds` × `navigations` times (signed out) and times the sign-in form. */
export async function runRendererStart(
  { host }: HostRun,
  options: { navigations?: number; rounds?: number } = {},
): Promise<RendererStartResult> {
  const { navigations = 20, rounds = DEFAULT_ROUNDS } = options;
  const page = host.window;
  await page.addInitScript({ content: READY_SCRIPT });
  const url = `${BROWSER_APP_ORIGIN}/index.html`;
  const once = async (): Promise<number> => {
    await page.goto(url, { waitUntil: 'commit' });
    const ready = await page.waitForFunction(
      (key) => (globalThis as Record<string, unknown>)[key],
      READY_KEY,
      {
        timeout: 30_000,
      },
    );
    return (await ready.jsonValue()) as number;
  };
  // Untimed: the first navigation with the script warms Chromium's caches and the core's first answers.
  await once();
  const perRound: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const samples: number[] = [];
    for (let i = 0; i < navigations; i++) samples.push(await once());
    perRound.push(samples);
  }
  const all = summarize(perRound.flat());
  return {
    p50Ms: acrossRounds(
      perRound.map((samples) => summarize(samples).p50),
      1,
    ),
    allP50Ms: round(all.p50, 1),
    allP99Ms: round(all.p99, 1),
    navigationsPerRound: navigations,
    rounds,
    ...bundleSize(),
  };
}

/**
 * Signs in from the page, then per round: reads the current grant, and fires `calls` concurrent
 * `getAccessToken({ forceRefresh: true, rejectedExpiresAt })` naming it, as that many requests that all
 * got a 401 for the same token would. Counts the refreshes the server saw and the tokens handed out.
 */
export async function runBridgeForced(
  { host, server }: HostRun,
  options: { calls?: number; rounds?: number } = {},
): Promise<BridgeForcedResult> {
  const { calls = 200, rounds = DEFAULT_ROUNDS } = options;
  const page = host.window;
  await page.evaluate(async () => {
    const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
    const view = await tessera.auth.signIn({ username: 'demo', password: 'demo-password' });
    if (view.state !== 'active') throw new Error(`sign-in from the page failed: ${view.state}`);
  });
  const refreshes: number[] = [];
  const tokens: number[] = [];
  const failures: number[] = [];
  for (let r = 0; r < rounds; r++) {
    server.clearRequests();
    const outcome = await page.evaluate(async (count) => {
      const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
      const rejected = await tessera.auth.getAccessToken();
      const answers = await Promise.allSettled(
        Array.from({ length: count }, () =>
          tessera.auth.getAccessToken({ forceRefresh: true, rejectedExpiresAt: rejected.expiresAt }),
        ),
      );
      const seen = new Set<string>();
      let failed = 0;
      for (const answer of answers) {
        if (answer.status === 'fulfilled') seen.add(answer.value.accessToken);
        else failed += 1;
      }
      return { distinct: seen.size, failed };
    }, calls);
    refreshes.push(server.requests('/token/refresh').length);
    tokens.push(outcome.distinct);
    failures.push(outcome.failed);
  }
  await page.evaluate(async () => {
    const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
    await tessera.auth.signOut();
  });
  return {
    calls,
    rounds,
    refreshRequests: acrossRounds(refreshes, 0),
    distinctTokens: acrossRounds(tokens, 0),
    failures: acrossRounds(failures, 0),
  };
}
