import { keychainReasonKind } from '../../../common/keychain';
import type { SessionView } from '../../../common/session';
import { h, replaceChildren, uid } from '../dom';
import { formatCountdown, formatSkew, formatTime, formatUntil } from '../format';
import type { Translator } from '../i18n';
import { connectionCause, errorInfoOf, errorNotice } from '../messages/error-messages';
import type { Route } from '../routes';
import { type AppContext, type AppState, activeAccount, activeApiUrl } from '../state';
import { alertSlot, noticeContent, setBusy, statusRegion } from './parts';
import { signOutAndLand } from './sign-out';

// Below this the difference is network latency, not a wrong clock.
const SKEW_NOTICE_MS = 30_000;

/** The timer text: time left on the access token, or why there is none. */
export function countdownText(session: SessionView, now: number, t: Translator): string {
  if (session.state === 'refreshing') return t('session.refreshing');
  if (session.expiresAt === null) return t('session.unknown');
  const left = session.expiresAt - now;
  return left > 0 ? formatCountdown(left) : t('session.expired');
}

/** The "stay signed in" line: off, unavailable (and why, in the person's language), or on. */
export function keychainText(session: SessionView, staySignedIn: boolean, t: Translator): string {
  if (!staySignedIn) return t('session.keychainOff');
  if (!session.keychain.available) {
    return t(`session.keychain.${keychainReasonKind(session.keychain.reason ?? '')}`);
  }
  return t(session.keychain.persisted ? 'session.keychainOn' : 'session.keychainPending');
}

/**
 * The one status line people read: reconnecting while refreshes fail for a passing reason, else until
 * when they stay signed in — the end of the session when the server says it, "until you quit" when
 * nothing keeps the session across a restart, else simply "stays signed in".
 */
export function statusText(session: SessionView, staySignedIn: boolean, now: number, t: Translator): string {
  if (session.offline) return t('session.reconnecting');
  if (!staySignedIn || !session.keychain.available) return t('session.signedInUntilQuit');
  if (session.refreshExpiresAt !== null) {
    return t('session.signedInUntil', { date: formatUntil(session.refreshExpiresAt, now, t.formatLocale) });
  }
  return t('session.signedInKept');
}

/** A mounted session panel. */
export interface SessionPanel {
  element: HTMLElement;
  update(state: AppState): void;
  /** Says `text` politely under the status line (AppContext.announce). */
  notify(text: string, options: { account: string | null; warning?: boolean }): void;
  destroy(): void;
}

/**
 * The sidebar while signed in: who and where (the account chip), one status line, "Sign out", and a
 * closed "Details" for support and QA with the access-token countdown, refresh times, the keychain,
 * the clock difference and "Refresh now". Connection problems are the banner's, not the panel's.
 */
