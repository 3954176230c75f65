// The benchmarks that need a real page: the e2e browser host (e2e/support/browser-host.ts — the built
// renderer in Debian's Chromium, the real preload bridge in the page, the core built by the app's own
// composition root in this process behind a Playwright binding) against the reference server on
// loopback. Needs `npm run build` first (bench/run.ts runs it).
//   rendererStart: navigation → interactive sign-in form, and the renderer bundle's size.
//   bridgeForced:  200 concurrent getAccessToken({ forceRefresh, rejectedExpiresAt }) from the page, and
//                  when they reached the core against the refresh they share (bench/bridge-arrivals.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import type { TesseraBridge } from '../common/ipc';
import type { AppHost } from '../e2e/support/app-host';
import { createLogBook } from '../e2e/support/app-logs';
import { bundlePageBridge } from '../e2e/support/bridge-bundle';
import { type HostProbe, launchBrowserHost } from '../e2e/support/browser-host';
import { BROWSER_APP_ORIGIN } from '../e2e/support/host-names';
import { FORCED_REFRESH_INTERVAL_MS } from '../main/core/session/session';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';
import { startRestartableServer, type TestServer } from '../test/support/test-server';
import { type Arrivals, classifyArrivals, type RoundTimeline } from './bridge-arrivals';
import { acrossRounds, DEFAULT_ROUNDS, type RoundFigure, round, summarize } from './stats';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  /**
   * Forced calls per round, all naming the one grant the server is taken to have refused: `calls` −
   * `secondWave` at once, then `secondWave` at once when the first of those is answered in the page
   * (absent in files from before the second wave, bridgeForced definition 1: all at once).
   */
  calls: number;
  secondWave?: number;
  rounds: number;
  /** `/token/refresh` requests the reference server received per round (target 1). */
  refreshRequests: RoundFigure;
  /** Different access tokens the calls of a round were answered with (target 1). */
  distinctTokens: RoundFigure;
  failures: RoundFigure;
  /**
   * Per round, how many of the calls reached the core (the handler table) before it sent the refresh
   * request, while it was in flight (sent, new grant not yet landed) and after the new grant had landed
   * (bench/bridge-arrivals.ts). Absent in files from before they were recorded.
   */
  arrivedBeforeRefresh?: RoundFigure;
  arrivedDuringRefresh?: RoundFigure;
  arrivedAfterRefresh?: RoundFigure;
  /** Per round: ms from the first call's arrival to the new grant's landing (rounds where one landed). */
  landedAfterMs?: RoundFigure;
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
  /** What the host's probe recorded: forced calls and refresh requests, between `start()` and `stop()`. */
  bridgeRecorder: BridgeRecorder;
}

/** Records, while started, the page's forced getAccessToken calls and the core's refresh requests. */
export interface BridgeRecorder {
  probe: HostProbe;
  start(): void;
  stop(): RoundTimeline;
}

const forced = (channel: unknown, payload: unknown): boolean =>
  channel === 'auth:get-access-token' &&
  typeof payload === 'object' &&
  payload !== null &&
  (payload as { forceRefresh?: unknown }).forceRefresh === true;

