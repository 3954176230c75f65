import {
  API_PROFILES,
  type ApiProfile,
  type AuthContractSetting,
  PRESET_CONTRACTS,
  tesseraContract,
} from '../../../common/auth-contract';
import type { ConnectCandidate, ProbeEvidence, ProbeResult, TrySignInResult } from '../../../common/connect';
import type { ErrorInfo } from '../../../common/errors';
import type { SettingsPatch } from '../../../common/settings';
import { h, uid } from '../dom';
import { formatLifetime } from '../format';
import type { Translator } from '../i18n';
import { errorInfoMessage, errorInfoOf, errorNotice, isOriginRefusal } from '../messages/error-messages';
import { noticeSentence, requestErrorNotice } from '../messages/request-errors';
import { refusedOriginField } from '../settings-form';
import type { AppContext } from '../state';
import { alertSlot, type Field, field, noticeContent, setBusy, statusRegion } from './parts';
import { passwordField } from './password-field';

/** The connect wizard, closed behind its "Connect to a server…" button until the person opens it. */
export interface ConnectWizard {
  element: HTMLElement;
  destroy(): void;
}

/** The contract text a profile starts from when the person edits it: custom begins with a whole contract. */
function startingContract(
  profile: ApiProfile,
  from: ApiProfile,
  ctx: AppContext,
): AuthContractSetting | null {
  if (profile !== 'custom') return null;
  const values = ctx.state().settings.values;
  if (from === 'custom' || from === 'tessera') return tesseraContract(values);
  return PRESET_CONTRACTS[from];
}

/** One evidence line: what was asked, and what came back. */
function evidenceText(item: ProbeEvidence, t: Translator): string {
  if (item.outcome === 'match')
    return t('connect.evidence.match', { request: item.request, status: item.status ?? '' });
  if (item.outcome === 'noMatch')
    return t('connect.evidence.noMatch', { request: item.request, status: item.status ?? '' });
  return t('connect.evidence.failed', { request: item.request, code: item.code ?? 'NETWORK' });
}

/** The one sentence of why the probe proposes what it proposes. */
function reasonText(result: ProbeResult, t: Translator): string {
  if (result.reason === 'unreachable') {
    const code = (result.params.code ?? 'NETWORK') as ErrorInfo['code'];
    return t('connect.reason.unreachable', {
      cause: errorInfoMessage({ code, message: '' }, t, { url: result.url }),
    });
  }
  return t(`connect.reason.${result.reason}`, result.params);
}

/** What a successful trial says: lifetime, refresh, and what became of the trial tokens. */
function trialText(result: TrySignInResult, t: Translator): string {
  return [
    t('connect.trial.ok', { lifetime: formatLifetime(result.lifetimeSeconds, t.formatLocale) }),
    t(result.refreshable ? 'connect.trial.refreshable' : 'connect.trial.notRefreshable'),
    t(`connect.trial.discarded.${result.discarded}`),
  ].join(' ');
}

/**
 * The connect wizard (Settings → Connection, and the sign-in page on first run): the person types a
 * URL, main probes it and proposes a contract preset with the reason, the person may edit the contract
 * (JSON, validated by main's schema, which names the field), try a sign-in that keeps nothing, and
 * save — a connection change main confirms in its own dialog. Nothing is stored before that.
 */
