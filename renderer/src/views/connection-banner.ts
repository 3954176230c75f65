import { isHTTPError } from 'ky';
import { type ErrorInfo, isNetworkInTheWay } from '../../../common/errors';
import { parseRetryAfter } from '../../../common/retry-after';
import type { SessionView } from '../../../common/session';
import { h, replaceChildren } from '../dom';
import type { Translator } from '../i18n';
import { type ConnectionCause, connectionCause, errorNotice } from '../messages/error-messages';
import { requestConnectionCause } from '../messages/request-errors';
import { hostOf } from './account-chip';
import { detailsDisclosure, focusLost } from './parts';

/** How views tell the banner about their API calls. */
export interface ConnectionReporter {
  /**
   * A call failed. A passing connection problem (no answer, 5xx, 429) shows the banner, and `retry`
   * runs when the connection is back, on "Retry now", or on the banner's own schedule; true then
   * (the view shows a quiet "waiting" instead of its own alert). Anything else: false, nothing shown.
   */
  failed(key: string, error: unknown, retry: () => void): boolean;
  /** The call under `key` worked, or its view is gone: it no longer keeps the banner up. */
  settled(key: string): void;
}

/** The banner's one sentence: what is wrong, and the retry time when one is known. */
export interface ConnectionProblem {
  /** `other`: the session's refresh keeps failing for another reason (a refused redirect, TLS …). */
  cause: ConnectionCause | 'other';
  /** For `other`: the error, told in its own words (what happened, what to do, the original under Details). */
  error?: ErrorInfo;
  /** Local epoch ms of the next automatic retry, or null when none is scheduled yet. */
  retryAt: number | null;
  /** `unreachable` because the network answered in the server's place (a captive portal). */
  networkSignIn?: true;
}

// Retries of failed page loads while the session itself is fine: 8 s, 15 s, then every 30 s, or
// later when the server said so (Retry-After on a 429 or 503).
const RETRY_DELAYS_MS = [8_000, 15_000, 30_000];

/** How long a 429 or 503 answer asked callers to wait (its Retry-After), in ms; 0 when it did not say. */
function serverWaitMs(error: unknown): number {
  if (!isHTTPError(error)) return 0;
  const { status, headers } = error.response;
  if (status !== 429 && status !== 503) return 0;
  return (parseRetryAfter(headers.get('retry-after'), Date.now(), headers.get('date')) ?? 0) * 1000;
}

/**
 * The problem to show, or null. The session's own failing refresh wins (its retry time is main's
 * schedule); else the first failed page load, retried on the banner's schedule.
 */
export function connectionProblem(
  session: SessionView,
  reported: ConnectionCause | null,
  ownRetryAt: number | null,
): ConnectionProblem | null {
  if (session.offline) {
    const error = session.lastError;
    if (!error) return { cause: 'unreachable', retryAt: session.nextRefreshAt };
    const cause = connectionCause(error);
    // Not a connection problem (a redirect to another origin, a bad answer, a certificate): say what it is.
    if (!cause) return { cause: 'other', error, retryAt: session.nextRefreshAt };
    return isNetworkInTheWay(error)
      ? { cause, retryAt: session.nextRefreshAt, networkSignIn: true }
      : { cause, retryAt: session.nextRefreshAt };
  }
  return reported ? { cause: reported, retryAt: ownRetryAt } : null;
}

/** The banner's alert, in words: what is wrong, what to do (if the cause says), and whether to reassure. */
export interface BannerMessage {
  title: string;
  /** For `other`: the error's own "what to do" (a certificate that is not trusted needs a warning). */
  next: string | null;
  /** "You stay signed in." — true, but not the sentence to end on when the connection may be intercepted. */
  kept: boolean;
  /** The original (technical) text, for "Details". */
  detail: string | null;
}

/** What the banner says for `problem`; `url` is the API's origin, `host` its host. */
export function bannerMessage(
  problem: ConnectionProblem,
  t: Translator,
  where: { url: string; host: string },
): BannerMessage {
  if (problem.error) {
    const notice = errorNotice(problem.error, t, { url: where.url });
    return {
      title: notice.text,
      next: notice.next,
      kept: problem.error.code !== 'TLS',
      detail: problem.error.message || null,
    };
  }
  const title =
    problem.cause === 'busy'
      ? t('banner.busy')
      : t(problem.cause === 'unreachable' ? 'banner.unreachable' : 'banner.failing', { host: where.host });
  return { title, next: problem.networkSignIn ? t('banner.networkSignIn') : null, kept: true, detail: null };
}

/** The countdown part: "Retrying in 8 s", or "Retrying…" once the time has come. */
export function retryText(retryAt: number | null, now: number, t: Translator): string {
  if (retryAt === null || retryAt - now < 1000) return t('banner.retrying');
  return t('banner.retryIn', { seconds: Math.ceil((retryAt - now) / 1000) });
}

/** The banner: its element (a slot, empty while all is well), the reporter views use, and its updates. */
export interface ConnectionBanner {
  element: HTMLElement;
  reporter: ConnectionReporter;
  update(session: SessionView, apiBaseUrl: string): void;
  destroy(): void;
}