export function createBridgeRecorder(now: () => number = () => performance.now()): BridgeRecorder {
  let round: RoundTimeline | null = null;
  return {
    probe: {
      call(channel, payload) {
        if (!round || !forced(channel, payload)) return undefined;
        const entry: RoundTimeline['calls'][number] = { arrivedAt: now() };
        round.calls.push(entry);
        return (answer) => {
          entry.answeredAt = now();
          entry.ok = (answer as { ok?: unknown } | null)?.ok === true;
        };
      },
      request(url) {
        if (!round || new URL(url).pathname !== '/token/refresh') return undefined;
        const entry: RoundTimeline['refreshes'][number] = { sentAt: now() };
        round.refreshes.push(entry);
        return () => {
          entry.answeredAt = now();
        };
      },
    },
    start() {
      round = { calls: [], refreshes: [] };
    },
    stop() {
      const recorded = round ?? { calls: [], refreshes: [] };
      round = null;
      return recorded;
    },
  };
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
  const bridgeRecorder = createBridgeRecorder();
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
      probe: bridgeRecorder.probe,
    });
    return await body({ host, server, bridgeRecorder });
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
 * Signs in from the page, then per round (each after the core's forced-refresh window has passed): reads
 * the current grant, and fires `calls` − `secondWave` concurrent `getAccessToken({ forceRefresh: true,
 * rejectedExpiresAt })` naming it, as that many requests that all got a 401 for the same token would,
 * and the other `secondWave` once the first of them is answered (still naming it). Counts the refreshes the server saw and the tokens handed out,
 * and when the calls reached the core against the refresh (`classifyArrivals`): one refresh and one token
 * prove single flight only for the calls that met the refresh in flight, and the `rejectedExpiresAt`
 * rule only for those that came after the new grant had landed.
 */
export async function runBridgeForced(
  { host, server, bridgeRecorder }: HostRun,
  options: { calls?: number; rounds?: number } = {},
): Promise<BridgeForcedResult> {
  const { calls = 200, rounds = DEFAULT_ROUNDS } = options;
  const secondWave = Math.floor(calls / 2);
  const page = host.window;
  await page.evaluate(async () => {
    const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
    const view = await tessera.auth.signIn({ username: 'demo', password: 'demo-password' });
    if (view.state !== 'active') throw new Error(`sign-in from the page failed: ${view.state}`);
  });
  const refreshes: number[] = [];
  const tokens: number[] = [];
  const failures: number[] = [];
  const arrivals: Arrivals[] = [];
  for (let r = 0; r < rounds; r++) {
    // The core allows one forced refresh per FORCED_REFRESH_INTERVAL_MS: back to back, every round after
    // the first had all its calls wait out the previous round's window (~1 s) before one refresh, and
    // none met a refresh in flight. Waiting it out makes every round the first round's case.
    if (r > 0) await sleep(FORCED_REFRESH_INTERVAL_MS + 200);
    server.clearRequests();
    // Started before the page reads the grant: that read is not a forced call, so it is not recorded.
    bridgeRecorder.start();
    const outcome = await page.evaluate(
      async ([count, later]) => {
        const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
        const rejected = await tessera.auth.getAccessToken();
        // No function is given a name here: the page has no __name helper, which tsx adds for one.
        const options = { forceRefresh: true, rejectedExpiresAt: rejected.expiresAt };
        const first = Array.from({ length: count - later }, () => tessera.auth.getAccessToken(options));
        // The second wave once the first answer is back in the page: the new grant has landed, and these
        // still name the old one, as requests that got their 401 late would.
        await Promise.race(
          first.map((answer) =>
            answer.then(
              () => undefined,
              () => undefined,
            ),
          ),
        );
        const second = Array.from({ length: later }, () => tessera.auth.getAccessToken(options));
        const answers = await Promise.allSettled([...first, ...second]);
        const seen = new Set<string>();
        let failed = 0;
        for (const answer of answers) {
          if (answer.status === 'fulfilled') seen.add(answer.value.accessToken);
          else failed += 1;
        }
        return { distinct: seen.size, failed };
      },
      [calls, secondWave] as const,
    );
    arrivals.push(classifyArrivals(bridgeRecorder.stop()));
    refreshes.push(server.requests('/token/refresh').length);
    tokens.push(outcome.distinct);
    failures.push(outcome.failed);
  }
  await page.evaluate(async () => {
    const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
    await tessera.auth.signOut();
  });
  const landed = arrivals.flatMap((a) => (a.landedAfterMs === undefined ? [] : [a.landedAfterMs]));
  return {
    calls,
    secondWave,
    rounds,
    refreshRequests: acrossRounds(refreshes, 0),
    distinctTokens: acrossRounds(tokens, 0),
    failures: acrossRounds(failures, 0),
    arrivedBeforeRefresh: acrossRounds(
      arrivals.map((a) => a.beforeRefresh),
      0,
    ),
    arrivedDuringRefresh: acrossRounds(
      arrivals.map((a) => a.duringRefresh),
      0,
    ),
    arrivedAfterRefresh: acrossRounds(
      arrivals.map((a) => a.afterRefresh),
      0,
    ),
    ...(landed.length > 0 ? { landedAfterMs: acrossRounds(landed, 1) } : {}),
  };
}
