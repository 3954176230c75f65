import type { AccountSummary, SessionView } from '../../../common/session';
import { h, replaceChildren, uid } from '../dom';
import type { Translator } from '../i18n';
import { errorInfoOf, isOriginRefusal } from '../messages/error-messages';
import { noticeSentence, requestErrorNotice } from '../messages/request-errors';
import { refusedOriginField } from '../settings-form';
import { type AppContext, type AppState, activeApiUrl } from '../state';
import { hostOf, initials } from './account-chip';
import { showInPage } from './confirm-dialog';
import { alertSlot, field, noticeContent, setBusy, statusRegion } from './parts';
import { passwordField } from './password-field';
import { signOutAndLand } from './sign-out';

/** How an account is doing, as its status dot and words say it. */
type AccountStatus = 'signedIn' | 'offline' | 'signingIn' | 'signedOut';

/** How often an open account menu asks again while an account in it is still signing in. */
const FOLLOW_MS = 500;

function statusOf(account: Pick<AccountSummary, 'state' | 'offline'>): AccountStatus {
  if (account.state === 'signedOut') return 'signedOut';
  if (account.state === 'signingIn') return 'signingIn';
  return account.offline ? 'offline' : 'signedIn';
}

/** A status dot: colour for the eye, the words beside it for everyone else (it is hidden from assistive tech). */
function dot(status: AccountStatus): HTMLElement {
  return h('span', { class: `status-dot status-dot-${status}`, 'aria-hidden': 'true' });
}

/** The line the request console shows: which account its requests go out as. */
export function accountLine(t: Translator, session: SessionView, fallbackApi: string): string {
  const name = session.user?.name || session.user?.username || '';
  const host = hostOf(session.apiBaseUrl ?? fallbackApi);
  return session.user
    ? t('accounts.sendsAs', { name, username: session.user.username, host })
    : t('accounts.sendsAsNobody', { host });
}

/** The request console's one-line "sends as" label, kept in step with the active account. */
export function createAccountLine(ctx: AppContext): { element: HTMLElement; update(state: AppState): void } {
  const element = h('p', { class: 'account-line muted' });
  const update = (state: AppState) => {
    element.textContent = accountLine(ctx.t, state.session, state.settings.values.apiBaseUrl);
  };
  update(ctx.state());
  return { element, update };
}

/** The header's account switcher. */
export interface AccountSwitcher {
  element: HTMLElement;
  update(state: AppState): void;
  destroy(): void;
}

/**
 * The account switcher in the header, a menu button (WAI-ARIA APG): the button names the active account
 * (status dot, name, host); its menu lists every account (switch with Enter), a sign-out item per
 * account, "Add account" and "Sign out of all accounts". Arrow keys, Home and End move in the menu,
 * Escape closes it and returns to the button. Its dialogs are shown in `host`, the frame it is part of.
 */
