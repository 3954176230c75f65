// What the page's connect wizard may ask main for, with its limits: one probe in flight (a newer one
// replaces it, the older answers CANCELLED) and one trial sign-in at a time (another is refused while
// it runs). The page is untrusted, so both take the URL through the apiBaseUrl rule; IT's policy
// applies to both before any request (a locked apiBaseUrl, the allowedApiOrigins allow-list); and a
// trial that would send the password to another server asks the person first (trial-sign-in.ts).
// A probe of a server the app does not talk to yet asks the person too, once per server: the page
// names the URL, and its host name (a DNS lookup) and path could carry out anything the page read.
import type { ProbeResult, TrySignInRequest, TrySignInResult } from '../../../common/connect';
import type { Result } from '../../../common/errors';
import type { Settings } from '../../../common/settings';
import type { FetchLike } from '../auth-client';
import type { SettingsStore } from '../contracts';
import { createLogPacer, pacedLogger } from '../log-pacing';
import type { Logger } from '../logger';
import { originOf } from '../session/model';
import type { ConfirmConnectionChange } from './connection-change';
import { probeApi } from './probe';
import { allowedOriginList, checkAllowedOrigins, sendsTo } from './sends-to';
import { parseSetting } from './settings-table';
import { checkUnlocked, trySignIn } from './trial-sign-in';

export interface ConnectService {
  /** Probes the typed URL (probe.ts); a newer call cancels the one before. */
  probe(url: string): Promise<Result<ProbeResult>>;
  /** Signs in once at the candidate and discards the tokens (trial-sign-in.ts); one at a time. */
  trySignIn(request: TrySignInRequest): Promise<Result<TrySignInResult>>;
  /** Cancels a probe in flight (at quit). */
  dispose(): void;
}

export interface ConnectServiceDeps {
  fetch: FetchLike;
  /** The effective settings, and (view) which of them IT's policy locks. */
  settings: Pick<SettingsStore, 'current' | 'view'>;
  confirm?: ConfirmConnectionChange;
  logger: Logger;
  now?: () => number;
}

/**
 * IT's word on a probe, before any request: a locked apiBaseUrl is probed only as it is, and the URL's
 * origin must be in a non-empty allowedApiOrigins. A URL the setting refuses passes here: the probe
 * itself answers INVALID_CONFIG for it, sending nothing.
 */
function probePolicy(url: string, settings: Pick<SettingsStore, 'current' | 'view'>): Result<void> {
  const parsed = parseSetting('apiBaseUrl', url);
  if (!parsed.success) return { ok: true, value: undefined };
  const current = settings.current();
  const unlocked = checkUnlocked(settings.view().managed, current, { apiBaseUrl: parsed.data });
  if (!unlocked.ok) return unlocked;
  return checkAllowedOrigins(current.allowedApiOrigins, [originOf(parsed.data)]);
}

/**
 * The origin of a probe the person must confirm first, or null: a server the current settings send
 * nothing to, that IT's non-empty allowedApiOrigins does not name, and that the person has not
 * confirmed a probe of since the app started. Null for a URL the setting refuses (the probe refuses it).
 */
function probeNeedsYes(url: string, current: Settings, confirmed: ReadonlySet<string>): string | null {
  const parsed = parseSetting('apiBaseUrl', url);
  if (!parsed.success) return null;
  const origin = originOf(parsed.data);
  const vouched = [...sendsTo(current), ...allowedOriginList(current.allowedApiOrigins)];
  return vouched.includes(origin) || confirmed.has(origin) ? null : origin;
}

/** Builds the wizard's service over the app's fetch port and settings (the composition root calls it). */
export function createConnectService(deps: ConnectServiceDeps): ConnectService {
  // The page can probe and try in a loop: every line either writes (its "finished" line, the trial's
  // requests) is paced as IPC refusals are, one of a kind a minute with a count of those left out.
  const logger = pacedLogger(deps.logger, createLogPacer(deps.now));
  let probing: AbortController | null = null;
  let trying = false;
  /** The servers the person said yes to probing, for as long as the app runs. */
  const probeConfirmed = new Set<string>();
  const askProbe = async (origin: string, current: Settings): Promise<Result<void>> => {
    if (!deps.confirm)
      return {
        ok: false,
        error: { code: 'CONFIRMATION_REQUIRED', message: 'Checking another server needs your confirmation.' },
      };
    const yes = await deps.confirm({
      keys: ['apiBaseUrl'],
      fromOrigin: originOf(current.apiBaseUrl),
      toOrigin: origin,
      toIssuer: null,
      newOrigins: [origin],
      locale: current.locale,
      purpose: 'probe',
    });
    return yes
      ? { ok: true, value: undefined }
      : {
          ok: false,
          error: { code: 'CANCELLED', message: 'Checking the server was not confirmed; nothing was sent.' },
        };
  };
  return {
    async probe(url) {
      const refused = probePolicy(url, deps.settings);
      if (!refused.ok) {
        logger.info('connect probe finished', { outcome: refused.error.code });
        return refused;
      }
      const current = deps.settings.current();
      const unknown = probeNeedsYes(url, current, probeConfirmed);
      if (unknown !== null) {
        const asked = await askProbe(unknown, current);
        if (!asked.ok) {
          logger.info('connect probe finished', { outcome: asked.error.code });
          return asked;
        }
        probeConfirmed.add(unknown);
        // The policy may have changed while the dialog was open: IT's word as it is now.
        const still = probePolicy(url, deps.settings);
        if (!still.ok) return still;
      }
      probing?.abort();
      const controller = new AbortController();
      probing = controller;
      try {
        const result = await probeApi(url, {
          fetch: deps.fetch,
          timeoutMs: deps.settings.current().requestTimeoutMs,
          signal: controller.signal,
        });
        logger.info('connect probe finished', {
          outcome: result.ok ? result.value.reason : result.error.code,
        });
        return result;
      } finally {
        if (probing === controller) probing = null;
      }
    },
    async trySignIn({ username, password, ...candidate }) {
      if (trying)
        return {
          ok: false,
          error: { code: 'INVALID_REQUEST', message: 'A trial sign-in is already running.' },
        };
      trying = true;
      try {
        const result = await trySignIn(
          {
            fetch: deps.fetch,
            current: () => deps.settings.current(),
            managed: () => deps.settings.view().managed,
            logger,
            ...(deps.confirm ? { confirm: deps.confirm } : {}),
            ...(deps.now ? { now: deps.now } : {}),
          },
          candidate,
          { username, password },
        );
        logger.info('connect trial sign-in finished', {
          outcome: result.ok ? result.value.discarded : result.error.code,
        });
        return result;
      } finally {
        trying = false;
      }
    },
    dispose() {
      probing?.abort();
      probing = null;
    },
  };
}
