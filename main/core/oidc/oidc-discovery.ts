import {
  allowInsecureRequests,
  Configuration,
  type CustomFetch,
  clockSkew,
  customFetch,
  discovery,
  None,
} from 'openid-client';
import type { Result } from '../../../common/errors';
import { parseHttpDate } from '../../../common/http-date';
import type { Settings } from '../../../common/settings';
import { limitAnswerSize } from '../answer-size';
import { DEFAULT_REQUEST_TIMEOUT_MS, type FetchLike } from '../auth-client';
import { httpUrlProblem } from '../config/http-url';
import { followSameOriginRedirects } from '../redirects';
import { networkInTheWay, oidcErrorInfo, ProviderEndpointError } from './oidc-errors';

/** The settings discovery reads. */
export type DiscoverySettings = Pick<Settings, 'oidcIssuer' | 'oidcClientId' | 'requestTimeoutMs'>;

function misconfigured(key: string, message: string): Result<never> {
  return { ok: false, error: { code: 'OIDC_MISCONFIGURED', key, message } };
}

/**
 * Why a provider endpoint (the discovery document's, or the URL built on one) may not be used, or
 * null: the settings' one http(s) URL rule (httpUrlProblem: https, or http on a loopback host; no user
 * name or password; a port from 1 to 65535). Names the endpoint without its query or credentials.
 * Discovery itself keeps demanding the configured issuer, character for character (openid-client).
 */
export function endpointProblem(endpoint: string): string | null {
  const url = URL.parse(endpoint);
  const problem = httpUrlProblem(url, 'https://login.example.com/auth');
  if (problem === null) return null;
  return url
    ? `the provider's endpoint ${url.protocol}//${url.host}${url.pathname} ${problem}`
    : `a provider endpoint ${problem}`;
}

/**
 * openid-client's fetch hook over the core's injected fetch (Electron's net.fetch in the app: system
 * proxy and OS certificates). Every URL is checked by endpointProblem, whatever the provider's metadata
 * points at: allowing http for a loopback issuer must not allow it for anything else, and an endpoint
 * on port 0 is the document's fault (OIDC_MISCONFIGURED), not the network's.
 * openid-client asks for `redirect: 'manual'`; a redirect within the provider's origin is followed
 * (the issuer URL moved, `/realms/x` → `/realms/x/`), one to another origin is refused by name.
 * No answer is read past MAX_ANSWER_BYTES.
 */
function providerFetch(fetch: FetchLike, clock: ProviderClock): CustomFetch {
  const follow = limitAnswerSize(followSameOriginRedirects(fetch));
  return async (url, options) => {
    const problem = endpointProblem(url);
    if (problem !== null) throw new ProviderEndpointError(problem);
    const init: RequestInit & { duplex?: 'half' } = {
      method: options.method,
      headers: options.headers,
      body: options.body as RequestInit['body'],
      redirect: options.redirect,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.duplex ? { duplex: options.duplex } : {}),
    };
    const response = await follow(new Request(url, init));
    noteProviderClock(clock, response.headers.get('date'));
    return response;
  };
}

/**
 * How far the provider's clock is from this computer's, from the `Date` header of its latest answer:
 * whole minutes, 0 under a minute (latency, rounding: openid-client's 30 s tolerance covers those).
 */
export interface ProviderClock {
  skewSeconds: number;
  /**
   * The `Date` of the latest answer that had one (epoch ms, the provider's clock to the second), and
   * how many dated answers came so far: a call compares the count before and after to know whether
   * a date is from its own answers (see the OIDC protocol's `answerClues`).
   */
  lastDate?: number;
  datedAnswers?: number;
}

function noteProviderClock(clock: ProviderClock, date: string | null): void {
  const at = parseHttpDate(date);
  if (at === undefined) return;
  clock.lastDate = at;
  clock.datedAnswers = (clock.datedAnswers ?? 0) + 1;
  // openid-client checks ID token times against Date.now(), not against the app's injected clock.
  const seconds = (at - Date.now()) / 1000;
  clock.skewSeconds = Math.abs(seconds) < 60 ? 0 : Math.round(seconds / 60) * 60;
}

