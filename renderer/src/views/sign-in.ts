import { keychainReasonKind } from '../../../common/keychain';
import type { SessionView } from '../../../common/session';
import { h, replaceChildren } from '../dom';
import { errorInfoOf, errorNotice, isHeldBackAtStart } from '../messages/error-messages';
import { reasonNotice } from '../messages/reason-messages';
import { hashOf, isSignedIn } from '../routes';
import type { AppContext, View } from '../state';
import { hostOf } from './account-chip';
import { createConnectWizard } from './connect-wizard';
import {
  alertSlot,
  detailsDisclosure,
  field,
  noticeContent,
  pageHeading,
  setBusy,
  statusRegion,
} from './parts';
import { passwordField } from './password-field';
import { createProviderPanel } from './sign-in-provider';
import { revocationWarning } from './sign-out';

/** True when the person asked to stay signed in and the keychain cannot keep the session. */
export function needsKeychainWarning(session: SessionView, staySignedIn: boolean): boolean {
  return staySignedIn && (!session.keychain.available || session.lastError?.code === 'KEYCHAIN_UNAVAILABLE');
}

/** The keychain failures the stored-session notice words on its own; the others share one text. */
const UNREAD_KINDS = ['locked', 'noAnswer', 'missing'] as const;

/**
 * The sign-in page: username and password (password mode) or "Sign in with <provider>" (oidc mode),
 * the API it signs in to, and why the last session ended.
 */
