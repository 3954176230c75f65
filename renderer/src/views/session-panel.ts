import type { SessionView } from '../../../common/session';
import { h, replaceChildren, uid } from '../dom';
import { formatCountdown, formatSkew, formatTime } from '../format';
import type { Translator } from '../i18n';
import { errorInfoMessage, errorInfoOf } from '../messages/error-messages';
import type { AppContext, AppState } from '../state';
import { alertSlot, setBusy } from './parts';

// Below this the difference is network latency, not a wrong clock.
const SKEW_NOTICE_MS = 30_000;

/** The timer text: time left on the access token, or why there is none. */
export function countdownText(session: SessionView, now: number, t: Translator): string {
  if (session.state === 'refreshing') return t('session.refreshing');
  if (session.expiresAt === null) return t('session.unknown');
  const left = session.expiresAt - now;
  return left > 0 ? formatCountdown(left) : t('session.expired');
}

/** The "stay signed in" line: off, unavailable (and why), or on. */
export function keychainText(session: SessionView, staySignedIn: boolean, t: Translator): string {
  if (!staySignedIn) return t('session.keychainOff');
  if (!session.keychain.available) {
    return t('session.keychainUnavailable', {
      reason: session.keychain.reason ?? t('session.keychainUnknownReason'),
    });
  }
  return t(session.keychain.persisted ? 'session.keychainOn' : 'session.keychainPending');
}

/** A mounted session panel. */
export interface SessionPanel {
  element: HTMLElement;
  update(state: AppState): void;
  destroy(): void;
}

/**
 * The sidebar while signed in: who, a live countdown to access-token expiry (ticks every second),
 * refresh times, the keychain status, an offline indicator, and "Refresh now" / "Sign out".
 */
export function createSessionPanel(ctx: AppContext): SessionPanel {
  const { t, bridge } = ctx;
  const heading = h('h2', { id: uid('session'), class: 'card-title' }, t('session.title'));
  const who = h('p', { class: 'session-user' });
  const timerLabel = h('span', { id: uid('timer'), class: 'meta-label' }, t('session.expiresIn'));
  const timer = h('span', { role: 'timer', 'aria-labelledby': timerLabel.id, class: 'countdown' });
  const meterFill = h('span', { class: 'meter-fill' });
  const meter = h('span', { class: 'meter', 'aria-hidden': 'true' }, meterFill);
  const lastRefresh = h('dd');
  const nextRefresh = h('dd');
  const keychain = h('dd');
  const offline = h('div', { class: 'offline-slot' });
  const skew = h('p', { class: 'hint' });
  const alert = alertSlot();
  const refresh = h('button', { type: 'button', class: 'button' }, t('session.refreshNow'));
  const signOut = h('button', { type: 'button', class: 'button button-danger' }, t('session.signOut'));

  const apiUrl = () => ctx.state().settings.values.apiBaseUrl;
  const tick = () => {
    const { session } = ctx.state();
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

  const update = (state: AppState) => {
    const { session, settings } = state;
    const user = session.user;
    replaceChildren(
      who,
      user
        ? [
            h('span', { class: 'meta-label' }, t('session.signedInAs')),
            ' ',
            h('strong', null, user.name),
            ` (@${user.username})`,
          ]
        : null,
    );
    lastRefresh.textContent = session.lastRefreshAt
      ? formatTime(session.lastRefreshAt, t.locale)
      : t('session.never');
    nextRefresh.textContent = session.nextRefreshAt
      ? formatTime(session.nextRefreshAt, t.locale)
      : t('session.unknown');
    keychain.textContent = keychainText(session, settings.values.staySignedIn, t);
    keychain.classList.toggle('text-warning', settings.values.staySignedIn && !session.keychain.available);
    // Inserted only while offline: a status that appears is announced, and none lingers otherwise.
    replaceChildren(
      offline,
      session.offline
        ? h(
            'div',
            { role: 'status', class: 'offline' },
            h('span', { class: 'dot', 'aria-hidden': 'true' }),
            h(
              'span',
              null,
              h('strong', null, t('session.offline')),
              ' ',
              t('session.offlineHint'),
              session.lastError
                ? h(
                    'span',
                    { class: 'offline-detail' },
                    t('session.lastError', {
                      message: errorInfoMessage(session.lastError, t, { url: apiUrl() }),
                    }),
                  )
                : null,
            ),
          )
        : null,
    );
    const skewMs = session.clockSkewMs;
    skew.hidden = skewMs === null || Math.abs(skewMs) < SKEW_NOTICE_MS;
    skew.textContent =
      skewMs === null ? '' : t('session.clockSkew', { amount: formatSkew(skewMs, t.locale) });
    tick();
  };

  const showFailure = (title: string, error: unknown) => {
    const info = errorInfoOf(error);
    const detail = info ? errorInfoMessage(info, t, { url: apiUrl() }) : String(error);
    alert.set([h('strong', null, title), ' ', detail]);
  };

  refresh.addEventListener('click', async () => {
    alert.set(null);
    setBusy(refresh, true, t('session.refreshing'), t('session.refreshNow'));
    try {
      await bridge.auth.getAccessToken({ forceRefresh: true });
    } catch (error) {
      showFailure(t('session.refreshFailed'), error);
    } finally {
      setBusy(refresh, false, t('session.refreshing'), t('session.refreshNow'));
    }
  });

  signOut.addEventListener('click', async () => {
    alert.set(null);
    setBusy(signOut, true, t('session.signingOut'), t('session.signOut'));
    try {
      ctx.flash.signOutResult = await bridge.auth.signOut();
      // An explicit sign-out always lands on the sign-in page (an automatic one keeps the page).
      ctx.setSession(await bridge.auth.getSession(), 'sign-in');
    } catch (error) {
      showFailure(t('session.signOutFailed'), error);
      setBusy(signOut, false, t('session.signingOut'), t('session.signOut'));
    }
  });

  const element = h(
    'aside',
    { class: 'session-panel card', 'aria-labelledby': heading.id },
    heading,
    who,
    h('div', { class: 'countdown-block' }, timerLabel, timer, meter),
    h(
      'dl',
      { class: 'details details-compact' },
      h('div', null, h('dt', null, t('session.lastRefresh')), lastRefresh),
      h('div', null, h('dt', null, t('session.nextRefresh')), nextRefresh),
      h('div', null, h('dt', null, t('session.staySignedIn')), keychain),
    ),
    offline,
    skew,
    alert.element,
    h('div', { class: 'panel-actions' }, refresh, signOut),
  );
  update(ctx.state());

  return {
    element,
    update,
    destroy() {
      window.clearInterval(interval);
    },
  };
}
