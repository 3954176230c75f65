import { expiredRuleOf } from '../../common/auth-contract';
import type { TesseraBridge } from '../../common/ipc';
import type { SessionView } from '../../common/session';
import type { SettingsView } from '../../common/settings';
import { createApiClient } from './api/client';
import { toggleAttribute, uid } from './dom';
import { createTranslator, preferredLocales, resolveLocale, type Translator } from './i18n';
import { keepForReload, takeAfterReload, windowSessionStorage } from './reload-flash';
import { effectiveRoute, hashOf, isSignedIn, parseHash, type Route } from './routes';
import { type AppContext, type AppState, activeApiUrl, type Flash, type View } from './state';
import { applyTheme } from './theme';
import { type AccountSwitcher, createAccountSwitcher } from './views/account-switcher';
import { type ConnectionBanner, createConnectionBanner } from './views/connection-banner';
import { createHomeView } from './views/home';
import { createLayout, type Layout } from './views/layout';
import { createConsoleView } from './views/request-console';
import { createSessionPanel, type SessionPanel } from './views/session-panel';
import { createSettingsView } from './views/settings';
import { createSignInView } from './views/sign-in';

/**
 * A status the page already shows when it arrives ("You signed out.", a warning known when it is built)
 * was never a change of its live region, so no screen reader says it: the page heading, which takes
 * focus, is described by it instead.
 */
function describeByStatus(view: View): void {
  const shown = [...view.element.querySelectorAll<HTMLElement>('[role="status"]')].filter((status) =>
    status.textContent?.trim(),
  );
  for (const status of shown) status.id ||= uid('status');
  toggleAttribute(
    view.heading,
    'aria-describedby',
    shown.length > 0 ? shown.map((s) => s.id).join(' ') : null,
  );
}

const VIEWS: Record<Route, (ctx: AppContext) => View> = {
  'sign-in': createSignInView,
  home: createHomeView,
  console: createConsoleView,
  settings: createSettingsView,
};

/** The running app; `setSession` is how main's session events come in. */
export interface App {
  setSession(session: SessionView): void;
}

/**
 * Starts the UI in `root`. State is three things (settings, session, route); every change goes
 * through `render()`, which rebuilds the frame only when sign-in state or language changed,
 * remounts the page when the route changed, and otherwise lets the mounted page update in place
 * (so typing, focus and the countdown are never disturbed by a session event).
 */