export function createAccountSwitcher(ctx: AppContext, host: HTMLElement): AccountSwitcher {
  const t = ctx.t;
  const menuId = uid('account-menu');
  const button = h('button', {
    type: 'button',
    class: 'account-switcher-button',
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    'aria-controls': menuId,
  });
  const menu = h('ul', {
    id: menuId,
    role: 'menu',
    class: 'account-menu',
    'aria-label': t('accounts.menu'),
    hidden: true,
  });
  const problem = alertSlot();
  const element = h('div', { class: 'account-switcher' }, button, menu, problem.element);
  let destroyed = false;
  let state = ctx.state();
  /** The latest "are there accounts?" question asked while signed out (older answers are ignored). */
  let checks = 0;
  /**
   * The menu action still running (a sign-out waits for the server's answer): the menu opened meanwhile
   * lists the accounts once it is done, never the list from before the person's own choice.
   */
  let acting: Promise<void> | null = null;

  const items = () => [...menu.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  const focusItem = (index: number) => {
    const all = items();
    if (all.length === 0) return;
    all[(index + all.length) % all.length]?.focus();
  };

  function close(returnFocus: boolean): void {
    if (menu.hidden) return;
    stopFollowing();
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus) button.focus();
  }

  /**
   * Runs a bridge call from the menu; a failure is said next to the button in the person's words,
   * naming `api` (the account's server; by default the active one's).
   */
  async function act(work: () => Promise<unknown>, api = activeApiUrl(state)): Promise<void> {
    close(true);
    problem.set(null);
    const run = (async () => {
      try {
        await work();
      } catch (error) {
        if (!destroyed)
          problem.set(noticeContent(requestErrorNotice(error, t, { url: api }), t('message.details')));
      }
    })();
    acting = run;
    await run;
    if (acting === run) acting = null;
  }

  function menuItem(
    label: string,
    onSelect: () => void,
    extra: Record<string, string> = {},
    ...children: HTMLElement[]
  ) {
    return h(
      'li',
      { role: 'none' },
      h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          tabindex: -1,
          class: 'account-menu-item',
          onclick: onSelect,
          ...extra,
        },
        ...(children.length > 0 ? children : [label]),
      ),
    );
  }

  function renderMenu(accounts: AccountSummary[]): void {
    const rows: HTMLElement[] = [];
    for (const account of accounts) {
      const status = statusOf(account);
      const host = hostOf(account.apiBaseUrl);
      const words = t(`accounts.status.${status}`);
      rows.push(
        menuItem(
          '',
          // An account the server signed out has nothing to switch to: its item signs it in again.
          status === 'signedOut'
            ? () => void openAddDialog(account)
            : () =>
                void act(async () => {
                  await ctx.bridge.auth.switchAccount(account.id);
                  // The header's button shows it; a screen reader hears it from the session panel.
                  ctx.announce(
                    t('accounts.nowUsing', { name: account.name, username: account.username, host }),
                    { account: account.id },
                  );
                }, account.apiBaseUrl),
          {
            role: 'menuitemradio',
            ...(status === 'signedOut' ? { 'aria-haspopup': 'dialog' } : {}),
            'aria-checked': account.active ? 'true' : 'false',
            'aria-label': t('accounts.item', {
              name: account.name,
              username: account.username,
              host,
              status: words,
            }),
          },
          dot(status),
          h(
            'span',
            { class: 'account-menu-text' },
            h('span', { class: 'account-menu-name' }, account.name),
            h('span', { class: 'account-menu-host' }, `@${account.username} · ${host}`),
            h('span', { class: 'account-menu-status' }, words),
          ),
        ),
      );
    }
    if (accounts.length > 0) rows.push(h('li', { role: 'separator', class: 'account-menu-separator' }));
    for (const account of accounts) {
      const host = hostOf(account.apiBaseUrl);
      // Already signed out: the same call only takes it off the list, and the item says so.
      const remove = statusOf(account) === 'signedOut';
      const request = { account: account.id };
      rows.push(
        menuItem(t(remove ? 'accounts.remove' : 'accounts.signOutOf', { name: account.name, host }), () => {
          // A sign-out says, as the Session panel's does, whether the server heard of it.
          void act(
            () => (remove ? ctx.bridge.auth.signOut(request) : signOutAndLand(ctx, request, account)),
            account.apiBaseUrl,
          );
        }),
      );
    }
    rows.push(h('li', { role: 'separator', class: 'account-menu-separator' }));
    rows.push(menuItem(t('accounts.add'), () => void openAddDialog()));
    if (accounts.length > 0)
      rows.push(
        menuItem(
          t('accounts.signOutAll'),
          () =>
            void act(() => signOutAndLand(ctx, { all: true }, { name: '', apiBaseUrl: activeApiUrl(state) })),
        ),
      );
    replaceChildren(menu, rows);
  }

  // While the menu is open, it follows the accounts: an account still being restored (a start on a busy
  // machine) or signing in is asked about again every half second until none is, and the active
  // account's changes re-read the list at once. Main tells the page only about the active account.
  let following: ReturnType<typeof setTimeout> | null = null;
  let reads = 0;
  function stopFollowing(): void {
    if (following !== null) clearTimeout(following);
    following = null;
  }
  function follow(accounts: AccountSummary[]): void {
    stopFollowing();
    if (accounts.some((account) => account.state === 'signingIn'))
      following = setTimeout(() => void reread(), FOLLOW_MS);
  }
  async function reread(): Promise<void> {
    const read = ++reads;
    let accounts: AccountSummary[];
    try {
      accounts = await ctx.bridge.auth.listAccounts();
    } catch {
      return;
    }
    if (destroyed || menu.hidden || read !== reads) return;
    const focused = items().indexOf(document.activeElement as HTMLElement);
    renderMenu(accounts);
    if (focused >= 0) focusItem(Math.min(focused, items().length - 1));
    follow(accounts);
  }

  async function open(focusLast = false): Promise<void> {
    if (acting) await acting;
    problem.set(null);
    let accounts: AccountSummary[] = [];
    try {
      accounts = await ctx.bridge.auth.listAccounts();
    } catch {
      accounts = [];
    }
    if (destroyed) return;
    renderMenu(accounts);
    menu.hidden = false;
    follow(accounts);
    button.setAttribute('aria-expanded', 'true');
    const checked = items().findIndex((item) => item.getAttribute('aria-checked') === 'true');
    focusItem(focusLast ? -1 : Math.max(0, checked));
  }

  button.addEventListener('click', () => {
    if (menu.hidden) void open();
    else close(true);
  });
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      void open(event.key === 'ArrowUp');
    }
  });
  menu.addEventListener('keydown', (event) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1 };
    if (event.key in moves) {
      event.preventDefault();
      focusItem(moves[event.key] ?? 0);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  const onDocumentClick = (event: MouseEvent) => {
    if (!element.contains(event.target as Node)) close(false);
  };
  document.addEventListener('click', onDocumentClick);

  /**
   * "Add account": a modal form (username, password, and the API, the configured one by default).
   * With `again` (an account the server signed out), the same form signs that account in again: its
   * username and server filled in, the password focused.
   */
  async function openAddDialog(again?: AccountSummary): Promise<void> {
    close(false);
    const titleId = uid('dialog-title');
    const username = field(
      t('signIn.username'),
      h('input', { type: 'text', autocomplete: 'username', required: true, value: again?.username ?? '' }),
    );
    const password = passwordField(t, { required: true });
    const api = field(
      t('accounts.apiBaseUrl'),
      h('input', {
        type: 'url',
        value: again?.apiBaseUrl ?? state.settings.values.apiBaseUrl,
        required: true,
      }),
      [t('accounts.apiHint')],
    );
    const failure = alertSlot();
    // What the disabled (so unfocused) button says, for screen readers: "Adding…" / "Signing in…".
    const progress = statusRegion('visually-hidden');
    const submitLabel = t(again ? 'accounts.againSubmit' : 'accounts.addSubmit');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, submitLabel);
    const cancel = h('button', { type: 'button', class: 'button' }, t('accounts.cancel'));
    const form = h(
      'form',
      { class: 'form', method: 'dialog', novalidate: true },
      h(
        'p',
        { class: 'muted' },
        again
          ? t('accounts.againIntro', { name: again.name, host: hostOf(again.apiBaseUrl) })
          : t('accounts.addIntro'),
      ),
      failure.element,
      username.element,
      password.element,
      api.element,
      h('div', { class: 'form-actions' }, submit, cancel),
      progress.element,
    );
    const dialog = h(
      'dialog',
      { class: 'dialog account-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId, class: 'dialog-title' }, t(again ? 'accounts.againTitle' : 'accounts.addTitle')),
      form,
    );
    // True while the sign-in runs: the dialog stays until it ends (it cannot be taken back halfway),
    // so its outcome is always shown here.
    let pending = false;
    // Shown in the frame the switcher is part of, not on the document body: when the frame is rebuilt
    // under it (the only session ended), the dialog goes with it instead of staying over the next page.
    const shown = showInPage(host, dialog, () => {
      if (!pending) done();
    });
    function done(): void {
      shown.close();
      if (!destroyed) button.focus();
    }
    cancel.addEventListener('click', () => {
      if (!pending) done();
    });
    const setPending = (on: boolean) => {
      pending = on;
      const busyLabel = t(again ? 'signIn.busy' : 'accounts.adding');
      setBusy(submit, on, busyLabel, submitLabel);
      progress.set(on ? busyLabel : null);
      cancel.disabled = on;
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (pending) return;
      void (async () => {
        const user = username.control.value.trim();
        const secret = password.control.value;
        username.setError(user ? null : t('signIn.usernameMissing'));
        password.setError(secret ? null : t('signIn.passwordMissing'));
        if (!user || !secret) {
          (user ? password : username).control.focus();
          return;
        }
        const apiBaseUrl = api.control.value.trim();
        setPending(true);
        failure.set(null);
        api.setError(null);
        try {
          await ctx.bridge.auth.signIn({
            username: user,
            password: secret,
            ...(apiBaseUrl && apiBaseUrl !== state.settings.values.apiBaseUrl ? { apiBaseUrl } : {}),
          });
          done();
        } catch (error) {
          const notice = requestErrorNotice(error, t, { url: apiBaseUrl });
          const info = errorInfoOf(error);
          setPending(false);
          if (info && isOriginRefusal(info) && refusedOriginField(info.origin, apiBaseUrl) === 'apiBaseUrl') {
            // IT's allow-list refused this server before anything was sent: said on its address, which
            // is what the person changes next; the password they typed stays.
            api.setError(noticeSentence(notice));
            api.control.focus();
          } else {
            failure.set(noticeContent(notice, t('message.details')));
            // As on the sign-in page, the typed password stays (a server that cannot be reached is no
            // reason to type it again). A refused one puts both fields in question; the password is
            // selected, so typing replaces it, and focused, reading the alert again (the move may cut the alert short); after any other failure
            // focus is back on the button (setBusy), so the next Enter tries again.
            if (info?.code === 'INVALID_CREDENTIALS') {
              username.describeProblem(failure.id);
              password.describeProblem(failure.id);
              password.control.select();
              password.control.focus();
            }
          }
        } finally {
          if (pending) setPending(false);
        }
      })();
    });
    (again ? password : username).control.focus();
  }

  function update(next: AppState): void {
    state = next;
    if (!menu.hidden) void reread();
    const session = next.session;
    const host = hostOf(session.apiBaseUrl ?? next.settings.values.apiBaseUrl);
    const signedIn = session.state !== 'signedOut' && session.user !== null;
    const status = statusOf(session);
    const name = session.user?.name || session.user?.username || '';
    const hidden = (text: string) => h('span', { class: 'visually-hidden' }, text);
    // The name comes from the visible text plus words for assistive tech only, so what is seen is what
    // is said (axe label-content-name-mismatch): "Account: Demo User (@demo) on host, Signed in. …".
    replaceChildren(
      button,
      dot(signedIn ? status : 'signedOut'),
      signedIn ? h('span', { class: 'avatar avatar-small', 'aria-hidden': 'true' }, initials(name)) : null,
      h(
        'span',
        { class: 'account-switcher-text' },
        signedIn && session.user
          ? h(
              'span',
              { class: 'account-switcher-name' },
              hidden(t('accounts.buttonBefore')),
              name,
              hidden(t('accounts.buttonUser', { username: session.user.username })),
            )
          : h('span', { class: 'account-switcher-name' }, t('accounts.menu')),
        signedIn
          ? h(
              'span',
              { class: 'account-switcher-host' },
              host,
              hidden(t('accounts.buttonAfter', { status: t(`accounts.status.${status}`) })),
            )
          : null,
      ),
    );
    // Signed out, the switcher shows only while there are accounts to switch to (the sign-in form is
    // how the first one is added).
    element.hidden = !signedIn;
    if (!signedIn) {
      const asked = ++checks;
      void ctx.bridge.auth.listAccounts().then(
        (accounts) => {
          if (asked === checks && !destroyed) element.hidden = accounts.length === 0;
        },
        () => undefined,
      );
    }
  }

  update(state);
  return {
    element,
    update,
    destroy() {
      destroyed = true;
      stopFollowing();
      document.removeEventListener('click', onDocumentClick);
    },
  };
}
