// `soakHeap`: the soak of bench/soak.ts (two windows × 50 requests/s through the full app path, 5-second
// access tokens, real time) run by `npm run bench` in a child process, reduced to the core's heap slope.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SoakResult } from './soak';
import type { RoundFigure } from './stats';

const SOAK = resolve(import.meta.dirname, 'soak.ts');

export interface SoakHeapResult {
  minutes: number;
  /** Least-squares slope of heapUsed after a full GC, sampled every few seconds: bytes per minute (target ≈ 0). */
  slopeBytesPerMin: number;
  /** The same slope within each of 5 equal parts of the soak (the rounds): median and min–max. */
  segmentSlopesBytesPerMin: RoundFigure;
  heapBeforeMb: number;
  heapAfterMb: number;
  samples: number;
  requests: number;
  failedRequests: number;
  refreshes: number;
  /** False when the process lacked --expose-gc: then the heap figures include garbage. */
  gcAvailable: boolean;
}

/**
 * Runs `npm run soak`'s script for `minutes` (after its 90-second warm-up) in a child process of its
 * own: the heap it measures is the soak's core and windows, not what earlier benchmarks left behind.
 */
export async function runSoakHeap(options: { minutes: number }): Promise<SoakHeapResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-soak-heap-'));
  const file = join(dir, 'soak-results.json');
  try {
    const args = [
      '--expose-gc',
      '--import',
      'tsx',
      SOAK,
      '--minutes',
      String(options.minutes),
      '--results',
      file,
    ];
    // stdout (the soak's own table) is dropped; its errors go to ours.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the soak exited with ${code}`);
    const soak = JSON.parse(readFileSync(file, 'utf8')) as SoakResult;
    return {
      minutes: soak.minutes,
      slopeBytesPerMin: soak.heapSlopeBytesPerMin,
      segmentSlopesBytesPerMin: soak.heapSegmentSlopesBytesPerMin,
      heapBeforeMb: soak.heapBeforeMb,
      heapAfterMb: soak.heapAfterMb,
      samples: soak.heapTrendMb.length,
      requests: soak.requests,
      failedRequests: soak.failedRequests,
      refreshes: soak.refreshes,
      gcAvailable: soak.gcAvailable,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
