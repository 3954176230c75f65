import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import type { Translator } from '../i18n';
import { type ErrorContext, errorInfoMessage, errorInfoOf } from './error-messages';

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
    if (status >= 500) return t('error.SERVER.status', { url: context.url, status });
    return t('request.http', { status: statusLine(status, statusText) });
  }
  if (isTimeoutError(error)) return t('error.TIMEOUT', { url: context.url });
  if (isNetworkError(error)) return t('error.NETWORK', { url: context.url });
  const message = error instanceof Error ? error.message : String(error);
  return t('request.unknown', { message });
}