export function createConnectWizard(ctx: AppContext): ConnectWizard {
  const { t, bridge } = ctx;
  const panelId = uid('connect');
  const headingId = uid('connect-title');
  const launcherStatus = statusRegion();
  const launcher = h(
    'button',
    { type: 'button', class: 'button', 'aria-expanded': 'false', 'aria-controls': panelId },
    t('connect.open'),
  );

  // Step 1: the address and the probe.
  const url = field(
    t('connect.url'),
    h('input', { type: 'url', autocomplete: 'url', spellcheck: 'false', class: 'mono', name: 'connectUrl' }),
    [t('connect.urlHint')],
  );
  const check = h('button', { type: 'button', class: 'button button-primary' }, t('connect.check'));
  const probeStatus = statusRegion();
  const probeAlert = alertSlot();
  // Not a <form>: the wizard sits inside Settings' own form, and forms do not nest. Enter is handled below.
  const probeStep = h(
    'div',
    { class: 'form' },
    url.element,
    h('div', { class: 'form-actions' }, check, probeStatus.element),
    probeAlert.element,
  );

  // Step 2: the proposal, the contract, the trial sign-in, saving.
  const evidence = h('ul', { class: 'connect-evidence' });
  const profileSelect = h(
    'select',
    { name: 'connectProfile' },
    h('option', { value: '' }, t('connect.profile.choose')),
    API_PROFILES.map((name) => h('option', { value: name }, t(`connect.profile.${name}`))),
  );
  const profile = field(t('settings.apiProfile'), profileSelect);
  const editToggle = h('input', { type: 'checkbox', name: 'connectEdit' });
  const edit = field(t('connect.edit'), editToggle, [], { inline: true });
  const contractText = h('textarea', {
    name: 'connectContract',
    rows: 12,
    spellcheck: 'false',
    class: 'mono',
  });
  const contract: Field<HTMLTextAreaElement> = field(t('connect.contract'), contractText, [
    t('connect.contractHint'),
  ]);
  const username = field(
    t('signIn.username'),
    h('input', {
      name: 'connectUsername',
      autocomplete: 'username',
      autocapitalize: 'off',
      spellcheck: 'false',
    }),
  );
  const password = passwordField(t, { name: 'connectPassword' });
  const tryButton = h('button', { type: 'button', class: 'button' }, t('connect.try'));
  const trialStatus = statusRegion();
  const trialAlert = alertSlot();
  const save = h('button', { type: 'button', class: 'button button-primary' }, t('connect.save'));
  const saveStatus = statusRegion();
  const saveAlert = alertSlot();
  const proposal = h(
    'div',
    { class: 'connect-step', hidden: true },
    h('h3', { class: 'connect-step-title' }, t('connect.proposalTitle')),
    h('details', { class: 'connect-details' }, h('summary', null, t('connect.evidence')), evidence),
    profile.element,
    edit.element,
    contract.element,
    h(
      'fieldset',
      { class: 'connect-trial' },
      h('legend', null, t('connect.trialTitle')),
      h('p', { class: 'hint' }, t('connect.trialHint')),
      username.element,
      password.element,
      h('div', { class: 'form-actions' }, tryButton, trialStatus.element),
      trialAlert.element,
    ),
    h('div', { class: 'form-actions' }, save, saveStatus.element),
    saveAlert.element,
  );
  const close = h('button', { type: 'button', class: 'button' }, t('connect.close'));
  const panel = h(
    'section',
    { id: panelId, class: 'card connect-wizard', 'aria-labelledby': headingId, hidden: true },
    h('h2', { id: headingId, class: 'connect-title' }, t('connect.title')),
    h('p', { class: 'hint' }, t('connect.lead')),
    probeStep,
    proposal,
    h('div', { class: 'form-actions' }, close),
  );
  const element = h(
    'div',
    { class: 'connect' },
    h('div', { class: 'form-actions' }, launcher, launcherStatus.element),
    panel,
  );

  let shown: ProbeResult | null = null;
  let busy = false;
  let destroyed = false;
  let lastProfile: ApiProfile = 'tessera';

  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      launcherStatus.set(null);
      url.control.focus();
    } else launcher.focus();
  };

  const syncContract = () => {
    contract.element.hidden = !editToggle.checked && profileSelect.value !== 'custom';
  };

  const clearMessages = () => {
    for (const f of [url, profile, contract, username, password]) f.setError(null);
    for (const a of [probeAlert, trialAlert, saveAlert]) a.set(null);
    for (const s of [trialStatus, saveStatus]) s.set(null);
  };

  /** Shows the proposal; answers its sentence (what is proposed, and why). */
  const showProposal = (result: ProbeResult): string => {
    shown = result;
    const named = result.profile === null ? null : t(`connect.profile.${result.profile}`);
    evidence.replaceChildren(
      ...result.evidence.map((item) => h('li', { class: 'mono' }, evidenceText(item, t))),
    );
    profileSelect.value = result.profile ?? '';
    lastProfile = result.profile ?? 'tessera';
    contractText.value = result.authContract === null ? '' : JSON.stringify(result.authContract, null, 2);
    editToggle.checked = false;
    syncContract();
    proposal.hidden = false;
    return named
      ? `${t('connect.proposed', { profile: named })} ${reasonText(result, t)}`
      : `${t('connect.unknown')} ${reasonText(result, t)}`;
  };

  const resetProposal = () => {
    shown = null;
    proposal.hidden = true;
  };

  /** The candidate as the form holds it, or null after marking what is missing or malformed. */
  const readCandidate = (): ConnectCandidate | null => {
    if (!shown) return null;
    const chosen = profileSelect.value as ApiProfile | '';
    if (chosen === '') {
      profile.setError(t('connect.profile.missing'));
      profileSelect.focus();
      return null;
    }
    const text = contractText.value.trim();
    let authContract: AuthContractSetting | null = null;
    if (text !== '') {
      try {
        authContract = JSON.parse(text) as AuthContractSetting | null;
      } catch (error) {
        contract.element.hidden = false;
        contract.setError(t('connect.contract.notJson'), error instanceof Error ? error.message : undefined);
        contractText.focus();
        return null;
      }
    }
    return { apiBaseUrl: shown.url, apiProfile: chosen, authContract };
  };

  /**
   * Puts main's refusal on the field it names (a contract problem names its own field in the detail);
   * a server IT's allow-list refuses goes on the Server address, or on the contract when it is one of
   * the contract's endpoints (`address`: the server address the step was for).
   */
  /** What happened and what to do, main's English detail (when it has one) under "Details". */
  const showProblem = (alert: ReturnType<typeof alertSlot>, error: unknown) =>
    alert.set(noticeContent(requestErrorNotice(error, t, { url: shown?.url ?? '' }), t('message.details')));

  const showFailure = (info: ErrorInfo, where: { alert: ReturnType<typeof alertSlot>; address: string }) => {
    const detail = t('error.details', { message: info.message });
    if (isOriginRefusal(info)) {
      const sentence = noticeSentence(errorNotice(info, t, { url: where.address }));
      if (refusedOriginField(info.origin, where.address) === 'apiBaseUrl') {
        url.setError(sentence);
        url.control.focus();
      } else {
        contract.element.hidden = false;
        contract.setError(sentence);
        contractText.focus();
      }
    } else if (info.code === 'INVALID_CONFIG' && info.key === 'authContract') {
      contract.element.hidden = false;
      contract.setError(t('connect.contract.invalid'), detail);
      contractText.focus();
    } else if (info.code === 'INVALID_CONFIG' && info.key === 'apiProfile') {
      profile.setError(t('settings.invalid.other'), detail);
      profileSelect.focus();
    } else if (info.code === 'INVALID_CONFIG' && info.key === 'apiBaseUrl') {
      url.setError(t('settings.invalid.apiBaseUrl'), detail);
      url.control.focus();
    } else {
      showProblem(where.alert, info);
    }
  };

  const runProbe = async () => {
    if (busy) return;
    clearMessages();
    const typed = url.control.value.trim();
    if (!typed) {
      url.setError(t('connect.url.missing'));
      url.control.focus();
      return;
    }
    busy = true;
    resetProposal();
    setBusy(check, true, t('connect.checking'), t('connect.check'));
    probeStatus.set(t('connect.checkingStatus', { url: typed }));
    try {
      const result = await bridge.settings.probeApi(typed);
      if (destroyed) return;
      // The live region beside the button announces the proposal and its reason; focus goes to the
      // decision that follows it.
      probeStatus.set(showProposal(result));
      profileSelect.focus();
    } catch (error) {
      if (destroyed) return;
      probeStatus.set(null);
      const info = errorInfoOf(error);
      // The person said no to main's question (or a newer probe replaced this one): nothing was sent.
      if (info?.code === 'CANCELLED') {
        probeStatus.set(t('connect.probe.notConfirmed'));
        return;
      }
      if (info) showFailure(info, { alert: probeAlert, address: typed });
      else showProblem(probeAlert, error);
    } finally {
      busy = false;
      if (!destroyed) setBusy(check, false, t('connect.checking'), t('connect.check'));
    }
  };
  check.addEventListener('click', () => void runProbe());

  url.control.addEventListener('input', () => {
    // A proposal belongs to the address it was made for.
    if (shown && url.control.value.trim() !== shown.url) resetProposal();
  });

  profileSelect.addEventListener('change', () => {
    profile.setError(null);
    const chosen = profileSelect.value as ApiProfile | '';
    if (chosen === '') return;
    // The probe's changes fit its own proposal only; another preset starts from itself, custom from a whole contract.
    const start = chosen === shown?.profile ? shown.authContract : startingContract(chosen, lastProfile, ctx);
    contractText.value = start === null ? '' : JSON.stringify(start, null, 2);
    if (chosen !== 'custom') lastProfile = chosen;
    syncContract();
  });

  editToggle.addEventListener('change', syncContract);
  contractText.addEventListener('input', () => contract.setError(null));

  const runTrial = async () => {
    if (busy) return;
    clearMessages();
    const candidate = readCandidate();
    if (!candidate) return;
    const name = username.control.value.trim();
    const secret = password.control.value;
    username.setError(name ? null : t('signIn.usernameMissing'));
    password.setError(secret ? null : t('signIn.passwordMissing'));
    if (!name || !secret) {
      (name ? password : username).control.focus();
      return;
    }
    busy = true;
    setBusy(tryButton, true, t('connect.trying'), t('connect.try'));
    try {
      const result = await bridge.settings.trySignIn({ ...candidate, username: name, password: secret });
      if (destroyed) return;
      trialStatus.set(trialText(result, t));
    } catch (error) {
      if (destroyed) return;
      const info = errorInfoOf(error);
      if (info?.code === 'CANCELLED') trialStatus.set(t('connect.trial.notConfirmed'));
      else if (info) showFailure(info, { alert: trialAlert, address: candidate.apiBaseUrl });
      else showProblem(trialAlert, error);
    } finally {
      busy = false;
      if (!destroyed) setBusy(tryButton, false, t('connect.trying'), t('connect.try'));
    }
  };
  tryButton.addEventListener('click', () => void runTrial());

  save.addEventListener('click', async () => {
    if (busy) return;
    clearMessages();
    const candidate = readCandidate();
    if (!candidate) return;
    const current = ctx.state().settings.values;
    const patch: SettingsPatch = {};
    if (candidate.apiBaseUrl !== current.apiBaseUrl) patch.apiBaseUrl = candidate.apiBaseUrl;
    if (candidate.apiProfile !== current.apiProfile) patch.apiProfile = candidate.apiProfile;
    if (JSON.stringify(candidate.authContract) !== JSON.stringify(current.authContract))
      patch.authContract = candidate.authContract;
    // The wizard sets up password sign-in with a contract.
    if (current.authMode !== 'password') patch.authMode = 'password';
    busy = true;
    setBusy(save, true, t('connect.saving'), t('connect.save'));
    try {
      const saved =
        Object.keys(patch).length === 0 ? ctx.state().settings : await bridge.settings.update(patch);
      if (destroyed) return;
      // Kept: the password was only for the trial.
      password.control.value = '';
      resetProposal();
      setOpen(false);
      launcherStatus.set(t('connect.saved', { url: candidate.apiBaseUrl }));
      // Like a save in Settings, the page keeps its place (a changed origin reloads it); the person signs
      // in again, at the new server.
      ctx.setSettings(saved);
    } catch (error) {
      if (destroyed) return;
      const info = errorInfoOf(error);
      if (info?.code === 'CANCELLED') saveStatus.set(t('settings.notConfirmed'));
      else if (info) showFailure(info, { alert: saveAlert, address: candidate.apiBaseUrl });
      else showProblem(saveAlert, error);
    } finally {
      busy = false;
      if (!destroyed) setBusy(save, false, t('connect.saving'), t('connect.save'));
    }
  });

  launcher.addEventListener('click', () => setOpen(launcher.getAttribute('aria-expanded') !== 'true'));
  close.addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (event) => {
    // Enter in the address checks it, in the trial's fields tries the sign-in; it never submits the
    // page's form around the wizard (Settings), which would save something else.
    if (
      event.key === 'Enter' &&
      event.target instanceof HTMLInputElement &&
      event.target.type !== 'checkbox'
    ) {
      event.preventDefault();
      if (event.target === url.control) void runProbe();
      else if (event.target === username.control || event.target === password.control) void runTrial();
      return;
    }
    if (event.key === 'Escape' && !busy) {
      event.preventDefault();
      setOpen(false);
    }
  });

  return {
    element,
    destroy() {
      destroyed = true;
    },
  };
}