export function createSignInView(ctx: AppContext): View {
  const { t, bridge, flash } = ctx;
  const apiUrl = () => ctx.state().settings.values.apiBaseUrl;
  const heading = pageHeading(t('signIn.title'));
  const alert = alertSlot();
  const status = statusRegion();
  // "Signing in…" for screen readers: disabling the busy button drops its focus, so nothing else says
  // that the sign-in is under way while a slow server answers.
  const progress = statusRegion('visually-hidden');
  const username = field(
    t('signIn.username'),
    h('input', { name: 'username', autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false' }),
  );
  const password = passwordField(t, { name: 'password' });
  const submit = h(
    'button',
    { type: 'submit', class: 'button button-primary button-wide' },
    t('signIn.submit'),
  );
  const apiLine = h('p', { class: 'api-line' });
  // A stored session the start-up restore could not read from the keychain (`keychain.unread`): said
  // apart from the form's own alert, since it stays true whatever the person tries on the form, with a
  // button that reads the keychain again. Main also reads it again by itself once a keychain prompt
  // that timed out is answered.
  const unread = alertSlot();
  let unreadKind: string | null = null;
  let retrying = false;
  const retryButton = h(
    'button',
    { type: 'button', class: 'button button-small', onclick: () => void retryRestore() },
    t('signIn.retryRestore'),
  );
  let busy = false;
  let destroyed = false;
  // The reason notice stays until the person acts; after that, the attempt's own outcome is what matters.
  let attempted = false;

  const showReason = (session: SessionView) => {
    if (attempted) return;
    const signOutResult = flash.signOutResult;
    status.element.classList.remove('notice-warning');
    if (session.reason) {
      const notice = reasonNotice(session.reason, t);
      if (notice.kind === 'alert') {
        // A refresh the server kept refusing: its own words (sanitised in main) help whoever fixes the setting.
        const detail =
          session.reason === 'refreshMisconfigured' && session.lastError ? session.lastError.message : null;
        alert.set(noticeContent({ text: notice.what, next: notice.next, detail }, t('message.details')));
        status.set(null);
      } else {
        alert.set(null);
        // The server that was not told is the signed-out account's, which may not be the configured one.
        const warning = signOutResult ? revocationWarning(t, signOutResult, signOutResult.apiBaseUrl) : null;
        // Signed out here, but the server did not hear of it: a partial success is a warning, never green.
        status.element.classList.toggle('notice-warning', warning !== null);
        status.set(warning ? `${notice.what} ${warning}` : notice.what);
      }
    } else if (session.lastError && isHeldBackAtStart(session.lastError)) {
      // A stored account IT's policy held back at start (its allow-list no longer allows it, or "stay
      // signed in" locked off by a value that could not be used): say why it is gone.
      alert.set(noticeContent(errorNotice(session.lastError, t, { url: apiUrl() }), t('message.details')));
      status.set(null);
    } else {
      alert.set(null);
      status.set(null);
    }
  };

  const renderUnread = (session: SessionView) => {
    const waiting =
      session.keychain.unread === true &&
      session.state !== 'active' &&
      session.state !== 'refreshing' &&
      ctx.state().settings.values.staySignedIn;
    const kind = waiting ? keychainReasonKind(session.keychain.reason ?? '') : null;
    // Rebuilt only when what it says changes: a new alert is announced again, and the button keeps focus.
    if (kind === unreadKind) return;
    unreadKind = kind;
    if (kind === null) {
      unread.set(null);
      return;
    }
    const next = (UNREAD_KINDS as readonly string[]).includes(kind) ? kind : 'other';
    // The button moves into the rebuilt notice (a second try failed for another reason): keep its focus.
    const hadFocus = document.activeElement === retryButton;
    unread.set(
      [
        h('strong', null, t('signIn.storedUnread')),
        ' ',
        t(`signIn.storedUnread.${next as (typeof UNREAD_KINDS)[number] | 'other'}`),
        h('p', { class: 'alert-actions' }, retryButton),
        detailsDisclosure(t('message.details'), session.keychain.reason),
      ],
      'warning',
    );
    if (hadFocus) retryButton.focus();
  };

  const retryRestore = async () => {
    if (retrying) return;
    retrying = true;
    setBusy(retryButton, true, t('signIn.retryRestoreBusy'), t('signIn.retryRestore'));
    status.set(null);
    try {
      const session = await bridge.auth.retryRestore();
      if (destroyed) return;
      ctx.setSession(session);
      if (isSignedIn(session)) return;
      status.set(t(session.keychain.unread ? 'signIn.storedStillUnread' : 'signIn.storedNotFound'));
    } catch (error) {
      if (destroyed) return;
      const info = errorInfoOf(error);
      alert.set(
        noticeContent(
          info
            ? errorNotice(info, t, { url: apiUrl() })
            : { text: t('error.INTERNAL'), next: t('error.INTERNAL.next'), detail: String(error) },
          t('message.details'),
        ),
      );
    } finally {
      retrying = false;
      if (!destroyed) setBusy(retryButton, false, t('signIn.retryRestoreBusy'), t('signIn.retryRestore'));
    }
  };

  // The server, small: its host (the full address is in Settings). It can be changed from here only
  // when IT has not locked it and the sign-in goes through a provider's page, where it is not ours.
  const renderApiLine = () => {
    const { settings } = ctx.state();
    const editable = !settings.managed.includes('apiBaseUrl') && settings.values.authMode !== 'oidc';
    replaceChildren(
      apiLine,
      h('span', { class: 'api-line-label' }, `${t('signIn.apiHost')}:`),
      ' ',
      h('span', { class: 'api-url', title: apiUrl() }, hostOf(apiUrl())),
      editable ? [' · ', h('a', { href: hashOf('settings'), class: 'link' }, t('signIn.changeApi'))] : null,
    );
  };

  /** Takes a successful sign-in's session: on to Home, with the keychain warning when it applies. */
  const signedIn = (session: SessionView) => {
    if (needsKeychainWarning(session, ctx.state().settings.values.staySignedIn)) flash.keychainWarning = true;
    ctx.setSession(session);
  };

  /** Not a failed sign-in when the session works and only cannot outlive this run: true then. */
  const recoverKeychain = async (): Promise<boolean> => {
    const session = await bridge.auth.getSession().catch(() => null);
    if (!session || !isSignedIn(session)) return false;
    flash.keychainWarning = true;
    ctx.setSession(session);
    return true;
  };

  const provider =
    ctx.state().settings.values.authMode === 'oidc'
      ? createProviderPanel(ctx, {
          alert,
          status,
          onAttempt: () => {
            attempted = true;
            delete flash.signOutResult;
          },
          onSignedIn: signedIn,
          recoverKeychain,
        })
      : null;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    attempted = true;
    delete flash.signOutResult;
    const name = username.control.value.trim();
    const secret = password.control.value;
    username.setError(name ? null : t('signIn.usernameMissing'));
    password.setError(secret ? null : t('signIn.passwordMissing'));
    alert.set(null);
    status.set(null);
    if (!name || !secret) {
      (name ? password : username).control.focus();
      return;
    }
    busy = true;
    setBusy(submit, true, t('signIn.busy'), t('signIn.submit'));
    progress.set(t('signIn.busy'));
    try {
      signedIn(await bridge.auth.signIn({ username: name, password: secret }));
    } catch (error) {
      const info = errorInfoOf(error);
      if (info?.code === 'KEYCHAIN_UNAVAILABLE' && (await recoverKeychain())) return;
      if (destroyed) return;
      alert.set(
        info
          ? noticeContent(errorNotice(info, t, { url: apiUrl() }), t('message.details'))
          : noticeContent(
              {
                text: t('error.INTERNAL'),
                next: t('error.INTERNAL.next'),
                detail: error instanceof Error ? error.message : String(error),
              },
              t('message.details'),
            ),
      );
      if (info?.code === 'INVALID_CREDENTIALS') {
        // Both fields are in question, and the password, focused, reads the alert again: focus moving
        // at once may cut the alert short in a screen reader.
        username.describeProblem(alert.id);
        password.describeProblem(alert.id);
        password.control.select();
        password.control.focus();
      }
    } finally {
      busy = false;
      progress.set(null);
      // The busy button lost focus when it was disabled: setBusy gives it back (a server down, a
      // timeout …), so the next Enter tries again and the keyboard is not left on the page body.
      if (!destroyed) setBusy(submit, false, t('signIn.busy'), t('signIn.submit'));
    }
  };

  const form = h(
    'form',
    { class: 'form', novalidate: true, method: 'post', onsubmit: (event: Event) => void onSubmit(event) },
    username.element,
    password.element,
    submit,
    progress.element,
  );
  // First run: nobody chose an API yet (the built-in default address), so offer the connect wizard.
  const settingsView = ctx.state().settings;
  const firstRun =
    settingsView.sources.apiBaseUrl === 'default' && !settingsView.managed.includes('apiBaseUrl')
      ? createConnectWizard(ctx)
      : null;
  const element = h(
    'section',
    { class: 'auth-card card', 'aria-labelledby': heading.id },
    heading,
    firstRun ? h('p', { class: 'notice' }, t('connect.firstRun')) : null,
    firstRun?.element,
    apiLine,
    unread.element,
    alert.element,
    status.element,
    provider ? provider.element : form,
  );
  renderApiLine();
  renderUnread(ctx.state().session);
  showReason(ctx.state().session);
  // After an automatic sign-out the same person usually signs in again: offer their username.
  const prefilled = Boolean(flash.lastUsername && ctx.state().session.reason !== 'userSignedOut');
  if (prefilled) username.control.value = flash.lastUsername ?? '';
  provider?.update(ctx.state());

  return {
    element,
    heading,
    title: t('nav.signIn'),
    initialFocus: provider ? provider.initialFocus : prefilled ? password.control : username.control,
    update(state) {
      renderApiLine();
      renderUnread(state.session);
      showReason(state.session);
      provider?.update(state);
    },
    destroy() {
      destroyed = true;
      provider?.destroy();
      firstRun?.destroy();
    },
  };
}
