import { h, svg } from '../dom';
import type { Translator } from '../i18n';
import { type Field, field } from './parts';

/** An eye (struck through by CSS while the password shows). Decorative: the button's text names it. */
function eyeIcon(): SVGElement {
  return svg(
    'svg',
    {
      viewBox: '0 0 24 24',
      width: '20',
      height: '20',
      'aria-hidden': 'true',
      focusable: 'false',
      class: 'eye',
    },
    svg('path', { d: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z' }),
    svg('circle', { cx: '12', cy: '12', r: '3' }),
    svg('path', { d: 'M4 4l16 16', class: 'eye-slash' }),
  );
}

/**
 * The password field of every sign-in form (the sign-in page, "Add account", "Sign in again"): the
 * field with a "Show password" toggle (`aria-pressed`) and a "Caps Lock is on." status while it is.
 */
export function passwordField(
  t: Translator,
  attributes: Record<string, string | boolean> = {},
): Field<HTMLInputElement> {
  const password = field(
    t('signIn.password'),
    h('input', { type: 'password', autocomplete: 'current-password', ...attributes }),
  );
  // The name comes from the (visually hidden) text, not aria-label, so getByLabel('Password') finds only the field.
  const showPassword = h(
    'button',
    {
      type: 'button',
      class: 'button button-small password-toggle',
      'aria-pressed': 'false',
      onclick: () => {
        const shown = password.control.type === 'password';
        password.control.type = shown ? 'text' : 'password';
        showPassword.setAttribute('aria-pressed', String(shown));
      },
    },
    eyeIcon(),
    h('span', { class: 'visually-hidden' }, t('signIn.showPassword')),
  );
  const passwordRow = h('div', { class: 'password-row' });
  password.control.before(passwordRow);
  passwordRow.append(password.control, showPassword);
  const capsLock = h('p', { role: 'status', class: 'hint caps-lock' });
  password.element.append(capsLock);
  const checkCapsLock = (event: Event) => {
    if (!(event instanceof KeyboardEvent) || typeof event.getModifierState !== 'function') return;
    const text = event.getModifierState('CapsLock') ? t('signIn.capsLock') : '';
    if (capsLock.textContent !== text) capsLock.textContent = text;
  };
  password.control.addEventListener('keydown', checkCapsLock);
  password.control.addEventListener('keyup', checkCapsLock);
  password.control.addEventListener('blur', () => {
    capsLock.textContent = '';
  });
  return password;
}
