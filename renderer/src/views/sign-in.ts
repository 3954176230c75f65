import type { SessionView } from '../../../common/session';
import { h } from '../dom';
import { errorInfoMessage, errorInfoOf } from '../messages/error-messages';
import { reasonNotice } from '../messages/reason-messages';
import { hashOf, isSignedIn } from '../routes';
import type { AppContext, View } from '../state';
import { createConnectWizard } from './connect-wizard';
import { alertSlot, field, pageHeading, setBusy, statusRegion } from './parts';
import { createProviderPanel } from './sign-in-provider';

/** True when the person asked to stay signed in and the keychain cannot keep the session. */
export function needsKeychainWarning(session: SessionView, staySignedIn: boolean): boolean {
  return staySignedIn && (!session.keychain.available || session.lastError?.code === 'KEYCHAIN_UNAVAILABLE');
}

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
  const username = field(
    t('signIn.username'),
    h('input', { name: 'username', autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false' }),
  );
  const password = field(
    t('signIn.password'),
    h('input', { name: 'password', type: 'password', autocomplete: 'current-password' }),
  );
  const submit = h(
    'button',
    { type: 'submit', class: 'button button-primary button-wide' },
    t('signIn.submit'),
  );
  const apiLine = h('p', { class: 'api-line' });
  let busy = false;
  let destroyed = false;
  // The reason notice stays until the person acts; after that, the attempt's own outcome is what matters.
  let attempted = false;

  const showReason = (session: SessionView) => {
    if (attempted) return;
    const signOutResult = flash.signOutResult;
    if (session.reason) {
      const notice = reasonNotice(session.reason, t);
      if (notice.kind === 'alert') {
        // A refresh the server kept refusing: its own words (sanitised in main) help whoever fixes the setting.
        const detail =
          session.reason === 'refreshMisconfigured' && session.lastError
            ? ` ${errorInfoMessage(session.lastError, t, { url: apiUrl() })}`
            : '';
        alert.set(`${notice.text}${detail}`);
        status.set(null);
      } else {
        alert.set(null);
        const revocation = signOutResult?.revoked === false && signOutResult.revocationError;
        // The cause sits in parentheses mid-sentence: drop its own full stop.
        const cause = revocation
          ? errorInfoMessage(revocation, t, { url: apiUrl() }).replace(/[.。]$/, '')
          : '';
        status.set(
          revocation ? `${notice.text} ${t('signIn.revocationFailed', { message: cause })}` : notice.text,
        );
      }
    } else {
      alert.set(null);
      status.set(null);
    }
  };

  const renderApiLine = () => {
    apiLine.replaceChildren(
      h('span', { class: 'api-line-label' }, t('signIn.apiLead')),
      ' ',
      h('strong', { class: 'api-url' }, apiUrl()),
      ' ',
      h('a', { href: hashOf('settings'), class: 'link' }, t('signIn.changeApi')),
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
    try {
      signedIn(await bridge.auth.signIn({ username: name, password: secret }));
    } catch (error) {
      const info = errorInfoOf(error);
      if (info?.code === 'KEYCHAIN_UNAVAILABLE' && (await recoverKeychain())) return;
      if (destroyed) return;
      const message = info
        ? errorInfoMessage(info, t, { url: apiUrl() })
        : t('request.unknown', { message: error instanceof Error ? error.message : String(error) });
      alert.set(message);
      if (info?.code === 'INVALID_CREDENTIALS') {
        password.control.select();
        password.control.focus();
      }
    } finally {
      busy = false;
      if (!destroyed) setBusy(submit, false, t('signIn.busy'), t('signIn.submit'));
    }
  };

  const form = h(
    'form',
    { class: 'form', novalidate: true, method: 'post', onsubmit: (event: Event) => void onSubmit(event) },
    username.element,
    password.element,
    submit,
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
    alert.element,
    status.element,
    provider ? provider.element : form,
  );
  renderApiLine();
  showReason(ctx.state().session);
  provider?.update(ctx.state());

  return {
    element,
    heading,
    title: t('nav.signIn'),
    initialFocus: provider ? provider.initialFocus : username.control,
    update(state) {
      renderApiLine();
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
