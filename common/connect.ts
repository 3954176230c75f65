// The connect wizard's contract: what main answers when the page asks it to probe a server the person
// typed, or to try a sign-in there before anything is saved. Types and constants only; the probe is
// main/core/config/probe.ts, the trial sign-in main/core/config/trial-sign-in.ts.
import type { ApiProfile, AuthContractSetting } from './auth-contract';
import type { ErrorCode } from './errors';

/** The checks the probe runs, each a documented, credential-free request to one path of the typed URL. */
export const PROBE_CHECKS = ['openid', 'simplejwt', 'directus', 'supabase', 'pocketbase', 'tessera'] as const;
export type ProbeCheck = (typeof PROBE_CHECKS)[number];

/** What one check saw: a match, an answer that is not the backend's signature, or no answer at all. */
export interface ProbeEvidence {
  check: ProbeCheck;
  /** `GET /health`, `POST /api/token/`: the request as sent (relative to the typed URL). */
  request: string;
  outcome: 'match' | 'noMatch' | 'failed';
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** Why there was no usable answer (NETWORK, TIMEOUT, TLS, BAD_RESPONSE for a refused redirect). */
  code?: ErrorCode;
}

/**
 * Why the probe proposes what it proposes: a stable code the page turns into one localised sentence
 * (`connect.reason.<code>`), with `params` filled into it.
 */
export type ProbeReason =
  /** `GET /health` answered `{"status":"ok"}`, the reference server's answer. */
  | 'tesseraHealth'
  /** `POST /api/token/` with an empty body answered 400 naming the credential fields (SimpleJWT). */
  | 'simplejwtTokenRoute'
  /** `GET /server/info` answered Directus's `{data: {project: …}}`. */
  | 'directusServerInfo'
  /** `GET /auth/v1/settings` answered GoTrue's settings, or the gateway asked for the `apikey`. */
  | 'supabaseSettings'
  /** `GET /api/health` answered PocketBase's `{code: 200, message: "API is healthy."}`. */
  | 'pocketbaseHealth'
  /** OpenID discovery advertises the password grant: the `oauth2-password` preset at its endpoints. */
  | 'openidPasswordGrant'
  /** OpenID discovery without the password grant: sign in with the provider instead (no preset). */
  | 'openidProvider'
  /** The server answered, but like none of the backends the probe knows. */
  | 'nothingMatched'
  /** No check got an answer at all (`params.code`: NETWORK, TIMEOUT or TLS). */
  | 'unreachable';

/** The probe's answer: a preset with its reason, or none ("choose a profile") with the evidence. */
export interface ProbeResult {
  /** The typed URL as the apiBaseUrl setting would store it (normalised). */
  url: string;
  /** The proposed profile, or null: unknown, the person chooses. */
  profile: ApiProfile | null;
  /** Changes to the preset the probe read from the server (SimpleJWT's username field, OpenID endpoints). */
  authContract: AuthContractSetting | null;
  reason: ProbeReason;
  /** Values for the sentence: short, plain text from the probe (never a token or a header value). */
  params: Record<string, string>;
  evidence: ProbeEvidence[];
}

/** A candidate connection the person has not saved yet. */
export interface ConnectCandidate {
  apiBaseUrl: string;
  apiProfile: ApiProfile;
  authContract: AuthContractSetting | null;
}

/** A trial sign-in: the candidate and the credentials the person typed (sent only to the candidate). */
export interface TrySignInRequest extends ConnectCandidate {
  username: string;
  password: string;
}

/**
 * A trial sign-in that worked. The tokens are not kept: a refresh token is revoked at once where the
 * contract has a logout endpoint, and nothing is stored; the person signs in again after saving.
 */
export interface TrySignInResult {
  /** The access token's lifetime as the contract reads it, in seconds. */
  lifetimeSeconds: number;
  /** Whether the answer carried a refresh token, so a session there can be refreshed and stay signed in. */
  refreshable: boolean;
  /** What happened to the trial's refresh token: revoked, none to revoke, no logout endpoint, or revoking failed. */
  discarded: 'revoked' | 'nothingToRevoke' | 'noLogoutEndpoint' | 'revokeFailed';
}
