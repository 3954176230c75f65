// What the page's connect wizard may ask main for, with its limits: one probe in flight (a newer one
// replaces it, the older answers CANCELLED) and one trial sign-in at a time (another is refused while
// it runs). The page is untrusted, so both take the URL through the apiBaseUrl rule, and a trial
// that would send the password to another server asks the person first (trial-sign-in.ts).
import type { ProbeResult, TrySignInRequest, TrySignInResult } from '../../../common/connect';
import type { Result } from '../../../common/errors';
import type { FetchLike } from '../auth-client';
import type { SettingsStore } from '../contracts';
import type { Logger } from '../logger';
import type { ConfirmConnectionChange } from './connection-change';
import { probeApi } from './probe';
import { trySignIn } from './trial-sign-in';

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
  settings: Pick<SettingsStore, 'current'>;
  confirm?: ConfirmConnectionChange;
  logger: Logger;
  now?: () => number;
}

/** Builds the wizard's service over the app's fetch port and settings (the composition root calls it). */
export function createConnectService(deps: ConnectServiceDeps): ConnectService {
  let probing: AbortController | null = null;
  let trying = false;
  return {
    async probe(url) {
      probing?.abort();
      const controller = new AbortController();
      probing = controller;
      try {
        const result = await probeApi(url, {
          fetch: deps.fetch,
          timeoutMs: deps.settings.current().requestTimeoutMs,
          signal: controller.signal,
        });
        deps.logger.info('connect probe finished', {
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
            logger: deps.logger,
            ...(deps.confirm ? { confirm: deps.confirm } : {}),
            ...(deps.now ? { now: deps.now } : {}),
          },
          candidate,
          { username, password },
        );
        deps.logger.info('connect trial sign-in finished', {
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
