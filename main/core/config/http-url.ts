import { isLoopbackHost } from '../../security/network-scope';

const LOOPBACK_RULE = 'must use https unless the host is loopback (127.0.0.0/8, ::1, localhost)';

/**
 * Where a setting allows plain http: on a loopback host only (the API, the OpenID issuer, the auth
 * contract's endpoints), on any host (a PAC file, which WPAD and most PAC servers serve over http), or
 * never (the update feed, whose files are installed).
 */
export type PlainHttp = 'loopback' | 'any-host' | 'never';

const SCHEME_RULE: Record<PlainHttp, string> = {
  loopback: 'must use https (or http on a loopback host)',
  'any-host': 'must use http or https',
  never: 'must use https',
};

/**
 * Why a parsed URL is no acceptable http(s) endpoint, or null: the one http(s) URL rule of the settings.
 * An absolute http(s) URL, no user name or password, a port from 1 to 65535, and plain http only
 * where `plainHttp` allows it (https unless loopback by default). What a setting refuses besides
 * (a query, a fragment, spaces) it checks itself.
 */
export function httpUrlProblem(
  url: URL | null,
  example: string,
  plainHttp: PlainHttp = 'loopback',
): string | null {
  if (url === null) return `must be an absolute URL such as ${example}`;
  const https = url.protocol === 'https:';
  if (!https && (url.protocol !== 'http:' || plainHttp === 'never')) return SCHEME_RULE[plainHttp];
  // The URL parser accepts port 0 (and `:00`), but nothing can be connected to on it.
  if (url.port === '0') return 'must use a port from 1 to 65535, not 0';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (!https && plainHttp === 'loopback' && !isLoopbackHost(url.hostname)) return LOOPBACK_RULE;
  return null;
}
