import { monotonicNow } from '../timers';
// Answers a proxy's request for a user name and password (Electron's `login` event with
// `authInfo.isProxy`, on the app and on main-process requests). Electron-free: the shell passes the
// prompt in. The decisions: only proxies are answered (the API itself uses tokens, never a password
// prompt from a server); one prompt per proxy at a time, shared by every request waiting on it;
// credentials live in this object's memory for the running app only, never on disk; after
// `maxAttempts` rejected answers in a row, or a cancelled prompt, the proxy is not asked about again
// for `cooldownMs`, so a wrong password cannot turn into a stream of dialogs.

/** What Electron's `AuthInfo` says about the challenge. */
export interface AuthChallenge {
  isProxy: boolean;
  scheme: string;
  host: string;
  port: number;
  realm: string;
}

/** A user name and password typed by the person. */
export interface ProxyCredentials {
  username: string;
  password: string;
}

/** What the prompt shows: which proxy, its realm (its own words, bounded) and whether a try failed. */
export interface ProxyPromptRequest {
  /** `host:port` of the proxy (never the site being reached). */
  proxy: string;
  /** The proxy's realm text, control characters removed, at most 80 characters; '' when none. */
  realm: string;
  /** The authentication scheme (basic, digest, ntlm, negotiate). */
  scheme: string;
  /** True when the previous answer for this proxy was rejected. */
  retry: boolean;
  /** 1-based attempt number, and how many are allowed in a row. */
  attempt: number;
  maxAttempts: number;
}

/** Asks the person; null when they cancel or close the prompt. */
export type ProxyPrompt = (request: ProxyPromptRequest) => Promise<ProxyCredentials | null>;

export interface ProxyAuthenticatorDeps {
  prompt: ProxyPrompt;
  /** Prompts in a row a proxy may reject before the app stops asking for a while (default 3). */
  maxAttempts?: number;
  /** How long a cancelled prompt or too many rejections keep the app from asking again (default 60 s). */
  cooldownMs?: number;
  now?: () => number;
  /** Told (without any credential) when a proxy is not answered, for the log. */
  onRefused?: (proxy: string, why: string) => void;
}

export interface ProxyAuthenticator {
  /** The credentials to answer `challenge` with, or null to cancel it (the request then fails with 407). */
  authenticate(challenge: AuthChallenge): Promise<ProxyCredentials | null>;
  /** Drops every remembered credential (the proxy settings changed, or the app quits). */
  forget(): void;
}

interface ProxyState {
  credentials?: ProxyCredentials;
  /** The remembered credentials were already handed out once: a new challenge means they were rejected. */
  used: boolean;
  failures: number;
  quietUntil: number;
  pending?: Promise<ProxyCredentials | null>;
}

/** The proxy's realm as shown: its own text, so bounded and stripped of control characters. */
export function shownRealm(realm: string): string {
  const clean = realm.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

/** Creates the authenticator: one per app, shared by the app's `login` event and main's requests. */
export function createProxyAuthenticator(deps: ProxyAuthenticatorDeps): ProxyAuthenticator {
  const maxAttempts = deps.maxAttempts ?? 3;
  const cooldownMs = deps.cooldownMs ?? 60_000;
  const now = deps.now ?? monotonicNow;
  const proxies = new Map<string, ProxyState>();

  const refuse = (proxy: string, why: string): null => {
    deps.onRefused?.(proxy, why);
    return null;
  };

  return {
    authenticate(challenge) {
      if (!challenge.isProxy)
        return Promise.resolve(
          refuse(`${challenge.host}:${challenge.port}`, 'a server (not a proxy) asked for a password'),
        );
      const proxy = `${challenge.host}:${challenge.port}`;
      let state = proxies.get(proxy);
      if (!state) {
        state = { used: false, failures: 0, quietUntil: 0 };
        proxies.set(proxy, state);
      }
      const current = state;
      if (current.pending) return current.pending;
      if (current.credentials && !current.used) {
        current.used = true;
        return Promise.resolve(current.credentials);
      }
      if (current.credentials) {
        // Chromium remembers accepted proxy credentials itself: asked again, the proxy rejected them.
        delete current.credentials;
        current.failures += 1;
      }
      if (now() < current.quietUntil) return Promise.resolve(refuse(proxy, 'not asking again yet'));
      if (current.failures >= maxAttempts) {
        current.failures = 0;
        current.quietUntil = now() + cooldownMs;
        return Promise.resolve(refuse(proxy, `the proxy rejected ${maxAttempts} answers in a row`));
      }
      const request: ProxyPromptRequest = {
        proxy,
        realm: shownRealm(challenge.realm),
        scheme: challenge.scheme.toLowerCase(),
        retry: current.failures > 0,
        attempt: current.failures + 1,
        maxAttempts,
      };
      current.pending = deps
        .prompt(request)
        .catch(() => null)
        .then((answer) => {
          delete current.pending;
          if (answer === null) {
            current.failures = 0;
            current.quietUntil = now() + cooldownMs;
            return refuse(proxy, 'the person cancelled the prompt');
          }
          current.credentials = answer;
          current.used = true;
          return answer;
        });
      return current.pending;
    },
    forget() {
      proxies.clear();
    },
  };
}
