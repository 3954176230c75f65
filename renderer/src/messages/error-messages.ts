import { type ErrorInfo, isErrorInfo } from '../../../common/errors';
import { formatWait } from '../format';
import type { Translator } from '../i18n';

/** What a message may mention: the API the app talks to. */
export interface ErrorContext {
  url: string;
}

// Codes that mean a bug rather than a situation the person can fix: the English detail helps a report.
// A misconfigured provider is for an administrator to fix, and the detail names what is wrong.
const WITH_DETAILS = new Set<ErrorInfo['code']>([
  'INTERNAL',
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'OIDC_MISCONFIGURED',
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

/** The catalogue sentence for an error code (the English `message` from main is only a detail). */
export function errorInfoMessage(info: ErrorInfo, t: Translator, context: ErrorContext): string {
  const { url } = context;
  switch (info.code) {
    case 'NETWORK':
    case 'TIMEOUT':
    case 'TLS':
    case 'BAD_RESPONSE':
      return t(`error.${info.code}`, { url });
    case 'SERVER':
      return info.status
        ? t('error.SERVER.status', { url, status: info.status })
        : t('error.SERVER', { url });
    case 'RATE_LIMITED':
      return info.retryAfterSeconds !== undefined && info.retryAfterSeconds > 0
        ? t('error.RATE_LIMITED', { wait: formatWait(info.retryAfterSeconds, t.locale) })
        : t('error.RATE_LIMITED.noWait');
    default: {
      const text = t(`error.${info.code}`);
      // An API contract that does not match the server: the detail names the field or quotes the server.
      const contractProblem = info.code === 'INVALID_CONFIG' && info.key === 'authContract';
      return (WITH_DETAILS.has(info.code) || contractProblem) && info.message
        ? `${text} ${t('error.details', { message: info.message })}`
        : text;
    }
  }
}
