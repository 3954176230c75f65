// bridgeForced's proof that its forced calls met the shared refresh at every stage: when each call of a
// round reached the core, against the refresh they all share. Times are this process's
// performance.now(), taken by the browser host's probe (e2e/support/browser-host.ts HostProbe) where a
// page call is handed to the handler table and where the core hands a request to fetch — the core itself
// is not instrumented.

/** One round as the probe saw it. */
export interface RoundTimeline {
  /** Every forced getAccessToken call: when it reached the handler table, when and how it was answered. */
  calls: Array<{ arrivedAt: number; answeredAt?: number; ok?: boolean }>;
  /** Every `/token/refresh` request the core sent: when it went to fetch and when the response came. */
  refreshes: Array<{ sentAt: number; answeredAt?: number }>;
}

/** How many of a round's forced calls reached the core in each stage of its refresh. */
export interface Arrivals {
  /** Before the core sent the refresh request (on loopback, in this process: it reaches the server at once). */
  beforeRefresh: number;
  /** After it was sent and before the new grant had landed: these join the refresh in flight. */
  duringRefresh: number;
  /**
   * Once the new grant had landed: the rule of `rejectedExpiresAt` must answer these with it (the grant
   * they name is no longer the current one) instead of starting a second refresh.
   */
  afterRefresh: number;
  /** When the grant landed, ms after the first forced call arrived (undefined: no call was answered with one). */
  landedAfterMs?: number;
}

/**
 * Sorts a round's forced calls by arrival against its first refresh. The grant counts as landed at the
 * first forced call answered with one: the core answers a forced call only with a grant newer than the
 * one it names, so by then the new grant was in place (it may have been a little earlier: the figure errs
 * towards "during", never towards "after"). Without a refresh, no call is "during".
 */
export function classifyArrivals(round: RoundTimeline): Arrivals {
  const sentAt = Math.min(...round.refreshes.map((r) => r.sentAt));
  const answers = round.calls.filter((c) => c.ok === true && c.answeredAt !== undefined);
  const landedAt = Math.min(...answers.map((c) => c.answeredAt as number));
  const arrivals: Arrivals = { beforeRefresh: 0, duringRefresh: 0, afterRefresh: 0 };
  for (const call of round.calls) {
    if (call.arrivedAt >= landedAt) arrivals.afterRefresh += 1;
    else if (call.arrivedAt >= sentAt) arrivals.duringRefresh += 1;
    else arrivals.beforeRefresh += 1;
  }
  const first = Math.min(...round.calls.map((c) => c.arrivedAt));
  if (Number.isFinite(landedAt) && Number.isFinite(first)) arrivals.landedAfterMs = landedAt - first;
  return arrivals;
}
