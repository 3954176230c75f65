// What main runs before Electron can be ready: its built bundle (out/main/index.js, after
// `npm run build`) evaluated in fresh Node processes up to `await app.whenReady()`, with a stand-in for
// the `electron` module (bench/main-start-child.mjs, bench/electron-stub.mjs: Electron cannot be launched
// here). Whatever runs there delays Electron's `ready`, and so the window. Per round the median of
// `processes` fresh processes; also whether any of them had loaded Node's fetch implementation (undici),
// which main loads only once the window is open (main/core/ky-loader.ts), and the size of the entry
// chunk and of the chunks it loads later.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { lastJsonLine } from './child-result';
import { acrossRounds, DEFAULT_ROUNDS, median, type RoundFigure } from './stats';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const CHILD = resolve(import.meta.dirname, 'main-start-child.mjs');

export interface MainStartResult {
  /** Import of the bundle up to `app.whenReady()` (ms): per round, the median of its processes. */
  ms: RoundFigure;
  /** Processes that had loaded undici by then (0 expected). */
  undiciLoaded: number;
  processesPerRound: number;
  rounds: number;
  /** out/main/index.js, which runs at every launch. */
  entryBytes: number;
  /** out/main/chunks/*: loaded later, or never (electron-updater's, when updates are off). */
  chunkBytes: Record<string, number>;
  /** The Node that evaluated it (Electron embeds its own: the figure moves with the version). */
  node: string;
}

export async function runMainStart(
  options: { rounds?: number; processes?: number } = {},
): Promise<MainStartResult> {
  const { rounds = DEFAULT_ROUNDS, processes = 4 } = options;
  const entry = join(ROOT, 'out', 'main', 'index.js');
  const chunksDir = join(ROOT, 'out', 'main', 'chunks');
  const chunkBytes = Object.fromEntries(
    readdirSync(chunksDir).map((file) => [file, statSync(join(chunksDir, file)).size]),
  );
  const perRound: number[] = [];
  let undiciLoaded = 0;
  for (let r = 0; r < rounds; r++) {
    const times: number[] = [];
    for (let p = 0; p < processes; p++) {
      const userData = mkdtempSync(join(tmpdir(), 'tessera-main-start-'));
      try {
        const { stdout } = await run(process.execPath, [CHILD], {
          env: { ...process.env, TESSERA_BENCH_USER_DATA: userData },
          timeout: 60_000,
        });
        const line = lastJsonLine<{ ms: number; undiciLoaded: boolean }>(stdout);
        times.push(line.ms);
        if (line.undiciLoaded) undiciLoaded += 1;
      } finally {
        rmSync(userData, { recursive: true, force: true });
      }
    }
    perRound.push(median(times));
  }
  return {
    ms: acrossRounds(perRound, 1),
    undiciLoaded,
    processesPerRound: processes,
    rounds,
    entryBytes: statSync(entry).size,
    chunkBytes,
    node: process.version,
  };
}
