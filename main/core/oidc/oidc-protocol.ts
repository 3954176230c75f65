import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  type Configuration,
  calculatePKCECodeChallenge,
  fetchUserInfo,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  refreshTokenGrant,
  tokenRevocation,
} from 'openid-client';
import type { Result } from '../../../common/errors';
import type { SessionUser } from '../../../common/session';
import type { Settings } from '../../../common/settings';
import type { AuthClient, FetchLike } from '../auth-client';
import type { AuthProtocol, SignInGrant } from '../auth-protocol';
import type { LifetimeClues } from '../auth-responses';
import { type Logger, silentLogger } from '../logger';
import { realTimers, type Timers } from '../timers';
import { claimsNamePerson, userFromIdClaims } from './id-claims';
import { pageLocale } from './loopback-pages';
import { CANCELLED, DEFAULT_CALLBACK_TIMEOUT_MS, openLoopback } from './loopback-server';
import { discoverProvider, endpointProblem, onProviderClock, type ProviderClock } from './oidc-discovery';
import { type OidcOperation, oidcErrorInfo, withErrorBody } from './oidc-errors';
import { audienceParameters, grantFromResponse, type TokenResponse } from './oidc-grant';

/** How long a discovered provider configuration is used before discovery is asked again (a day). */
export const DISCOVERY_MAX_AGE_MS = 24 * 3600_000;
/** After a failed renewal, how long the earlier configuration is used before discovery is tried again. */
export const DISCOVERY_RETRY_MS = 5 * 60_000;

/** Opens a URL in the system browser: Electron's `shell.openExternal` in the app, a Playwright page in tests. */
export type OpenExternal = (url: string) => Promise<void>;

export interface OidcProtocolDeps {
  settings: Settings;
  fetch: FetchLike;
  /** The API's auth client, used for `GET mePath` with the provider's access token. */
  api: AuthClient;
  openExternal?: OpenExternal;
  timers?: Timers;
  now?: () => number;
  logger?: Logger;
  /** How long the loopback listener waits for the browser (default 5 min). */
  callbackTimeoutMs?: number;
}

/**
 * OpenID Connect as an AuthProtocol (RFC 8252 native app): authorization code + PKCE (S256) in the
 * system browser, a one-shot loopback redirect on 127.0.0.1, `state` and `nonce` checked and the ID
 * token validated by openid-client; refresh, RFC 7009 revocation and RP-initiated logout where the
 * provider advertises them. Discovery runs at first use and again once a day (see `provider()`).
 */
