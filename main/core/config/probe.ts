// The connect wizard's probe: given the URL a person typed, ask that server (and only that origin) a few
// documented, credential-free questions at once, and propose the API contract preset whose signature it
// answers with. Each check is one request bounded by the request timeout; redirects are followed within
// the origin only (redirects.ts); the answer keeps only codes and statuses as evidence, never a body.
import { type ApiProfile, type AuthContractSetting, PRESET_CONTRACTS } from '../../../common/auth-contract';
import { boundedText } from '../../../common/bounded-text';
import type { ProbeCheck, ProbeEvidence, ProbeReason, ProbeResult } from '../../../common/connect';
import type { ErrorCode, Result } from '../../../common/errors';
import type { FetchLike } from '../auth-client';
import { transportErrorInfo } from '../auth-errors';
import { followSameOriginRedirects } from '../redirects';
import { authContractSettingSchema } from './auth-contract-schema';
import { describeZodError, parseSetting } from './settings-table';

/** The most of an answer a check reads: signatures are small JSON documents. */
export const PROBE_BODY_LIMIT = 64 * 1024;

export interface ProbeDeps {
  /** The app's fetch port (Electron's net.request in the app, Node's fetch in tests). */
  fetch: FetchLike;
  /** The request timeout setting: each check gets this long. */
  timeoutMs: number;
  /** Aborts every check (a newer probe replaced this one). */
  signal?: AbortSignal;
}

/** What one request brought back: an answer (status and, when it parsed, its JSON) or a failure code. */
type Answer = { ok: true; status: number; json: unknown } | { ok: false; code: ErrorCode };

/** What a check concluded: no match, or a match proposing a profile (with changes to its preset). */
type Verdict =
  | { match: false }
  | {
      match: true;
      profile: ApiProfile | null;
      reason: ProbeReason;
      params?: Record<string, string>;
      authContract?: AuthContractSetting | null;
    };

interface Check {
  check: ProbeCheck;
  method: 'GET' | 'POST';
  path: string;
  /** Reads the answer; called only when there was one. */
  read(status: number, json: unknown, base: string): Verdict;
}

const NO: Verdict = { match: false };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isTextList = (value: unknown) =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');

/**
 * An endpoint the provider published, as the contract wants it: a path under the typed URL when it
 * lies there, else the absolute URL (the contract's own rules then decide whether it is acceptable).
 */
function endpointUnder(base: string, absolute: string): string {
  return absolute.startsWith(`${base}/`) ? absolute.slice(base.length) : absolute;
}

/** A short value from a server for a sentence: plain text, bounded. */
function shown(value: string): string {
  const plain = value.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  return plain.length > 120 ? `${plain.slice(0, 120)}…` : plain;
}

/** The checks, most specific first: when several match, the first one's proposal wins. */
const CHECKS: readonly Check[] = [
  {
    // SimpleJWT's TokenObtainPairView with no credentials: 400 listing each required field
    // ({"username": ["This field is required."], "password": [...]}); USERNAME_FIELD may be email.
    check: 'simplejwt',
    method: 'POST',
    path: '/api/token/',
    read(status, json) {
      if (status !== 400 || !isObject(json) || !isTextList(json.password)) return NO;
      const others = Object.keys(json).filter((key) => key !== 'password' && isTextList(json[key]));
      if (others.length !== 1) return NO;
      const usernameField = others[0] as string;
      return {
        match: true,
        profile: 'simplejwt',
        reason: 'simplejwtTokenRoute',
        params: { fields: `${usernameField}, password` },
        authContract:
          usernameField === PRESET_CONTRACTS.simplejwt.login.usernameField
            ? null
            : { login: { usernameField } },
      };
    },
  },
  {
    // Directus: GET /server/info answers {data: {project: {...}}} without signing in.
    check: 'directus',
    method: 'GET',
    path: '/server/info',
    read: (status, json) =>
      status === 200 && isObject(json) && isObject(json.data) && isObject(json.data.project)
        ? { match: true, profile: 'directus', reason: 'directusServerInfo' }
        : NO,
  },
  {
    // Supabase Auth (GoTrue): its public settings ({external: {...}, disable_signup, ...}); behind the
    // Supabase gateway without a key, a 401 asking for the `apikey` header.
    check: 'supabase',
    method: 'GET',
    path: '/auth/v1/settings',
    read(status, json) {
      const settings = status === 200 && isObject(json) && isObject(json.external);
      const asksForKey =
        status === 401 &&
        isObject(json) &&
        [json.message, json.hint].some((text) => typeof text === 'string' && /api ?key/i.test(text));
      return settings || asksForKey ? { match: true, profile: 'supabase', reason: 'supabaseSettings' } : NO;
    },
  },
  {
    // PocketBase: GET /api/health → {code: 200, message: "API is healthy.", data: {}}.
    check: 'pocketbase',
    method: 'GET',
    path: '/api/health',
    read: (status, json) =>
      status === 200 &&
      isObject(json) &&
      json.code === 200 &&
      typeof json.message === 'string' &&
      json.message.startsWith('API is healthy')
        ? { match: true, profile: 'pocketbase', reason: 'pocketbaseHealth' }
        : NO,
  },
  {
    // OpenID Connect discovery (Keycloak, Entra ID, …): with the password grant advertised, the
    // oauth2-password preset at the published endpoints; without it, sign in with the provider.
    check: 'openid',
    method: 'GET',
    path: '/.well-known/openid-configuration',
    read(status, json, base) {
      if (status !== 200 || !isObject(json) || typeof json.issuer !== 'string') return NO;
      if (typeof json.token_endpoint !== 'string') return NO;
      const issuer = shown(json.issuer);
      const grants = json.grant_types_supported;
      if (!Array.isArray(grants) || !grants.includes('password'))
        return { match: true, profile: null, reason: 'openidProvider', params: { issuer } };
      const token = endpointUnder(base, json.token_endpoint);
      const revocation =
        typeof json.revocation_endpoint === 'string' ? endpointUnder(base, json.revocation_endpoint) : null;
      const authContract: AuthContractSetting = {
        login: { path: token },
        refresh: { path: token },
        logout: revocation === null ? null : { path: revocation },
      };
      // Endpoints the contract would refuse (plain http elsewhere, odd characters): no proposal from them.
      if (!authContractSettingSchema.safeParse(authContract).success)
        return { match: true, profile: null, reason: 'openidProvider', params: { issuer } };
      return {
        match: true,
        profile: 'oauth2-password',
        reason: 'openidPasswordGrant',
        params: { issuer },
        authContract,
      };
    },
  },
  {
    // The reference server (server/routes-api.ts): GET /health → {"status": "ok"} and nothing else.
    check: 'tessera',
    method: 'GET',
    path: '/health',
    read: (status, json) =>
      status === 200 && isObject(json) && Object.keys(json).length === 1 && json.status === 'ok'
        ? { match: true, profile: 'tessera', reason: 'tesseraHealth' }
        : NO,
  },
];