export function createSessionPanel(ctx: AppContext): SessionPanel {
  const { t, bridge } = ctx;
  const heading = h('h2', { id: uid('session'), class: 'card-title' }, t('session.title'));
  const status = h('p', { role: 'status', class: 'session-status' });
  const timerLabel = h('span', { id: uid('timer'), class: 'meta-label' }, t('session.expiresIn'));
  const timer = h('span', { role: 'timer', 'aria-labelledby': timerLabel.id, class: 'countdown' });
  const meterFill = h('span', { class: 'meter-fill' });
  const meter = h('span', { class: 'meter', 'aria-hidden': 'true' }, meterFill);
  const lastRefresh = h('dd');
  const nextRefresh = h('dd');
  const sessionEnds = h('dd');
  const keychain = h('dd');
  const skew = h('p', { class: 'hint' });
  const alert = alertSlot();
  // An account change the page does not show by itself (AppContext.announce), said politely.
  const note = statusRegion('status panel-note', { aside: true });
  /** What the note is about: the account active when it was said, on the page it was said on. */
  let noteFor: { account: string | null; route: Route } | null = null;
  let shownAccount = activeAccount(ctx.state());
  const refresh = h('button', { type: 'button', class: 'button' }, t('session.refreshNow'));
  const signOut = h('button', { type: 'button', class: 'button button-danger' }, t('session.signOut'));

  const apiUrl = () => activeApiUrl(ctx.state());
  // Only a changed sentence is written, so the status region announces changes, not ticks. It is read
  // again every second too: "until 15:30" or "until 14 December" depends on today, which changes at
  // midnight, after a night asleep or with the machine's clock, with no session event to say so.
  const showStatus = () => {
    const { session, settings } = ctx.state();
    const line = statusText(session, settings.values.staySignedIn, Date.now(), t);
    if (status.textContent !== line) status.textContent = line;
  };
  const tick = () => {
    const { session } = ctx.state();
    showStatus();
    timer.textContent = countdownText(session, Date.now(), t);
    const fraction =
      session.expiresAt !== null && session.lifetimeMs
        ? Math.min(1, Math.max(0, (session.expiresAt - Date.now()) / session.lifetimeMs))
        : 0;
    // element.style from script is allowed by the CSP (only inline style attributes are not).
    meterFill.style.width = `${(fraction * 100).toFixed(1)}%`;
    meter.classList.toggle('is-low', fraction < 0.2);
  };
  const interval = window.setInterval(tick, 1000);

  // True while the alert shows a failed "Refresh now": the banner takes over once the session is offline.
  let refreshAlert = false;
  /** The last refresh that had worked when that alert was shown (epoch ms; 0: none). */
  let alertAfterRefreshAt = 0;

  const update = (state: AppState) => {
    const { session, settings } = state;
    // The note ends when the person moves on: another page, or another account made active since.
    const active = activeAccount(state);
    if (
      noteFor &&
      (state.route !== noteFor.route || (active !== shownAccount && active !== noteFor.account))
    ) {
      note.set(null);
      noteFor = null;
    }
    shownAccount = active;
    // The banner takes over once the session is offline; a refresh that worked since ends the problem
    // (told by its time: a view sent before the failure, arriving after it, says nothing new).
    const refreshedSince = (session.lastRefreshAt ?? 0) > alertAfterRefreshAt;
    if (refreshAlert && (session.offline || refreshedSince)) {
      alert.set(null);
      refreshAlert = false;
    }
    const { staySignedIn } = settings.values;
    showStatus();
    status.classList.toggle('is-reconnecting', session.offline);
    lastRefresh.textContent = session.lastRefreshAt
      ? formatTime(session.lastRefreshAt, t.formatLocale)
      : t('session.never');
    nextRefresh.textContent = session.nextRefreshAt
      ? formatTime(session.nextRefreshAt, t.formatLocale)
      : t('session.unknown');
    sessionEnds.textContent = session.refreshExpiresAt
      ? new Intl.DateTimeFormat(t.formatLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(
          session.refreshExpiresAt,
        )
      : t('session.unknown');
    const unavailable = staySignedIn && !session.keychain.available;
    replaceChildren(
      keychain,
      keychainText(session, staySignedIn, t),
      unavailable && session.keychain.reason
        ? h('span', { class: 'keychain-detail mono' }, session.keychain.reason)
        : null,
    );
    keychain.classList.toggle('text-warning', unavailable);
    const skewMs = session.clockSkewMs;
    skew.hidden = skewMs === null || Math.abs(skewMs) < SKEW_NOTICE_MS;
    skew.textContent =
      skewMs === null ? '' : t('session.clockSkew', { amount: formatSkew(skewMs, t.formatLocale) });
    tick();
  };

  const showFailure = (title: string, error: unknown, bannerShowsConnection: boolean) => {
    const info = errorInfoOf(error);
    // A refresh problem the session keeps retrying is the banner's to show (once), not a second alert.
    if (bannerShowsConnection && info && (connectionCause(info) || ctx.state().session.offline)) return;
    refreshAlert = bannerShowsConnection;
    alertAfterRefreshAt = ctx.state().session.lastRefreshAt ?? 0;
    alert.set([
      h('strong', null, title),
      ' ',
      info
        ? noticeContent(errorNotice(info, t, { url: apiUrl() }), t('message.details'))
        : noticeContent(
            { text: t('error.INTERNAL'), next: t('error.INTERNAL.next'), detail: String(error) },
            t('message.details'),
          ),
    ]);
  };

  refresh.addEventListener('click', async () => {
    alert.set(null);
    setBusy(refresh, true, t('session.refreshing'), t('session.refreshNow'));
    try {
      await bridge.auth.getAccessToken({ forceRefresh: true });
    } catch (error) {
      showFailure(t('session.refreshFailed'), error, true);
    } finally {
      setBusy(refresh, false, t('session.refreshing'), t('session.refreshNow'));
    }
  });

  signOut.addEventListener('click', async () => {
    // The page shown may ask first (Settings with unsaved edits): staying signed in is one answer.
    if (!(await ctx.confirmSignOut())) return;
    alert.set(null);
    setBusy(signOut, true, t('session.signingOut'), t('session.signOut'));
    try {
      // The server told (or not) is this account's: the sign-in page names it in a failed revocation.
      const user = ctx.state().session.user;
      await signOutAndLand(ctx, undefined, {
        name: user?.name || user?.username || '',
        apiBaseUrl: apiUrl(),
      });
    } catch (error) {
      showFailure(t('session.signOutFailed'), error, false);
    } finally {
      // Another account still signed in is the active one now and this panel stays: its "Sign out" is
      // for that account. (Signed out altogether, the panel is gone with the frame.)
      setBusy(signOut, false, t('session.signingOut'), t('session.signOut'));
    }
  });

  const details = h(
    'details',
    { class: 'session-details' },
    h('summary', null, t('session.details')),
    h(
      'div',
      { class: 'session-details-body' },
      h('div', { class: 'countdown-block' }, timerLabel, timer, meter),
      h(
        'dl',
        { class: 'details details-compact' },
        h('div', null, h('dt', null, t('session.lastRefresh')), lastRefresh),
        h('div', null, h('dt', null, t('session.nextRefresh')), nextRefresh),
        h('div', null, h('dt', null, t('session.sessionEnds')), sessionEnds),
        h('div', null, h('dt', null, t('session.staySignedIn')), keychain),
      ),
      skew,
      refresh,
    ),
  );

  const element = h(
    'aside',
    { class: 'session-panel card', 'aria-labelledby': heading.id },
    heading,
    status,
    alert.element,
    note.element,
    h('div', { class: 'panel-actions' }, signOut),
    details,
  );
  update(ctx.state());

  return {
    element,
    update,
    notify(text, { account, warning = false }) {
      // Emptied first, so the same words said again (a second switch to one account) are said again.
      note.set(null);
      note.element.classList.toggle('notice-warning', warning);
      note.set(text);
      noteFor = { account, route: ctx.state().route };
    },
    destroy() {
      window.clearInterval(interval);
    },
  };
}
