import type { SessionView } from '../../../common/session';
import { type Child, h } from '../dom';
import { errorInfoOf } from '../messages/error-messages';
import { providerName, providerSignInNotice } from '../messages/provider-messages';
import type { AppContext, AppState } from '../state';
import { detailsDisclosure, setBusy } from './parts';

/** The sign-in page's shared slots the provider panel writes into. */
export interface ProviderPanelSlots {
  alert: { set(text: Child | null): void };
  status: { set(text: string | null): void };
  /** Called when the person starts an attempt (the previous session's notice no longer applies). */
  onAttempt(): void;
  /** Takes a successful sign-in's session (keychain warning, navigation): shared with the password form. */
  onSignedIn(session: SessionView): void;
  /** After a KEYCHAIN_UNAVAILABLE failure: true when the session works anyway (then nothing else to show). */
  recoverKeychain(): Promise<boolean>;
}

/** The oidc half of the sign-in page: "Sign in with <provider>", then a waiting state with Cancel. */
export function createProviderPanel(ctx: AppContext, slots: ProviderPanelSlots) {
  const { t, bridge } = ctx;
  const values = () => ctx.state().settings.values;
  const name = () => providerName(values(), t);
  const lead = h('p', { class: 'api-line' }, t('signIn.providerLead', { provider: name() }));
  const start = h(
    'button',
    { type: 'button', class: 'button button-primary button-wide' },
    t('signIn.withProvider', { provider: name() }),
  );
  const cancel = h(
    'button',
    { type: 'button', class: 'button button-wide', hidden: true },
    t('signIn.cancel'),
  );
  let busy = false;
  let destroyed = false;

  const showWaiting = (waiting: boolean) => {
    setBusy(
      start,
      waiting,
      t('signIn.providerBusy', { provider: name() }),
      t('signIn.withProvider', { provider: name() }),
    );
    cancel.hidden = !waiting;
    cancel.disabled = false;
  };

  const signIn = async () => {
    if (busy) return;
    busy = true;
    slots.onAttempt();
    slots.alert.set(null);
    slots.status.set(t('signIn.providerWaiting'));
    showWaiting(true);
    // The start button is disabled now: keep keyboard focus on something usable.
    cancel.focus();
    try {
      slots.onSignedIn(await bridge.auth.signInWithProvider());
    } catch (error) {
      const info = errorInfoOf(error);
      if (info?.code === 'KEYCHAIN_UNAVAILABLE' && (await slots.recoverKeychain())) return;
      if (destroyed) return;
      const notice = info
        ? providerSignInNotice(info, t, values())
        : {
            kind: 'alert' as const,
            text: `${t('error.INTERNAL')} ${t('error.INTERNAL.next')}`,
            detail: error instanceof Error ? error.message : String(error),
          };
      slots.alert.set(
        notice.kind === 'alert'
          ? [notice.text, detailsDisclosure(t('message.details'), notice.detail)]
          : null,
      );
      slots.status.set(notice.kind === 'status' ? notice.text : null);
    } finally {
      busy = false;
      if (!destroyed) {
        showWaiting(false);
        start.focus();
      }
    }
  };

  const cancelSignIn = async () => {
    cancel.disabled = true;
    // The pending sign-in rejects with CANCELLED, which the handler above shows.
    await bridge.auth.cancelSignIn().catch(() => undefined);
  };

  start.addEventListener('click', () => void signIn());
  cancel.addEventListener('click', () => void cancelSignIn());

  return {
    element: h('div', { class: 'form' }, lead, start, cancel),
    initialFocus: start,
    /** A sign-in started before this page was (re)built still shows as waiting, with its Cancel. */
    update(state: AppState) {
      if (!busy) showWaiting(state.session.state === 'signingIn');
    },
    destroy() {
      destroyed = true;
    },
  };
}
