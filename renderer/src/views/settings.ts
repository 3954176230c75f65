import { SETTING_KEYS, type SettingKey, type SettingsView, settingTrust } from '../../../common/settings';
import { h } from '../dom';
import { errorInfoOf, errorNotice, isOriginRefusal } from '../messages/error-messages';
import { noticeSentence, requestErrorNotice } from '../messages/request-errors';
import { settingsSavedText } from '../reload-flash';
import { isSignedIn } from '../routes';
import {
  buildPatch,
  formValuesOf,
  hasUnsavedChanges,
  lockedKeys,
  lockReason,
  PREFERENCE_KEYS,
  type Refusal,
  refusalMessageKey,
  refusalWithoutField,
  refusedFields,
  refusedOriginField,
  type SettingsFormValues,
} from '../settings-form';
import type { AppContext, AppState, SettingsDraft, View } from '../state';
import { askInPage, chooseInPage } from './confirm-dialog';
import { createConnectWizard } from './connect-wizard';
import { alertSlot, detailsDisclosure, type Field, field, pageHeading, setBusy, statusRegion } from './parts';
import { createAboutConfiguration } from './settings-about';
import {
  advancedFields,
  connectionFields,
  type MakeField,
  preferenceFields,
  settingsSection,
} from './settings-fields';
import { createSettingsNotice } from './settings-notice';

type Control = HTMLInputElement | HTMLSelectElement;

const isPreference = (key: SettingKey) => (PREFERENCE_KEYS as readonly SettingKey[]).includes(key);

/**
 * Settings in three sections. Preferences (language, theme, stay signed in) apply as soon as they
 * change. Connection and Advanced are one form with one Save: main validates the whole change and
 * answers with every refused field at once, and asks the person before a connection change.
 * Settings locked by policy, command line or environment are read-only and say so in words.
 * Leaving with unsaved edits asks first (`beforeLeave`); edits survive a re-render (language change).
 */