export function startApp(
  root: HTMLElement,
  bridge: TesseraBridge,
  initial: { settings: SettingsView; session: SessionView },
): App {
  const state: AppState = {
    ...initial,
    route: effectiveRoute(parseHash(window.location.hash), isSignedIn(initial.session)),
  };
  const flash: Flash = {};
  // A save that main followed with a reload (a new server): this page says "Settings saved." too.
  const storage = windowSessionStorage();
  const afterSave = takeAfterReload(storage, state.route, Date.now());
  if (afterSave) flash.settingsSaved = afterSave;
  window.addEventListener('pagehide', () => keepForReload(flash, storage));
  // Read once: main hands each window the OS's regional formats when it creates it.
  const regional = preferredLocales(bridge, navigator.languages);
  let t: Translator = createTranslator('en', regional);
  let layout: (Layout & { locale: string }) | null = null;
  let view: (View & { route: Route }) | null = null;
  let panel: SessionPanel | null = null;
  let switcher: AccountSwitcher | null = null;
  let banner: ConnectionBanner | null = null;
  let firstRender = true;
  // The person chose to sign out and the page acts on it (a save): the address already says sign-in,
  // so a reload meanwhile (main reloads the window for a new server) lands on the sign-in page.
  let signingOut = false;
  // The address as the app last wrote or read it. Another one means the person navigated (a link, Back)
  // and its `hashchange` is still to come: a render meanwhile (a session event) must not write the
  // old page's address over it, or the navigation is lost.
  let knownAddress = window.location.hash;
  const setAddress = (address: string) => {
    window.history.replaceState(null, '', address);
    knownAddress = window.location.hash;
  };

  const ctx: AppContext = {
    bridge,
    api: createApiClient({
      bridge,
      getBaseUrl: () => activeApiUrl(state),
      getTimeoutMs: () => state.settings.values.requestTimeoutMs,
      onSessionChecked: (session) => setSession(session),
      getExpiredRule: () => expiredRuleOf(state.settings.values),
    }),
    get t() {
      return t;
    },
    flash,
    connection: {
      failed: (key, error, retry) => banner?.reporter.failed(key, error, retry) ?? false,
      settled: (key) => banner?.reporter.settled(key),
    },
    state: () => state,
    setSession: (session, route) => {
      if (route) state.route = route;
      setSession(session);
    },
    setSettings: (settings) => {
      state.settings = settings;
      render();
    },
    announce: (text, options) => panel?.notify(text, options),
    confirmSignOut: async () => {
      const asking = view;
      if (!asking?.beforeSignOut) return true;
      try {
        const answer = await asking.beforeSignOut(() => {
          signingOut = true;
          setAddress(hashOf('sign-in'));
        });
        if (!answer) return false;
        // The answer itself may have ended the session: "Save and sign out" saved a new server, and
        // main signed out of the old one before it answered the save (the page may not have heard yet).
        // The person asked to sign out: they land on the sign-in page, which says why, and no second
        // sign-out replaces that reason.
        const session = await bridge.auth.getSession();
        if (!isSignedIn(session)) {
          ctx.setSession(session, 'sign-in');
          return false;
        }
        // The page may have gone while it asked (the session ended meanwhile): nothing left to sign out of.
        return view === asking;
      } finally {
        signingOut = false;
        if (window.location.hash !== hashOf(state.route)) setAddress(hashOf(state.route));
      }
    },
  };

  const mount = (route: Route) => {
    view?.destroy?.();
    // A flash belongs to one page; it survives re-mounts of that page (session events and the
    // save that caused them can arrive in either order) and is dropped once the person moves on.
    if (route !== 'sign-in') delete flash.signOutResult;
    if (route !== 'home') delete flash.keychainWarning;
    if (route !== 'settings') {
      delete flash.settingsSaved;
      delete flash.preferenceSaved;
      delete flash.settingsDraft;
      delete flash.focusedSetting;
    }
    const created = VIEWS[route](ctx);
    view = Object.assign(created, { route });
    layout?.main.replaceChildren(created.element);
    layout?.setRoute(route);
    document.title = t('app.pageTitle', { page: created.title });
    describeByStatus(created);
    // Move focus to the new page so screen readers announce it; on start-up, only the sign-in
    // form takes focus (its username field), nothing else is stolen — except after a save main
    // reloaded the window for: the heading takes it, described by what the save did.
    if (firstRender) (afterSave ? created.heading : created.initialFocus)?.focus();
    else (created.keepFocus ?? created.heading).focus();
  };

  function render(): void {
    const signedIn = isSignedIn(state.session);
    const route = effectiveRoute(state.route, signedIn);
    state.route = route;
    const address = hashOf(signingOut ? 'sign-in' : route);
    const navigationPending = window.location.hash !== knownAddress;
    if (!navigationPending && window.location.hash !== address) setAddress(address);
    const locale = resolveLocale(state.settings.values.locale, navigator.language);
    if (t.locale !== locale) t = createTranslator(locale, regional);
    document.documentElement.lang = locale;
    applyTheme(state.settings.values.theme);

    if (!layout || layout.signedIn !== signedIn || layout.locale !== locale) {
      view?.destroy?.();
      view = null;
      panel?.destroy();
      banner?.destroy();
      switcher?.destroy();
      layout = Object.assign(createLayout(t, signedIn), { locale });
      switcher = createAccountSwitcher(ctx, layout.element);
      layout.accountSlot.replaceChildren(switcher.element);
      banner = signedIn
        ? createConnectionBanner(
            t,
            () => bridge.auth.getAccessToken({ forceRefresh: true }),
            () => view?.heading,
          )
        : null;
      banner?.update(state.session, activeApiUrl(state));
      panel = signedIn ? createSessionPanel(ctx) : null;
      layout.setAside(panel?.element ?? null);
      layout.setBanner(banner?.element ?? null);
      root.replaceChildren(layout.element);
      mount(route);
    } else if (view?.route !== route) {
      mount(route);
    } else {
      view.update?.(state);
    }
    banner?.update(state.session, activeApiUrl(state));
    panel?.update(state);
    switcher?.update(state);
    firstRender = false;
  }

  function setSession(session: SessionView): void {
    // Signed out without asking (expiry, reuse …): the sign-in form offers the same username again.
    const previousUser = state.session.user?.username;
    if (previousUser && !isSignedIn(session) && session.reason !== 'userSignedOut') {
      flash.lastUsername = previousUser;
    }
    state.session = session;
    render();
  }

  window.addEventListener('hashchange', () => {
    knownAddress = window.location.hash;
    const requested = parseHash(window.location.hash);
    // Unknown fragments (e.g. an in-page anchor) are not navigation.
    if (requested === null) return;
    const leaving = view;
    if (leaving?.beforeLeave && requested !== leaving.route) {
      // The page may ask first (unsaved edits): the address shows where we are until it answers.
      setAddress(hashOf(leaving.route));
      void leaving.beforeLeave().then((leave) => {
        if (!leave || view !== leaving) return;
        state.route = requested;
        render();
      });
      return;
    }
    state.route = requested;
    render();
  });

  render();
  return { setSession };
}
