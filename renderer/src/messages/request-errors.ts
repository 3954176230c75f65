import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import type { Translator } from '../i18n';
import {
  type ConnectionCause,
  connectionCause,
  type ErrorContext,
  errorInfoMessage,
  errorInfoOf,
} from './error-messages';

/** "404 Not Found", or just "404" when the server sent no reason phrase (HTTP/2). */
export function statusLine(status: number, statusText: string): string {
  return statusText ? `${status} ${statusText}` : String(status);
}

/** A sentence for anything an API call through the ky client can throw; never hides the cause. */
export function requestErrorMessage(error: unknown, t: Translator, context: ErrorContext): string {
  const info = errorInfoOf(error);
  if (info) return errorInfoMessage(info, t, context);
  if (isHTTPError(error)) {
    const { status, statusText } = error.response;
    if (status === 401) return t('request.unauthorized');
    if (status === 403) return t('request.forbidden');
    if (status >= 500)
      return `${t('error.SERVER.status', { url: context.url, status })} ${t('error.SERVER.next')}`;
    return t('request.http', { status: statusLine(status, statusText) });
  }
  if (isTimeoutError(error)) return errorInfoMessage({ code: 'TIMEOUT', message: '' }, t, context);
  if (isNetworkError(error)) return errorInfoMessage({ code: 'NETWORK', message: '' }, t, context);
  const message = error instanceof Error ? error.message : String(error);
  return t('request.unknown', { message });
}

/** The connection problem a failed API call stands for (for the banner), or null when it is not one. */
export function requestConnectionCause(error: unknown): ConnectionCause | null {
  const info = errorInfoOf(error);
  if (info) return connectionCause(info);
  if (isHTTPError(error)) {
    const { status } = error.response;
    if (status === 503 || status === 429) return 'busy';
    return status >= 500 ? 'failing' : null;
  }
  if (isTimeoutError(error) || isNetworkError(error)) return 'unreachable';
  return null;
}
