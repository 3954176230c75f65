// How the admin proxy settings become Chromium's proxy configuration (Electron's `session.setProxy`).
// Electron-free: the shell only passes the result on. Chromium's own syntax is kept (the same strings
// as its `--proxy-server` and `--proxy-bypass-list` switches), so an administrator can copy what they
// already give Chrome; this module checks it, so a typo is refused with the setting named instead of
// silently sending traffic nowhere.

import { httpUrlProblem } from '../config/http-url';
import { REDACTED } from '../redact';

/** The `session.setProxy` configuration (a structural copy of Electron's `ProxyConfig`). */
export interface ProxyConfig {
  mode: 'system' | 'direct' | 'fixed_servers' | 'pac_script';
  /** `fixed_servers`: Chromium proxy rules, e.g. `http://proxy.corp:8080` or `https=p1:443;http=p2:80`. */
  proxyRules?: string;
  /** `fixed_servers`: hosts reached directly, e.g. `<local>,*.corp.example,10.0.0.0/8`. */
  proxyBypassRules?: string;
  /** `pac_script`: the PAC file's URL. */
  pacScript?: string;
}

/**
 * A PAC URL as the log shows it: every query value, the fragment and any user info hidden, the
 * scheme, host, path and the query's parameter names kept. A PAC URL often carries a site key or a
 * ticket under a name that says nothing (`?k=…`), so no value is judged by its name. No PAC URL
 * (empty) stays empty. The page, `--print-effective-settings` and the diagnostics bundle show it so too.
 */
export function pacUrlForLog(value: string): string {
  if (value === '') return '';
  const url = URL.parse(value);
  if (url === null) return REDACTED;
  const userInfo = url.username !== '' || url.password !== '' ? `${REDACTED}@` : '';
  const names = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => `${pair.split('=')[0]}=${REDACTED}`);
  const query = names.length > 0 ? `?${names.join('&')}` : '';
  const fragment = url.hash !== '' ? `#${REDACTED}` : '';
  return `${url.protocol}//${userInfo}${url.host}${url.pathname}${query}${fragment}`;
}

/** The settings this decision reads. */
export interface ProxySettings {
  proxyServer: string;
  proxyPacUrl: string;
  proxyBypassList: string;
}

/** The proxy configuration and what of the settings it could not use (said in the log). */
export interface ProxyDecision {
  config: ProxyConfig;
  /** Settings that are set but have no effect with the others (e.g. a bypass list with a PAC file). */
  ignored: string[];
}

/**
 * Which proxy the app's network stack uses. Nothing set: the system's (Windows/macOS settings, GNOME's
 * or the `*_proxy` variables on Linux, including the system PAC / WPAD), as Chromium does by default.
 * A PAC URL wins over a fixed server (a PAC file decides per URL anyway); `direct` turns proxies off.
 */
export function proxyConfigFor(settings: ProxySettings): ProxyDecision {
  const ignored: string[] = [];
  if (settings.proxyPacUrl !== '') {
    if (settings.proxyServer !== '') ignored.push('proxyServer (proxyPacUrl wins)');
    if (settings.proxyBypassList !== '') ignored.push('proxyBypassList (the PAC file decides)');
    return { config: { mode: 'pac_script', pacScript: settings.proxyPacUrl }, ignored };
  }
  if (settings.proxyServer === 'direct') {
    if (settings.proxyBypassList !== '') ignored.push('proxyBypassList (proxyServer is direct)');
    return { config: { mode: 'direct' }, ignored };
  }
  if (settings.proxyServer !== '') {
    const config: ProxyConfig = { mode: 'fixed_servers', proxyRules: settings.proxyServer };
    if (settings.proxyBypassList !== '') config.proxyBypassRules = settings.proxyBypassList;
    return { config, ignored };
  }
  if (settings.proxyBypassList !== '') ignored.push('proxyBypassList (no proxyServer: the system decides)');
  return { config: { mode: 'system' }, ignored };
}

/** True when two configurations are the same (setProxy is only called on a real change). */
export function sameProxyConfig(a: ProxyConfig, b: ProxyConfig): boolean {
  return (
    a.mode === b.mode &&
    a.proxyRules === b.proxyRules &&
    a.proxyBypassRules === b.proxyBypassRules &&
    a.pacScript === b.pacScript
  );
}

