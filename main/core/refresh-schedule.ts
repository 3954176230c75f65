/** The longest refresh lead: refresh a minute before expiry at most. */
const MAX_LEAD_MS = 60_000;
/** Share of the lifetime used as lead for short-lived tokens (a 2 s token refreshes after ~1.5 s). */
const LEAD_FRACTION = 0.25;
/** Share of the lead that jitter may take off, so clients sharing a lifetime do not refresh in lockstep. */
const JITTER_FRACTION = 0.2;
/** Jitter never exceeds this, however long the lead. */
const MAX_JITTER_MS = 5_000;

/** How long before expiry a token counts as due: `min(60 s, 25 % of its lifetime)`. */
export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(MAX_LEAD_MS, Math.max(0, lifetimeMs) * LEAD_FRACTION);
}

/** True when the token is inside its lead window or already expired (both mean: refresh before use). */
export function isRefreshDue(nowMs: number, expiresAt: number, lifetimeMs: number): boolean {
  return nowMs >= expiresAt - refreshLeadMs(lifetimeMs);
}

/**
 * Local epoch ms of the proactive refresh: `expiresAt − lead − jitter`. Computed from the local
 * receive time + expiresIn only, so a wrong machine clock cannot move it.
 */
export function proactiveRefreshAt(expiresAt: number, lifetimeMs: number, random: () => number): number {
  const lead = refreshLeadMs(lifetimeMs);
  const jitter = Math.min(lead * JITTER_FRACTION, MAX_JITTER_MS) * random();
  return Math.round(expiresAt - lead - jitter);
}