/**
 * One connection banner at the top of the window: "Can't reach <host>. You stay signed in. Retrying
 * in 8 s [Retry now]". It appears on the first passing failure, announces itself once per cause (the
 * alert is rebuilt only when the cause changes; the countdown is outside it), clears itself when the
 * session refreshes again and the failed loads succeed, and reloads what failed when the connection
 * is back.
 */
export function createConnectionBanner(
  t: Translator,
  retrySession: () => Promise<unknown>,
  /** Where focus goes when the banner goes while it had focus ("Retry now" worked): the page's heading. */
  focusAfter: () => HTMLElement | null | undefined,
): ConnectionBanner {
  const element = h('div', { class: 'banner-slot' });
  const failures = new Map<string, { cause: ConnectionCause; retry: () => void }>();
  let attempt = 0;
  let ownRetryAt: number | null = null;
  let ownTimer: number | undefined;
  let session: SessionView | null = null;
  let host = '';
  let shown: { cause: ConnectionProblem['cause']; code: string; host: string; retry: HTMLElement } | null =
    null;

  const rerunFailed = () => {
    for (const { retry } of [...failures.values()]) retry();
  };

  /** The server's latest wait (Retry-After), as a local epoch ms: no retry of ours before it. */
  let notBefore = 0;
  const schedule = () => {
    window.clearTimeout(ownTimer);
    ownTimer = undefined;
    ownRetryAt = null;
    // While the session is offline main retries on its schedule, and its recovery re-runs the loads.
    if (failures.size === 0 || session?.offline) return;
    const backoff = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
    const delay = Math.max(backoff, notBefore - Date.now());
    attempt += 1;
    ownRetryAt = Date.now() + delay;
    ownTimer = window.setTimeout(() => {
      ownTimer = undefined;
      rerunFailed();
      render();
    }, delay);
  };

  const retryNow = () => {
    if (session?.offline) void retrySession().catch(() => undefined);
    rerunFailed();
  };

  const render = () => {
    if (!session) return;
    const first = failures.values().next();
    const problem = connectionProblem(session, first.done ? null : first.value.cause, ownRetryAt);
    // Removing or rebuilding the banner drops the focus inside it (the person pressed "Retry now"):
    // it goes to the rebuilt banner's button, or to the page's heading once the banner is gone.
    const hadFocus = element.contains(document.activeElement);
    if (!problem) {
      shown = null;
      replaceChildren(element);
      if (hadFocus && focusLost()) focusAfter()?.focus();
      return;
    }
    const code = problem.error?.code ?? '';
    if (!shown || shown.cause !== problem.cause || shown.code !== code || shown.host !== host) {
      const message = bannerMessage(problem, t, { url: session.apiOrigin, host });
      const retry = h('span', { class: 'banner-retry' });
      const retryButton = h(
        'button',
        { type: 'button', class: 'button button-small', onclick: retryNow },
        t('banner.retryNow'),
      );
      replaceChildren(
        element,
        h(
          'div',
          // A landmark of its own ("Connection problem": Settings has a "Connection" section), so it is
          // found and all content sits in landmarks.
          { class: 'connection-banner', role: 'region', 'aria-label': t('banner.label') },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h(
            'div',
            { role: 'alert', class: 'banner-message' },
            h('strong', null, message.title),
            message.next ? ` ${message.next}` : '',
            message.kept ? ` ${t('banner.kept')}` : '',
            detailsDisclosure(t('message.details'), message.detail),
          ),
          h('span', { class: 'banner-actions' }, retry, retryButton),
        ),
      );
      shown = { cause: problem.cause, code, host, retry };
      if (hadFocus && focusLost()) retryButton.focus();
    }
    shown.retry.textContent = retryText(problem.retryAt, Date.now(), t);
  };
  const interval = window.setInterval(render, 1000);
  // The banner's height, for the window's scroll padding (views.css): a control focused from the
  // keyboard is scrolled into view below the stuck banner, never behind it.
  const root = document.documentElement;
  const sized = new ResizeObserver(() =>
    root.style.setProperty('--banner-height', `${Math.ceil(element.getBoundingClientRect().height)}px`),
  );
  sized.observe(element);

  return {
    element,
    reporter: {
      failed(key, error, retry) {
        const cause = requestConnectionCause(error);
        if (!cause) {
          this.settled(key);
          return false;
        }
        const first = failures.size === 0;
        failures.set(key, { cause, retry });
        const wait = serverWaitMs(error);
        const later = wait > 0 && Date.now() + wait > (ownRetryAt ?? 0);
        if (wait > 0) notBefore = Math.max(notBefore, Date.now() + wait);
        if (first || ownTimer === undefined || later) schedule();
        render();
        return true;
      },
      settled(key) {
        if (!failures.delete(key)) return;
        if (failures.size === 0) {
          attempt = 0;
          schedule();
        }
        render();
      },
    },
    update(next, apiBaseUrl) {
      const recovered = session?.offline === true && !next.offline;
      session = next;
      host = hostOf(apiBaseUrl);
      // Back online: reload what failed meanwhile, at once.
      if (recovered) {
        attempt = 0;
        rerunFailed();
      }
      if (!next.offline && failures.size > 0 && ownTimer === undefined) schedule();
      render();
    },
    destroy() {
      window.clearInterval(interval);
      window.clearTimeout(ownTimer);
      sized.disconnect();
      root.style.removeProperty('--banner-height');
    },
  };
}