const PROXY_SCHEMES = new Set(['http', 'https', 'socks', 'socks4', 'socks5', 'direct']);
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'socks']);
// A host name, an IPv4 address or a bracketed IPv6 address, then an optional port.
const HOST_PORT =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/** Why one proxy URI (`[scheme://]host[:port]`) is unusable, or null. */
function proxyUriProblem(uri: string): string | null {
  if (uri.includes('@'))
    return 'must not contain a user name or password (Tessera asks for them when the proxy wants them)';
  const match = /^(?:([a-z0-9]+):\/\/)?(.*)$/i.exec(uri);
  const scheme = match?.[1]?.toLowerCase();
  const rest = match?.[2] ?? '';
  if (scheme !== undefined && !PROXY_SCHEMES.has(scheme))
    return `has an unknown proxy scheme "${scheme}" (use http, https, socks4, socks5 or direct)`;
  if (scheme === 'direct') return rest === '' ? null : 'must be just direct:// for a direct connection';
  const host = HOST_PORT.exec(rest);
  if (!host)
    return `must name a proxy as host:port, such as proxy.example.com:8080 (got "${rest.slice(0, 64)}")`;
  const port = host[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'has a port outside 1..65535';
  return null;
}

/**
 * Why a `proxyServer` value is unusable, or null. Accepts `direct`, or Chromium proxy rules: a
 * semicolon-separated list of `[scheme=]proxy[,proxy…]`, each proxy `[http|https|socks4|socks5://]host[:port]`.
 */
export function proxyServerProblem(value: string): string | null {
  if (value === '' || value === 'direct') return null;
  if (/[\s\p{Cc}]/u.test(value)) return 'must not contain spaces or control characters';
  for (const rule of value.split(';')) {
    if (rule === '') return 'has an empty rule (two ; in a row, or a trailing ;)';
    const eq = rule.indexOf('=');
    const list = eq === -1 ? rule : rule.slice(eq + 1);
    if (eq !== -1) {
      const scheme = rule.slice(0, eq).toLowerCase();
      if (!URL_SCHEMES.has(scheme))
        return `has a rule for an unknown URL scheme "${scheme.slice(0, 16)}" (use http, https, ftp or socks)`;
    }
    for (const uri of list.split(',')) {
      if (uri === '') return 'has an empty proxy (two , in a row)';
      const problem = proxyUriProblem(uri);
      if (problem !== null) return problem;
    }
  }
  return null;
}

/**
 * Why a `proxyPacUrl` value is unusable, or null: empty, a file URL, or an http(s) URL by the settings'
 * http(s) URL rule (`httpUrlProblem`: no user name or password, no port 0) with plain http on any host,
 * as WPAD serves it. A file URL cannot carry a user name, password or port (the URL parser refuses them).
 */
export function proxyPacUrlProblem(value: string): string | null {
  if (value === '') return null;
  if (/[\s\p{Cc}]/u.test(value)) return 'must not contain spaces or control characters';
  const url = URL.parse(value);
  if (url !== null && !['http:', 'https:', 'file:'].includes(url.protocol))
    return 'must be an http, https or file URL';
  if (url?.protocol === 'file:') return null;
  return httpUrlProblem(url, 'http://wpad.example.com/proxy.pac', 'any-host');
}

// One bypass rule: a host pattern (`*.example.com`, `.example.com`, `example.com:8080`,
// `https://x.example.com`), an IP range (`10.0.0.0/8`, `[fe80::]/10`), `<local>` or `<-loopback>`.
const BYPASS_RULE =
  /^(?:<local>|<-loopback>|(?:[a-z][a-z0-9+.-]*:\/\/)?[A-Za-z0-9*.\-_[\]:]+(?:\/\d{1,3})?)$/i;

/** The bypass list normalised to comma-separated rules without spaces. */
export function normaliseBypassList(value: string): string {
  return value
    .split(/[,;\s]+/)
    .filter(Boolean)
    .join(',');
}

/** Why a `proxyBypassList` value is unusable, or null (checked after `normaliseBypassList`). */
export function proxyBypassListProblem(value: string): string | null {
  if (/\p{Cc}/u.test(value.replace(/[\t\r\n]/g, ' '))) return 'must not contain control characters';
  for (const rule of normaliseBypassList(value).split(',')) {
    if (rule === '') continue;
    if (rule.includes('@')) return 'must not contain a user name or password';
    if (!BYPASS_RULE.test(rule))
      return `has a rule Chromium does not understand: "${rule.slice(0, 64)}" (use hosts like *.example.com, IP ranges like 10.0.0.0/8, or <local>)`;
  }
  return null;
}
