import { expect, test } from '../fixtures';

// Keyboard users keep their place: no action leaves focus on the page body.
test.describe('focus stays where the person works', () => {
  test('changing a preference with the keyboard keeps focus on it, a language change included', async ({
    window,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    const preferences = window.getByRole('region', { name: 'Preferences' });
    const saved = preferences.getByRole('status');

    const stay = window.getByRole('checkbox', { name: 'Stay signed in' });
    await stay.focus();
    await window.keyboard.press('Space');
    await expect(saved).toHaveText('Saved.');
    await expect(stay).not.toBeChecked();
    await expect(stay).toBeFocused();
    // The next Tab goes on from there, not back to the first preference.
    await window.keyboard.press('Tab');
    expect(await window.evaluate(() => document.activeElement?.getAttribute('name'))).not.toBe('locale');

    const theme = window.getByRole('combobox', { name: 'Theme' });
    await theme.focus();
    await window.keyboard.press('ArrowDown');
    await expect(theme).toHaveValue('light');
    await expect(saved).toHaveText('Saved.');
    await expect(theme).toBeFocused();

    // System → English (same language: the page re-renders) → 한국어 (the whole window re-renders).
    const language = window.getByRole('combobox', { name: 'Language' });
    await language.focus();
    await window.keyboard.press('ArrowDown');
    await expect(language).toHaveValue('en');
    await expect(saved).toHaveText('Saved.');
    await expect(language).toBeFocused();
    await window.keyboard.press('ArrowDown');
    const korean = window.getByRole('combobox', { name: '언어' });
    await expect(korean).toHaveValue('ko');
    await expect(korean).toBeFocused();
  });
});
