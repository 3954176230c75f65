// authOverhead where the renderer runs: the app's ky client (`createApiClient`, bundled with esbuild as
// the renderer bundles it) in a real Chromium page, against `fetch` with a fixed Authorization header,
// bare ky and the two peers of the Node row, same page, same endpoint, same server (a child process),
// alternating batches.
//
// The page's document has the API's origin, so the API is same-origin (no CORS). Playwright answers
// that one navigation with the headers that make the page cross-origin isolated (COOP same-origin,
// COEP require-corp) and the route is removed before anything is measured: no API call goes through
// Playwright (the browser host routes every API call through it, which would swamp what is measured).
// Isolated, the page's `performance.now()` steps in 5 µs instead of 100 µs, fine enough to time each
// request of about 2 ms, so the figure is the target's own: per-round p50 ÷ plain fetch's p50. The
// bridge is a stand-in that answers with the grant main handed out at sign-in: on the
// path measured here (a known-good grant in the page's memory) the client never asks the bridge. The
// Node authOverhead does not cover the bridge and the core either: there too the measured calls use the
// page's cached grant (the bridge is asked once, in the warm-up), so it measures the renderer client, ky
// and fetch. The hand-off through the handler table and core is `handoff`.
import { chromium } from '@playwright/test';
import { bundleForPage } from '../e2e/support/bridge-bundle';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';
import { startChildServer } from './child-server';
import type { PageOverheadOptions, PageOverheadRun } from './page-client';
import { acrossRounds, type RoundFigure, round, summarize } from './stats';

export interface ChromiumOverheadResult {
  /** The app's client: per-round p50 / plain fetch's p50 (target ≤ 1.10). */
  ratio: RoundFigure;
  /** Bare ky (fixed header, no hooks) against plain fetch, p50 ÷ p50. */
  bareKyRatio: RoundFigure;
  /** The app's client / bare ky: the token path's own share. */
  ratioVsKy: RoundFigure;
  /**
   * The peers (bench/peers.ts) against plain fetch, p50 ÷ p50: ky's readme afterResponse pattern and
   * axios + axios-auth-refresh. Absent in files recorded before they were measured here.
   */
  peers?: { naiveKy: RoundFigure; axiosAuthRefresh: RoundFigure };
  /** p50 of each side's requests (ms), all rounds together. */
  appMs: number;
  fetchMs: number;
  bareKyMs: number;
  rounds: number;
  requestsPerSide: number;
  batch: number;
  failures: number;
  browser: string;
}

const ENTRY = new URL('./page-client.ts', import.meta.url).pathname;

const SIDES = ['app', 'fetch', 'bareKy', 'naiveKy', 'axios'] as const;
type Side = (typeof SIDES)[number];

/** What makes a document cross-origin isolated (and its clock step in 5 µs). */
const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};
const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>authOverheadChromium</title>';

/** Rounds a run makes unless told otherwise (`npm run bench` prints it in its progress line). */
export const AUTH_OVERHEAD_CHROMIUM_ROUNDS = 9;

/** `rounds` × `n` GETs of /api/user/me per side, in batches of `batch`, from a Chromium page. */
export async function runAuthOverheadChromium(
  options: { n?: number; rounds?: number; warmup?: number; batch?: number } = {},
): Promise<ChromiumOverheadResult> {
  const { n = 1_000, rounds = AUTH_OVERHEAD_CHROMIUM_ROUNDS, warmup = 500, batch = 50 } = options;
  const [server, browser, bundle] = await Promise.all([
    startChildServer({ alg: 'HS256', accessTtlSeconds: 3600 }),
    // No session bus for the browser, as the browser host launches it (no keyring or a11y traffic).
    chromium.launch({ ...CHROMIUM_LAUNCH, env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' } }),
    // Minified, as the renderer build is.
    bundleForPage(ENTRY, { minify: true }),
  ]);
  try {
    const signIn = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
    });
    if (!signIn.ok) throw new Error(`sign-in on the benchmark server failed: HTTP ${signIn.status}`);
    const { accessToken, expiresIn, refreshToken } = (await signIn.json()) as {
      accessToken: string;
      expiresIn: number;
      refreshToken: string;
    };
    const page = await (await browser.newContext()).newPage();
    // A document of the server's origin, answered by Playwright with the isolation headers; the route
    // goes before the first measured call.
    const document = `${server.url}/__bench-page`;
    await page.route(document, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', headers: ISOLATION_HEADERS, body: PAGE_HTML }),
    );
    await page.goto(document);
    await page.unrouteAll();
    await page.evaluate(bundle);
    const options: PageOverheadOptions = {
      base: server.url,
      grant: { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + expiresIn * 1000 },
      peerTokens: { accessToken, refreshToken },
      n,
      rounds,
      warmup,
      batch,
      sides: SIDES,
    };
    const run = await page.evaluate(
      (measureOptions) =>
        (
          (globalThis as Record<string, unknown>).__tesseraBenchMeasure as (
            o: PageOverheadOptions,
          ) => Promise<PageOverheadRun>
        )(measureOptions),
      options,
    );
    const samples = run.samples as Record<Side, number[][]>;
    const { failures } = run;
    const p50 = (times: readonly number[]) => summarize(times).p50;
    const perRound = (side: Side) => samples[side].map(p50);
    const ratioOf = (side: Side, base: Side) =>
      acrossRounds(perRound(side).map((value, r) => value / (perRound(base)[r] as number)));
    return {
      ratio: ratioOf('app', 'fetch'),
      bareKyRatio: ratioOf('bareKy', 'fetch'),
      ratioVsKy: ratioOf('app', 'bareKy'),
      peers: { naiveKy: ratioOf('naiveKy', 'fetch'), axiosAuthRefresh: ratioOf('axios', 'fetch') },
      appMs: round(p50(samples.app.flat())),
      fetchMs: round(p50(samples.fetch.flat())),
      bareKyMs: round(p50(samples.bareKy.flat())),
      rounds,
      requestsPerSide: n,
      batch,
      failures,
      browser: `Chromium ${browser.version()}`,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runAuthOverheadChromium();
  console.log(JSON.stringify(result, null, 2));
}