/**
 * `config` checking ID token times (`exp`, `nbf`) by the provider's clock: a computer whose clock is
 * off by more than an ID token's lifetime (5 min at Keycloak) would otherwise refuse every ID token,
 * at sign-in and in a refresh answer (whose rotated refresh token is then lost). openid-client takes
 * the skew only when a Configuration is made, so one is made for each new skew (the same one while it
 * stays, keeping its JWKS cache); with no skew, `config` itself. Null when only discovery can make it:
 * Entra ID's multi-tenant issuer template (`{tenantid}`) is read by openid-client from a mark only
 * discovery sets (see `discoverProvider`'s `skewSeconds`).
 */
export function onProviderClock(
  config: Configuration,
  skewSeconds: number,
  made: Map<number, Configuration>,
): Configuration | null {
  if (skewSeconds === 0) return config;
  const kept = made.get(skewSeconds);
  if (kept) return kept;
  const server = config.serverMetadata();
  if (server.issuer.includes('{tenantid}')) return null;
  const skewed = new Configuration(
    server,
    config.clientMetadata().client_id,
    { [clockSkew]: skewSeconds },
    None(),
  );
  const fetch = config[customFetch];
  if (fetch) skewed[customFetch] = fetch;
  skewed.timeout = config.timeout;
  // Only a loopback issuer was allowed http (discoverProvider).
  if (new URL(server.issuer).protocol === 'http:') allowInsecureRequests(skewed);
  made.clear();
  made.set(skewSeconds, skewed);
  return skewed;
}

/**
 * Discovers the provider at `oidcIssuer` (`/.well-known/openid-configuration`) for the public client
 * `oidcClientId`. openid-client checks that the document's `issuer` is exactly the configured one.
 * `now` is the protocol's clock (for the error mapping). `forRefresh`: the discovery a refresh needs
 * (after a restart), whose issuer worked before: a captive portal's answer (an HTML 2xx, a 511, a
 * redirect to another origin) is then NETWORK by the refresh's rule, not a wrong issuer URL.
 * `skewSeconds`: the provider clock's skew its ID token times are checked by (see `onProviderClock`).
 */
export async function discoverProvider(
  settings: DiscoverySettings,
  fetch: FetchLike,
  now: () => number,
  clock: ProviderClock = { skewSeconds: 0 },
  forRefresh = false,
  skewSeconds = 0,
): Promise<Result<Configuration>> {
  if (settings.oidcIssuer === '') return misconfigured('oidcIssuer', 'No OpenID Provider issuer URL is set');
  if (settings.oidcClientId === '')
    return misconfigured('oidcClientId', 'No OpenID Connect client ID is set');
  // The settings' one http(s) URL rule, also for an issuer that did not come through the settings schema.
  const issuer = URL.parse(settings.oidcIssuer);
  const problem = httpUrlProblem(issuer, 'https://login.example.com/realms/tessera');
  if (issuer === null || problem !== null)
    return misconfigured('oidcIssuer', `The issuer URL ${problem ?? 'is invalid'}`);
  const insecure = issuer.protocol === 'http:';
  const timeoutMs = settings.requestTimeoutMs > 0 ? settings.requestTimeoutMs : DEFAULT_REQUEST_TIMEOUT_MS;
  try {
    const metadata = skewSeconds === 0 ? undefined : { [clockSkew]: skewSeconds };
    const config = await discovery(issuer, settings.oidcClientId, metadata, None(), {
      [customFetch]: providerFetch(fetch, clock),
      timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
      // Only a loopback issuer gets here with http (checked above and by the settings schema).
      execute: insecure ? [allowInsecureRequests] : [],
    });
    return { ok: true, value: config };
  } catch (error) {
    const inTheWay = forRefresh ? networkInTheWay('refresh', error) : null;
    return { ok: false, error: inTheWay ?? oidcErrorInfo('discovery', error, now()) };
  }
}