/** Sends one check's request: no credentials, no cookies, JSON accepted, bounded by the timeout. */
async function ask(fetch: FetchLike, base: string, check: Check, signal: AbortSignal): Promise<Answer> {
  const url = `${base}${check.path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (check.method === 'POST') headers['content-type'] = 'application/json';
  try {
    const response = await fetch(
      new Request(url, {
        method: check.method,
        headers,
        ...(check.method === 'POST' ? { body: '{}' } : {}),
        redirect: 'manual',
        credentials: 'omit',
        signal,
      }),
    );
    const text = await boundedText(response, PROBE_BODY_LIMIT);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (an HTML page, a truncated answer): the status alone is evidence.
    }
    return { ok: true, status: response.status, json };
  } catch (error) {
    return { ok: false, code: transportErrorInfo(`Probe ${check.check}`, error).code };
  }
}

/**
 * Probes the server at `rawUrl` (validated by the apiBaseUrl rule: https, or http on loopback) with
 * every check at once, each bounded by `timeoutMs`, and proposes a preset with the reason why — or no
 * profile ("choose one") with the evidence. Never sends credentials; follows redirects within the
 * typed URL's origin only. INVALID_CONFIG (key apiBaseUrl) for a URL the setting would refuse;
 * CANCELLED when `signal` aborted it.
 */
export async function probeApi(rawUrl: unknown, deps: ProbeDeps): Promise<Result<ProbeResult>> {
  const parsed = parseSetting('apiBaseUrl', rawUrl);
  if (!parsed.success)
    return {
      ok: false,
      error: {
        code: 'INVALID_CONFIG',
        key: 'apiBaseUrl',
        message: `apiBaseUrl ${describeZodError(parsed.error)}.`,
      },
    };
  const base = parsed.data;
  const fetch = followSameOriginRedirects(deps.fetch);
  const answers = await Promise.all(
    CHECKS.map((check) => {
      const timeout = AbortSignal.timeout(deps.timeoutMs);
      const signal = deps.signal ? AbortSignal.any([timeout, deps.signal]) : timeout;
      return ask(fetch, base, check, signal);
    }),
  );
  if (deps.signal?.aborted)
    return { ok: false, error: { code: 'CANCELLED', message: 'The probe was replaced by a newer one.' } };

  const evidence: ProbeEvidence[] = [];
  let chosen: Extract<Verdict, { match: true }> | null = null;
  CHECKS.forEach((check, index) => {
    const answer = answers[index] as Answer;
    const request = `${check.method} ${check.path}`;
    if (!answer.ok) {
      evidence.push({ check: check.check, request, outcome: 'failed', code: answer.code });
      return;
    }
    const verdict = check.read(answer.status, answer.json, base);
    evidence.push({
      check: check.check,
      request,
      outcome: verdict.match ? 'match' : 'noMatch',
      status: answer.status,
    });
    // A preset beats "an OpenID Provider without the password grant", whatever the order.
    if (verdict.match && (chosen === null || (chosen.profile === null && verdict.profile !== null)))
      chosen = verdict;
  });

  const result = (
    profile: ApiProfile | null,
    reason: ProbeReason,
    params: Record<string, string> = {},
    authContract: AuthContractSetting | null = null,
  ): Result<ProbeResult> => ({
    ok: true,
    value: { url: base, profile, authContract, reason, params, evidence },
  });
  const match = chosen as Extract<Verdict, { match: true }> | null;
  if (match) return result(match.profile, match.reason, match.params, match.authContract ?? null);
  const failed = evidence.filter((item) => item.outcome === 'failed');
  if (failed.length === evidence.length)
    return result(null, 'unreachable', { code: failed[0]?.code ?? 'NETWORK' });
  return result(null, 'nothingMatched');
}
