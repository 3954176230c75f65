import type { SessionUser } from '../../../common/session';
import { h } from '../dom';
import type { Translator } from '../i18n';

/** Up to two initials for the avatar ("Demo User" → "DU"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

/** The host people recognise ("api.example.com", "127.0.0.1:4000"); the text as given when unparsable. */
export function hostOf(url: string): string {
  return URL.parse(url)?.host || url;
}

/**
 * Who is signed in, where: avatar initials, name and the API host. One function so the account
 * switcher can replace it without touching the session panel.
 */
export function accountChip(t: Translator, user: SessionUser | null, apiBaseUrl: string): HTMLElement {
  const host = hostOf(apiBaseUrl);
  const name = user?.name || user?.username || '';
  return h(
    'div',
    { class: 'account-chip' },
    h('span', { class: 'avatar avatar-small', 'aria-hidden': 'true' }, initials(name)),
    h(
      'span',
      { class: 'account-chip-text' },
      h('span', { class: 'visually-hidden' }, t('session.signedInAs')),
      h('span', { class: 'account-chip-name' }, name),
      h('span', { class: 'account-chip-host' }, user ? `@${user.username} · ${host}` : host),
    ),
  );
}
