import { type ErrorCode, type ErrorInfo, isErrorInfo } from '../../../common/errors';
import { formatWait } from '../format';
import type { Translator } from '../i18n';

/** What a message may mention: the API the app talks to. */
export interface ErrorContext {
  url: string;
}

/** A message as people read it: what happened, what to do (and whether it matters), and the original. */
export interface Notice {
  text: string;
  next: string;
  /** The original (English, technical) text, shown only under "Details"; never inside a sentence. */
  detail: string | null;
}

// Codes whose English detail helps whoever fixes it (a bug report, an administrator's misconfiguration,
// an answer the app could not use: which field was missing, where a redirect pointed).
const WITH_DETAILS = new Set<ErrorCode>([
  'BAD_RESPONSE',
  'INTERNAL',
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'OIDC_MISCONFIGURED',
  'NOT_SAVED',
]);

/**
 * The ErrorInfo carried by a bridge rejection, or null when `value` is something else.
 * Checks the shape, not the class: after contextBridge the page gets a plain object copy.
 */
export function errorInfoOf(value: unknown): ErrorInfo | null {
  if (!isErrorInfo(value)) return null;
  const info = (value as { info?: unknown }).info;
  return isErrorInfo(info) ? info : value;
}

/**
 * True for IT's allow-list refusing a server (MANAGED_SETTING naming `allowedApiOrigins`): not a setting
 * the person sees locked, but the server they chose. `info.origin` names it (the API or a contract endpoint).
 */
export function isOriginRefusal(info: ErrorInfo): boolean {
  return info.code === 'MANAGED_SETTING' && info.key === 'allowedApiOrigins';
}

/**
 * True for "stay signed in" locked off because IT's value for it could not be used (MANAGED_SETTING
 * naming `staySignedIn`, main's reason for holding the stored accounts back): not a choice anyone made.
 */
function isLockedOff(info: ErrorInfo): boolean {
  return info.code === 'MANAGED_SETTING' && info.key === 'staySignedIn';
}

/**
 * True for main's reasons why stored accounts were not restored at start (the signed-out view's
 * `lastError`): IT's allow-list refusing their server, or "stay signed in" locked off.
 */
export function isHeldBackAtStart(info: ErrorInfo): boolean {
  return isOriginRefusal(info) || isLockedOff(info);
}

/** "404 Not Found", or just "404" when the server sent no reason phrase (HTTP/2). */
export function statusLine(status: number, statusText: string): string {
  return statusText ? `${status} ${statusText}` : String(status);
}

/** A server's status code as a detail for "Details": "HTTP 404 Not Found", "HTTP 503". */
export function httpStatusDetail(status: number, statusText = ''): string {
  return `HTTP ${statusLine(status, statusText)}`;
}

/** The catalogue's "what happened" sentence for an error (main's English `message` is never part of it). */
function whatHappened(info: ErrorInfo, t: Translator, url: string): string {
  if (isOriginRefusal(info)) return t('error.originNotAllowed', { url: info.origin ?? url });
  if (isLockedOff(info)) return t('error.staySignedInLocked');
  switch (info.code) {
    case 'NETWORK':
    case 'TIMEOUT':
    case 'TLS':
    case 'BAD_RESPONSE':
      return t(`error.${info.code}`, { url });
    case 'SERVER':
      return t('error.SERVER', { url });
    case 'RATE_LIMITED':
      return info.retryAfterSeconds !== undefined && info.retryAfterSeconds > 0
        ? t('error.RATE_LIMITED', { wait: formatWait(info.retryAfterSeconds, t.formatLocale) })
        : t('error.RATE_LIMITED.noWait');
    default:
      return t(`error.${info.code}`);
  }
}

/** What happened, what to do, and (for bugs and misconfiguration) the original text for "Details". */
export function errorNotice(info: ErrorInfo, t: Translator, context: ErrorContext): Notice {
  // An API contract that does not match the server: the detail names the field or quotes the server.
  const contractProblem = info.code === 'INVALID_CONFIG' && info.key === 'authContract';
  // A server IT's allow-list refuses, or a policy value that could not be used: main's sentence names
  // the policy key, for the administrator.
  const originRefused = isOriginRefusal(info);
  const lockedOff = isLockedOff(info);
  const withDetail = WITH_DETAILS.has(info.code) || contractProblem || originRefused || lockedOff;
  // A server's status code means something to whoever supports it, not to the person: under "Details".
  const status = info.code === 'SERVER' && info.status ? httpStatusDetail(info.status) : null;
  const detail = withDetail && info.message ? info.message : status;
  const next = t(
    originRefused
      ? 'error.originNotAllowed.next'
      : lockedOff
        ? 'error.staySignedInLocked.next'
        : `error.${info.code}.next`,
  );
  return { text: whatHappened(info, t, context.url), next, detail };
}

/** The whole sentence for an error code: what happened and what to do, in the person's language. */
export function errorInfoMessage(info: ErrorInfo, t: Translator, context: ErrorContext): string {
  const notice = errorNotice(info, t, context);
  return `${notice.text} ${notice.next}`;
}

/** How a connection problem is described in the banner. */
export type ConnectionCause = 'unreachable' | 'busy' | 'failing';

/**
 * The connection problem an error stands for, or null when it is not a transient one (the session
 * and the banner retry only these): no answer → unreachable; 503/429 → busy; other 5xx → failing.
 */
export function connectionCause(info: ErrorInfo): ConnectionCause | null {
  switch (info.code) {
    case 'NETWORK':
    case 'TIMEOUT':
      return 'unreachable';
    case 'RATE_LIMITED':
      return 'busy';
    case 'SERVER':
      return info.status === 503 ? 'busy' : 'failing';
    default:
      return null;
  }
}
