// authOverhead where the renderer runs: the app's ky client (`createApiClient`, bundled with esbuild as
// the renderer bundles it) in a real Chromium page, against `fetch` with a fixed Authorization header
// and bare ky, same page, same endpoint, same server (a child process), alternating batches.
//
// The page is served by the reference server itself, so the API is same-origin (no CORS, no Playwright
// route in the way: the browser host routes every API call through Playwright, which would swamp what is
// measured). The bridge is a stand-in that answers with the grant main handed out at sign-in: on the
// path measured here (a known-good grant in the page's memory) the client never asks the bridge. The
// Node authOverhead does not cover the bridge and the core either: there too the measured calls use the
// page's cached grant (the bridge is asked once, in the warm-up), so it measures the renderer client, ky
// and fetch. The hand-off through the handler table and core is `handoff`. Chromium coarsens `performance.now()` to 100 µs for
// a page that is not cross-origin isolated, so the page times whole batches (≥ 25 ms each) and a side's
// figure for a round is the median of its per-request batch means.
import { chromium } from '@playwright/test';
import { bundleForPage } from '../e2e/support/bridge-bundle';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';
import { startChildServer } from './child-server';
import type { PageOverheadOptions, PageOverheadRun } from './page-client';
import { acrossRounds, median, type RoundFigure, round } from './stats';

export interface ChromiumOverheadResult {
  /** The app's client: per-round median batch mean / plain fetch's (target ≤ 1.10). */
  ratio: RoundFigure;
  /** Bare ky (fixed header, no hooks) against plain fetch. */
  bareKyRatio: RoundFigure;
  /** The app's client / bare ky: the token path's own share. */
  ratioVsKy: RoundFigure;
  /** Per-request means (ms), median over all batches. */
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

const SIDES = ['app', 'fetch', 'bareKy'] as const;
type Side = (typeof SIDES)[number];

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
    const { accessToken, expiresIn } = (await signIn.json()) as { accessToken: string; expiresIn: number };
    const page = await (await browser.newContext()).newPage();
    // Any document of the server's origin: the page only needs to be same-origin with the API.
    await page.goto(`${server.url}/health`);
    await page.evaluate(bundle);
    const options: PageOverheadOptions = {
      base: server.url,
      grant: { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + expiresIn * 1000 },
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
    const batches = run.batches as Record<Side, number[][]>;
    const { failures } = run;
    const perRound = (side: Side) => batches[side].map(median);
    const ratioOf = (side: Side, base: Side) =>
      acrossRounds(perRound(side).map((value, r) => value / (perRound(base)[r] as number)));
    return {
      ratio: ratioOf('app', 'fetch'),
      bareKyRatio: ratioOf('bareKy', 'fetch'),
      ratioVsKy: ratioOf('app', 'bareKy'),
      appMs: round(median(batches.app.flat())),
      fetchMs: round(median(batches.fetch.flat())),
      bareKyMs: round(median(batches.bareKy.flat())),
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
