import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import type { Translator } from '../i18n';
import {
  type ConnectionCause,
  connectionCause,
  type ErrorContext,
  errorInfoOf,
  errorNotice,
  httpStatusDetail,
  type Notice,
} from './error-messages';

export { statusLine } from './error-messages';

/**
 * What to tell the person about anything an API call through the ky client can throw: what happened
 * and what to do. Anything unforeseen (a library's or the browser's own error) gets the generic
 * "something went wrong" sentence; its raw text is only the `detail`, for a "Details" disclosure.
 */
export function requestErrorNotice(error: unknown, t: Translator, context: ErrorContext): Notice {
  const info = errorInfoOf(error);
  if (info) return errorNotice(info, t, context);
  if (isHTTPError(error)) {
    const { status, statusText } = error.response;
    if (status >= 500) return errorNotice({ code: 'SERVER', message: '', status }, t, context);
    // What it means and what to do, in the person's words; the status itself only under "Details".
    const key =
      status === 401 ? 'request.unauthorized' : status === 403 ? 'request.forbidden' : 'request.http';
    return { text: t(key), next: t(`${key}.next`), detail: httpStatusDetail(status, statusText) };
  }
  if (isTimeoutError(error)) return errorNotice({ code: 'TIMEOUT', message: '' }, t, context);
  if (isNetworkError(error)) return errorNotice({ code: 'NETWORK', message: '' }, t, context);
  const detail = error instanceof Error ? error.message : String(error);
  return { text: t('error.INTERNAL'), next: t('error.INTERNAL.next'), detail: detail || null };
}

/** A notice as one sentence: what happened and what to do (never its raw detail). */
export function noticeSentence(notice: Notice): string {
  return notice.next ? `${notice.text} ${notice.next}` : notice.text;
}

/** The sentence for anything an API call through the ky client can throw (see requestErrorNotice). */
export function requestErrorMessage(error: unknown, t: Translator, context: ErrorContext): string {
  return noticeSentence(requestErrorNotice(error, t, context));
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