export function createSettingsView(ctx: AppContext): View {
  const { t, bridge, flash } = ctx;
  const heading = pageHeading(t('settings.title'));
  const notice = createSettingsNotice(t);
  const preferenceStatus = statusRegion();
  const status = statusRegion();
  const alert = alertSlot();
  const fields = new Map<SettingKey, Field<Control>>();
  const save = h('button', { type: 'submit', class: 'button button-primary' }, t('settings.save'));
  let shown = ctx.state().settings;
  let busy = false;
  let destroyed = false;

  const make: MakeField = (key, control, options = {}) => {
    const reason = lockReason(shown, key);
    control.name = key;
    control.disabled = reason !== null;
    const fromDefaults = reason === null && shown.sources[key] === 'policyDefaults';
    const made = field(
      options.label ?? t(`settings.${key}`),
      control,
      [
        reason === null ? options.hint : null,
        reason ? h('span', { class: 'managed' }, t(`settings.lock.${reason}`)) : null,
        fromDefaults ? t('settings.source.policyDefaults') : null,
      ],
      { inline: options.inline },
    );
    fields.set(key, made);
    return made.element;
  };

  const controlValue = (key: SettingKey): string | boolean | undefined => {
    const control = fields.get(key)?.control;
    if (!control) return undefined;
    return control instanceof HTMLInputElement && control.type === 'checkbox'
      ? control.checked
      : control.value;
  };

  /** The form as typed; preferences and settings without a field here are the saved ones. */
  const readForm = (): SettingsFormValues => {
    const values: Record<string, unknown> = { ...formValuesOf(shown.values) };
    for (const key of fields.keys()) if (!isPreference(key)) values[key] = controlValue(key);
    return values as SettingsFormValues;
  };

  const locked = () => [...lockedKeys(shown, SETTING_KEYS), ...PREFERENCE_KEYS];
  const dirty = () => hasUnsavedChanges(shown.values, readForm(), locked());

  /** The form's edits (keys whose control differs from the saved value). */
  const draft = (): SettingsDraft => {
    const saved = formValuesOf(shown.values) as unknown as Record<string, unknown>;
    const edits: SettingsDraft = {};
    for (const [key, target] of fields) {
      const value = controlValue(key);
      if (isPreference(key) || target.control.disabled || value === undefined) continue;
      if (value !== saved[key]) edits[key] = value;
    }
    return edits;
  };

  const restore = (edits: SettingsDraft | undefined) => {
    for (const [key, value] of Object.entries(edits ?? {})) {
      const control = fields.get(key as SettingKey)?.control;
      if (!control || control.disabled) continue;
      if (typeof value === 'boolean' && control instanceof HTMLInputElement) control.checked = value;
      else control.value = String(value);
      // The sign-in method shows its provider fields through its change listener.
      if (control instanceof HTMLSelectElement) control.dispatchEvent(new Event('change'));
    }
  };

  // Where connect-wizard.ts puts its "Connect to a server…" button (and the API contract it edits).
  const connect = createConnectWizard(ctx);
  const wizardSlot = h('div', { class: 'connect-wizard-slot' }, connect.element);
  const preferences = h('div', { class: 'section-fields' });
  const connection = h('div', { class: 'section-fields' });
  const advanced = h('div', { class: 'section-fields' });

  const render = (view: SettingsView) => {
    shown = view;
    notice.update(view);
    about.update(view);
    fields.clear();
    preferences.replaceChildren(...preferenceFields(view, t, make));
    connection.replaceChildren(...connectionFields(view, t, make, wizardSlot));
    advanced.replaceChildren(...advancedFields(view, t, make));
  };

  /** The setting whose control has focus, or null. */
  const focusedKey = (): SettingKey | null => {
    for (const [key, target] of fields) if (target.control === document.activeElement) return key;
    return null;
  };

  /**
   * Shows `view` with `edits` in the form (by default its unsaved edits), and focus where it was: a
   * re-render replaces the controls, and the one the person is using (a preference just changed with
   * the keyboard, a field they pressed Enter in to save) must not drop focus to the page body.
   */
  const rerender = (view: SettingsView, edits: SettingsDraft = draft()) => {
    const key = focusedKey();
    render(view);
    restore(edits);
    if (key) fields.get(key)?.control.focus({ preventScroll: true });
  };

  const applyPreference = async (key: SettingKey) => {
    const target = fields.get(key);
    if (!target) return;
    target.setError(null);
    preferenceStatus.set(null);
    delete flash.preferenceSaved;
    try {
      const saved = await bridge.settings.update({ [key]: controlValue(key) });
      if (destroyed) return;
      // Kept in the flash: a language change re-renders the whole app, this view included.
      flash.preferenceSaved = true;
      ctx.setSettings(saved);
    } catch (error) {
      if (destroyed) return;
      const info = errorInfoOf(error);
      // The preference shows its saved value again; the form's unsaved edits stay.
      rerender(shown);
      const target = fields.get(key);
      // Main refused the value (locked, or not one it takes): said as the field's own sentence.
      if (info && refusedFields(info).length > 0) target?.setError(t(refusalMessageKey(info.code, key)));
      // Anything else (the settings file could not be written, a bug): what happened and what to do
      // in the person's words, as every other failure says it; the original only under "Details".
      else
        target?.setNotice(
          t('settings.preferenceNotSaved'),
          requestErrorNotice(error, t, { url: shown.values.apiBaseUrl }),
          t('message.details'),
        );
    }
  };
  preferences.addEventListener('change', (event) => {
    const name = (event.target as Control).name as SettingKey;
    if (isPreference(name)) void applyPreference(name);
  });

  const clearErrors = () => {
    for (const f of fields.values()) f.setError(null);
    alert.set(null);
  };

  const showRefusals = (
    refused: Refusal[],
    sentence = (refusal: Refusal) => t(refusalMessageKey(refusal.code, refusal.key)),
  ) => {
    const shownFields: Array<Field<Control>> = [];
    const other: Refusal[] = [];
    for (const refusal of refused) {
      const target = fields.get(refusal.key as SettingKey);
      if (target) {
        target.setError(sentence(refusal));
        shownFields.push(target);
      } else other.push(refusal);
    }
    // Fields in page order, each a button that takes the person to it.
    shownFields.sort((a, b) =>
      a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    );
    alert.set([
      h('strong', null, t('settings.invalidSummary', { count: refused.length })),
      h(
        'ul',
        { class: 'error-summary' },
        shownFields.map((f) =>
          h(
            'li',
            null,
            h(
              'button',
              { type: 'button', class: 'link-button', onclick: () => f.control.focus() },
              f.element.querySelector('label')?.textContent ?? '',
            ),
          ),
        ),
        other.map((refusal) => h('li', null, refusalWithoutField(refusal, t))),
      ),
      // Main's English reasons for those, for whoever fixes the page that sent them.
      detailsDisclosure(t('message.details'), other.map((refusal) => refusal.message).join(' ')),
    ]);
    shownFields[0]?.control.focus();
  };

  const form = h(
    'form',
    { class: 'form settings-form', novalidate: true, method: 'post' },
    settingsSection(t('settings.connection'), t('settings.connectionLead'), connection),
    settingsSection(t('settings.advanced'), t('settings.advancedLead'), advanced),
    alert.element,
    h('div', { class: 'form-actions' }, save, status.element),
  );
  // "Saved" describes what was saved: the next edit makes it stale.
  const edited = () => {
    status.set(null);
    delete flash.settingsSaved;
  };
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);

  /** Saves the form (Save, or "Save and sign out"); true once main saved it, false with why shown. */
  const saveForm = async (): Promise<boolean> => {
    if (busy) return false;
    delete flash.settingsSaved;
    clearErrors();
    status.set(null);
    const patch = buildPatch(shown.values, readForm(), locked());
    if (Object.keys(patch).length === 0) {
      status.set(t('settings.nothingToSave'));
      return true;
    }
    busy = true;
    setBusy(save, true, t('settings.saving'), t('settings.save'));
    // Before asking: main may sign out of the old server before it answers a new one.
    const wasSignedIn = isSignedIn(ctx.state().session);
    flash.settingsSaving = { at: Date.now(), wasSignedIn };
    try {
      const saved = await bridge.settings.update(patch);
      flash.settingsSaved = { at: Date.now(), wasSignedIn };
      // Saved: what the form shows now is main's (normalised) value, not the typed draft.
      rerender(saved, {});
      ctx.setSettings(saved);
      return true;
    } catch (error) {
      if (destroyed) return false;
      const info = errorInfoOf(error);
      if (info?.code === 'CANCELLED') {
        // The person said no to the server in main's dialog: the connection fields show the saved
        // server again; their other edits (a timeout …) stay in the form, unsaved, for another Save.
        const kept = Object.fromEntries(
          Object.entries(draft()).filter(([key]) => settingTrust(key as SettingKey) !== 'connection'),
        );
        rerender(shown, kept);
        status.set(t(Object.keys(kept).length > 0 ? 'settings.notConfirmedKept' : 'settings.notConfirmed'));
      } else if (info && isOriginRefusal(info)) {
        // IT's allow-list refused the server: said on the Server address when that is the server (a
        // contract endpoint elsewhere is the connect wizard's to edit: the form-level summary says it).
        const typed = readForm().apiBaseUrl;
        const notice = errorNotice(info, t, { url: typed });
        if (refusedOriginField(info.origin, typed) === 'apiBaseUrl' && fields.has('apiBaseUrl'))
          showRefusals([{ key: 'apiBaseUrl', code: info.code, message: info.message }], () =>
            noticeSentence(notice),
          );
        else
          alert.set([
            h('strong', null, t('settings.saveFailed')),
            ' ',
            noticeSentence(notice),
            detailsDisclosure(t('message.details'), notice.detail),
          ]);
      } else if (info && refusedFields(info).length > 0 && info.code !== 'CONFIRMATION_REQUIRED') {
        showRefusals(refusedFields(info));
      } else {
        const notice = requestErrorNotice(error, t, { url: shown.values.apiBaseUrl });
        alert.set([
          h('strong', null, t('settings.saveFailed')),
          ' ',
          noticeSentence(notice),
          detailsDisclosure(t('message.details'), notice.detail),
        ]);
      }
      return false;
    } finally {
      delete flash.settingsSaving;
      busy = false;
      if (!destroyed) setBusy(save, false, t('settings.saving'), t('settings.save'));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveForm();
  });

  const about = createAboutConfiguration(t);
  render(shown);
  restore(flash.settingsDraft);
  delete flash.settingsDraft;
  // Re-created by a language change: the control that had focus (the Language select) has it again.
  const refocus = flash.focusedSetting ? fields.get(flash.focusedSetting)?.control : undefined;
  delete flash.focusedSetting;

  const update = (state: AppState) => {
    if (state.settings !== shown) rerender(state.settings);
    if (flash.settingsSaved) status.set(settingsSavedText(flash.settingsSaved, state.session, t));
    if (flash.preferenceSaved) preferenceStatus.set(t('settings.preferenceSaved'));
  };
  update(ctx.state());

  const element = h(
    'div',
    { class: 'page settings-page' },
    heading,
    notice.element,
    settingsSection(
      t('settings.preferences'),
      t('settings.preferencesLead'),
      preferences,
      preferenceStatus.element,
    ),
    form,
    about.element,
  );

  return {
    element,
    heading,
    title: t('settings.title'),
    ...(refocus ? { keepFocus: refocus } : {}),
    update,
    async beforeLeave() {
      if (!dirty()) return true;
      // Asked inside the page, so the question goes with it when the page goes without the person's
      // answer (the session ended meanwhile): a modal left on the next page would keep it inert.
      return askInPage(element, {
        title: t('settings.leave.title'),
        message: t('settings.leave.message'),
        stay: t('settings.leave.stay'),
        leave: t('settings.leave.discard'),
      });
    },
    async beforeSignOut(answered) {
      if (!dirty()) return true;
      // The edits need no session (they are saved in main, and Settings is there signed out too), but
      // an explicit sign-out goes to the sign-in page: so the person says what becomes of them.
      const answer = await chooseInPage(element, {
        title: t('settings.signOut.title'),
        message: t('settings.leave.message'),
        answers: [
          { answer: 'stay', label: t('settings.signOut.stay') },
          { answer: 'save', label: t('settings.signOut.save') },
          { answer: 'discard', label: t('settings.signOut.discard') },
        ],
      });
      if (answer === 'stay') return false;
      answered();
      if (answer === 'discard') return true;
      // A saved server change signs out of the old one and reloads the window before this page hears
      // back: `answered` made the address the sign-in page's, where the reloaded window then says why.
      if (await saveForm()) return true;
      // Not saved (refused, not confirmed, not written): still signed in, the form says why; a refused
      // field already has focus, otherwise the Save button takes it (the dialog's button is gone).
      if (!element.contains(document.activeElement)) save.focus();
      return false;
    },
    destroy() {
      destroyed = true;
      connect.destroy();
      // A re-render of the whole app (a language change) keeps the edits; leaving Settings drops them.
      const edits = draft();
      if (Object.keys(edits).length > 0) flash.settingsDraft = edits;
      const key = focusedKey();
      if (key) flash.focusedSetting = key;
    },
  };
}
