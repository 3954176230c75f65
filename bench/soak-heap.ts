// `soakHeap`: the soak of bench/soak.ts (two windows × 50 requests/s through the full app path, 5-second
// access tokens, real time) run inside `npm run bench`, reduced to the core's heap slope.
import { runSoak } from './soak';
import type { RoundFigure } from './stats';

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

/** Runs the soak for `minutes` (after its 10-second warm-up). */
export async function runSoakHeap(options: {
  minutes: number;
  keychainService: string;
}): Promise<SoakHeapResult> {
  const soak = await runSoak({ minutes: options.minutes, keychainService: options.keychainService });
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
}
