import { describe, expect, it } from 'vitest';
import { signedOutView } from '../../test/support/session-view';
import { createTranslator } from '../src/i18n/index';
import {
  AFTER_SAVE_FRESH_MS,
  AFTER_SAVE_KEY,
  type FlashStorage,
  keepForReload,
  settingsSavedText,
  takeAfterReload,
} from '../src/reload-flash';

/** A stand-in for the window's session storage. */
function memoryStorage(): FlashStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const AT = 1_700_000_000_000;

describe('"Settings saved." across the reload main follows a save with', () => {
  it('is kept as the page goes and said once by the Settings page that loads next', () => {
    const storage = memoryStorage();
    keepForReload({ settingsSaved: { at: AT, wasSignedIn: true } }, storage);
    // When the save was and whether someone was signed in: no setting's value, no token.
    expect([...storage.items]).toEqual([[AFTER_SAVE_KEY, JSON.stringify({ at: AT, wasSignedIn: true })]]);
    const carried = takeAfterReload(storage, 'settings', AT + 500);
    expect(carried).toEqual({ at: AT, wasSignedIn: true, carried: true });
    expect(storage.items.size).toBe(0);
    // Going again (another reload), the carried one is not kept: it was said.
    keepForReload({ settingsSaved: carried ?? undefined }, storage);
    expect(takeAfterReload(storage, 'settings', AT + 1000)).toBeNull();
  });

  it('is kept for a save main has not answered yet: main reloads the window as soon as it saved', () => {
    const storage = memoryStorage();
    keepForReload({ settingsSaving: { at: AT, wasSignedIn: true } }, storage);
    expect(takeAfterReload(storage, 'settings', AT + 500)).toEqual({
      at: AT,
      wasSignedIn: true,
      carried: true,
    });
  });

  it('is not said by another page, later than a reload would follow, or when nothing was saved', () => {
    const kept = () => {
      const storage = memoryStorage();
      keepForReload({ settingsSaved: { at: AT, wasSignedIn: false } }, storage);
      return storage;
    };
    expect(takeAfterReload(kept(), 'sign-in', AT + 500)).toBeNull();
    expect(takeAfterReload(kept(), 'settings', AT + AFTER_SAVE_FRESH_MS + 1)).toBeNull();
    expect(takeAfterReload(kept(), 'settings', AT - 1)).toBeNull();
    const storage = kept();
    keepForReload({}, storage);
    expect(storage.items.size).toBe(0);
    storage.setItem(AFTER_SAVE_KEY, '{"at":"soon"}');
    expect(takeAfterReload(storage, 'settings', AT)).toBeNull();
    expect(takeAfterReload(null, 'settings', AT)).toBeNull();
  });

  it('says why the session ended when the save ended it, in the person’s language', () => {
    const ended = signedOutView({ reason: 'apiChanged' });
    expect(settingsSavedText({ at: AT, wasSignedIn: true }, ended, createTranslator('en'))).toBe(
      'Settings saved. Your session ended because the server address changed. Sign in again to the new server.',
    );
    expect(settingsSavedText({ at: AT, wasSignedIn: true }, ended, createTranslator('ko'))).toMatch(
      /^설정을 저장했습니다\. .*세션이 종료되었습니다/,
    );
    // Signed out before the save: the save ended nothing.
    expect(settingsSavedText({ at: AT, wasSignedIn: false }, ended, createTranslator('en'))).toBe(
      'Settings saved.',
    );
  });
});