export function createOidcProtocol(deps: OidcProtocolDeps): AuthProtocol {
  const { settings, api } = deps;
  const logger = deps.logger ?? silentLogger;
  const timers = deps.timers ?? realTimers;
  const now = deps.now ?? Date.now;
  /**
   * What the token or revocation endpoint's error means, its OAuth error read also beside a challenge
   * (withErrorBody); `sent`: what the request carried, never quoted back.
   */
  const endpointError = async (operation: OidcOperation, error: unknown, sent: readonly string[]) =>
    oidcErrorInfo(operation, await withErrorBody(error), now(), sent);
  const extra = audienceParameters(settings.oidcAudience);
  /** The discovery running now, if any (callers share it). */
  let discovering: Promise<Result<Configuration>> | null = null;
  /** The latest discovered configuration, and when (timers' monotonic clock) it is next asked again. */
  let known: { config: Configuration; renewAt: number } | null = null;
  /** The provider's clock against ours, as its latest answer told it (oidc-discovery). */
  const clock: ProviderClock = { skewSeconds: 0 };
  const skewed = new Map<number, Configuration>();
  /** A discovery made for a skew (see `provider`), if one runs now. */
  let rediscovering: { skew: number; result: Promise<Result<Configuration>> } | null = null;
  const monotonic = () => (timers.monotonicNow ? timers.monotonicNow() : now());

  /**
   * The discovered provider, checking ID token times by its clock. Discovery is asked again once a
   * day (DISCOVERY_MAX_AGE_MS), so moved endpoints or a new JWKS location reach an app left running;
   * when that fails, the earlier configuration stays in use and discovery is tried again in
   * DISCOVERY_RETRY_MS. Without an earlier configuration a failure is not kept: the next call (or
   * refresh retry) tries again. `forRefresh`: asked for a refresh (see discoverProvider); a call that
   * joins a discovery already running shares its reading.
   */
  async function provider(forRefresh = false): Promise<Result<Configuration>> {
    let base: Configuration;
    if (known !== null && monotonic() < known.renewAt) base = known.config;
    else {
      discovering ??= renew(forRefresh);
      const result = await discovering;
      if (!result.ok) return result;
      base = result.value;
    }
    const skew = clock.skewSeconds;
    const made = onProviderClock(base, skew, skewed);
    if (made !== null) return { ok: true, value: made };
    // One only discovery can make (Entra ID's multi-tenant issuer): discovered again with the skew,
    // once per skew (callers share it). Failing that, the configuration as discovered.
    if (rediscovering?.skew !== skew) {
      const running = { skew, result: discoverProvider(settings, deps.fetch, now, clock, forRefresh, skew) };
      rediscovering = running;
      void running.result.finally(() => {
        if (rediscovering === running) rediscovering = null;
      });
    }
    const again = await rediscovering.result;
    if (!again.ok) {
      logger.warn('provider discovery with the provider’s clock failed', { code: again.error.code });
      return { ok: true, value: base };
    }
    skewed.clear();
    skewed.set(skew, again.value);
    return again;
  }

  /** Discovery again: the configuration to use from now on (the earlier one when discovery fails). */
  async function renew(forRefresh: boolean): Promise<Result<Configuration>> {
    const result = await discoverProvider(settings, deps.fetch, now, clock, forRefresh);
    discovering = null;
    if (result.ok) {
      known = { config: result.value, renewAt: monotonic() + DISCOVERY_MAX_AGE_MS };
      skewed.clear();
      return result;
    }
    logger.warn('provider discovery failed', {
      code: result.error.code,
      ...(known ? { keeping: 'the earlier discovery' } : {}),
    });
    if (known === null) return result;
    known.renewAt = monotonic() + DISCOVERY_RETRY_MS;
    return { ok: true, value: known.config };
  }

  /**
   * A token endpoint call, and when its answer came (for a lifetime told by `exp` alone, see
   * grantFromResponse): our clock, and the provider's — the `Date` of an answer received during the
   * call (the token endpoint's, or that of the JWKS fetched to check its ID token: the same provider
   * within seconds), else our clock corrected by the provider's skew known from earlier answers.
   */
  async function tokenCall(
    call: () => Promise<TokenResponse>,
    sentRefreshToken?: string,
  ): Promise<{ response: TokenResponse; clues: LifetimeClues }> {
    const datedBefore = clock.datedAnswers ?? 0;
    const response = await call();
    const receivedAt = now();
    const serverDate =
      (clock.datedAnswers ?? 0) > datedBefore && clock.lastDate !== undefined
        ? clock.lastDate
        : clock.skewSeconds !== 0
          ? receivedAt + clock.skewSeconds * 1000
          : undefined;
    return {
      response,
      clues: {
        receivedAt,
        ...(serverDate === undefined ? {} : { serverDate }),
        ...(sentRefreshToken === undefined ? {} : { sentRefreshToken }),
      },
    };
  }

  async function browserSignIn(signal: AbortSignal): Promise<Result<SignInGrant>> {
    const openExternal = deps.openExternal;
    if (!openExternal)
      return { ok: false, error: { code: 'BROWSER_UNAVAILABLE', message: 'No system browser is available' } };
    const config = await provider();
    if (!config.ok) return config;
    if (signal.aborted) return { ok: false, error: CANCELLED };
    // The endpoint comes from the discovery document: a hostile one must not make the app open `file:`
    // or a custom scheme, nor a provider's mistake open a tab that cannot load (port 0).
    const endpoint = config.value.serverMetadata().authorization_endpoint;
    const problem = endpoint
      ? endpointProblem(endpoint)
      : "the provider's discovery document names no authorization endpoint";
    if (problem !== null)
      return { ok: false, error: { code: 'OIDC_MISCONFIGURED', message: `Sign-in: ${problem}` } };
    const verifier = randomPKCECodeVerifier();
    const state = randomState();
    const nonce = randomNonce();
    const listener = await openLoopback({
      expectedState: state,
      signal,
      timeoutMs: deps.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
      timers,
      locale: pageLocale(settings.locale),
      logger,
    });
    if (!listener.ok) return listener;
    const { redirectUri, callback, close } = listener.value;
    try {
      const url = buildAuthorizationUrl(config.value, {
        redirect_uri: redirectUri,
        scope: settings.oidcScopes,
        code_challenge: await calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      // Cancelled while the listener opened or the challenge was computed: no tab for a sign-in that ended.
      if (signal.aborted) return { ok: false, error: CANCELLED };
      logger.info('opening the system browser for sign-in', { provider: url.host });
      // Raced against the callback, which settles on Cancel and on the timeout too: a launch that never
      // settles (Windows' "How do you want to open this?" left open) must not hold the sign-in, nor
      // its listener, and a browser that came back goes on whatever the launch still says.
      const launchFailed = await Promise.race([
        openExternal(url.href).then(
          () => null,
          (error: unknown): Result<never> => {
            logger.warn('the system browser could not be opened', { error });
            return {
              ok: false,
              error: { code: 'BROWSER_UNAVAILABLE', message: 'The system browser could not be opened' },
            };
          },
        ),
        callback.then(() => null),
      ]);
      if (launchFailed) return launchFailed;
      const answer = await callback;
      if (!answer.ok) return answer;
      const result = await exchange(config.value, answer.value.url, verifier, state, nonce);
      // Cancelled during the exchange: the session drops the grant (and revokes it), the tab says so.
      answer.value.finish(signal.aborted ? 'cancelled' : result.ok ? 'success' : 'failure');
      return result;
    } finally {
      close();
    }
  }

  /** Code → tokens; openid-client checks state, iss, PKCE, the ID token and its nonce. */
  async function exchange(
    config: Configuration,
    callbackUrl: URL,
    pkceCodeVerifier: string,
    expectedState: string,
    expectedNonce: string,
  ): Promise<Result<SignInGrant>> {
    try {
      const { response, clues } = await tokenCall(() =>
        authorizationCodeGrant(
          config,
          callbackUrl,
          { pkceCodeVerifier, expectedState, expectedNonce, idTokenExpected: true },
          extra,
        ),
      );
      const grant = grantFromResponse(response, clues);
      if (!grant.ok) return grant;
      const { refreshToken, idClaims } = grant.value;
      const sub = typeof idClaims?.sub === 'string' ? idClaims.sub : undefined;
      if (refreshToken === undefined) {
        return {
          ok: false,
          error: {
            code: 'OIDC_MISCONFIGURED',
            key: 'oidcScopes',
            message:
              'The identity provider issued no refresh token: request offline_access (or allow refresh tokens for this client)',
          },
        };
      }
      if (sub === undefined)
        return { ok: false, error: { code: 'BAD_RESPONSE', message: 'The ID token has no sub' } };
      return { ok: true, value: { ...grant.value, refreshToken, username: sub } };
    } catch (error) {
      // The code (in the callback URL) and the PKCE verifier went to the token endpoint.
      const code = callbackUrl.searchParams.get('code');
      const info = await endpointError(
        'sign-in',
        error,
        code ? [code, pkceCodeVerifier] : [pkceCodeVerifier],
      );
      logger.warn('sign-in answer rejected', { code: info.code, message: info.message });
      return { ok: false, error: info };
    }
  }

  /** `GET userinfo` with the access token; null when unavailable (an API-audience token is often refused). */
  async function userinfo(accessToken: string, sub: string): Promise<Record<string, unknown> | null> {
    const config = await provider();
    if (!config.ok || !config.value.serverMetadata().userinfo_endpoint) return null;
    try {
      return { ...(await fetchUserInfo(config.value, accessToken, sub)) };
    } catch (error) {
      logger.info('userinfo unavailable', {
        code: oidcErrorInfo('userinfo', error, now(), [accessToken]).code,
      });
      return null;
    }
  }

  return {
    mode: 'oidc',

    signIn(request) {
      if (request.kind !== 'browser')
        return Promise.resolve({
          ok: false,
          error: { code: 'INVALID_CONFIG', key: 'authMode', message: 'Not a browser sign-in' },
        });
      return browserSignIn(request.signal);
    },

    async refresh(refreshToken) {
      const config = await provider(true);
      if (!config.ok) return config;
      try {
        const { response, clues } = await tokenCall(
          () => refreshTokenGrant(config.value, refreshToken, extra),
          refreshToken,
        );
        return grantFromResponse(response, clues);
      } catch (error) {
        return {
          ok: false,
          error: await endpointError('refresh', error, [refreshToken]),
        };
      }
    },

    async revoke(refreshToken, accessToken) {
      const config = await provider();
      if (!config.ok) return config;
      if (!config.value.serverMetadata().revocation_endpoint) return { ok: true, value: 'unsupported' };
      // The access token too, alongside, where the provider can (an opaque one; a JWT access token is
      // often refused as unsupported_token_type): its failure is logged, not reported, the refresh
      // token's is what the person is told about. Both are read alike (an OAuth error beside a challenge too).
      const access = accessToken
        ? tokenRevocation(config.value, accessToken, { token_type_hint: 'access_token' }).catch(
            async (error) => {
              logger.info('access token not revoked', {
                code: (await endpointError('revoke', error, [accessToken])).code,
              });
            },
          )
        : Promise.resolve();
      if (refreshToken === null) {
        await access;
        return { ok: true, value: 'unsupported' };
      }
      try {
        await tokenRevocation(config.value, refreshToken, { token_type_hint: 'refresh_token' });
        return { ok: true, value: 'revoked' };
      } catch (error) {
        return {
          ok: false,
          error: await endpointError('revoke', error, [refreshToken]),
        };
      } finally {
        await access;
      }
    },

    async endSession(idToken) {
      const config = await provider();
      const endpoint = config.ok ? config.value.serverMetadata().end_session_endpoint : undefined;
      if (!config.ok || !endpoint || !deps.openExternal) return;
      // From the discovery document, as the authorization endpoint: checked before a URL is built on it.
      const problem = endpointProblem(endpoint);
      if (problem !== null) {
        logger.warn('the provider sign-out page is not opened', { problem });
        return;
      }
      const url = buildEndSessionUrl(config.value, {
        client_id: settings.oidcClientId,
        ...(idToken ? { id_token_hint: idToken } : {}),
      });
      try {
        await deps.openExternal(url.href);
        logger.info('opened the provider sign-out page', { provider: url.host });
      } catch (error) {
        logger.warn('the provider sign-out page could not be opened', { error });
      }
    },

    async profile({ accessToken, username, idClaims }): Promise<Result<SessionUser>> {
      if (settings.mePath !== '') {
        const me = await api.me(accessToken);
        if (me.ok) return me;
        logger.info('API profile unavailable; using the ID token', { code: me.error.code });
      }
      let claims: Record<string, unknown> = idClaims ?? {};
      if (!claimsNamePerson(claims)) {
        const info = await userinfo(accessToken, typeof claims.sub === 'string' ? claims.sub : username);
        // The ID token's own claims win over userinfo's.
        if (info) claims = { ...info, ...claims };
      }
      const user = userFromIdClaims(claims, username);
      return user
        ? { ok: true, value: user }
        : { ok: false, error: { code: 'BAD_RESPONSE', message: 'The provider described no user' } };
    },
  };
}
