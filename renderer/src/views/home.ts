import { profileMappingOf } from '../../../common/auth-contract';
import type { SessionUser } from '../../../common/session';
import { fetchProfile } from '../api/profile';
import { h, replaceChildren, toggleAttribute, uid } from '../dom';
import type { Translator } from '../i18n';
import { noticeSentence, requestErrorNotice } from '../messages/request-errors';
import { type AppContext, activeAccount, activeApiUrl, type View } from '../state';
import { initials } from './account-chip';
import { detailsDisclosure, focusLost, pageHeading, statusRegion } from './parts';

/**
 * A role as the person's language names it: the roles Tessera knows (the reference server's `user` and
 * `admin`) are translated; any other server's role is shown as that server spells it.
 */
export function roleName(role: string, t: Translator): string {
  return role === 'user' || role === 'admin' ? t(`home.role.${role}`) : role;
}

/**
 * Home: the signed-in person's profile from `GET <mePath>` (or the API contract's profile endpoint,
 * read by its mapping), fetched through the ky client. A switch to another account in the header
 * (or an account added, which becomes the active one) loads that account's profile.
 */
export function createHomeView(ctx: AppContext): View {
  const { t, flash } = ctx;
  const heading = pageHeading(t('home.title'));
  const notice = statusRegion('status notice-warning');
  // Focusable from script only: it takes focus when a load started from the card ("Try again") ends well.
  const profileHeading = h(
    'h2',
    { id: uid('profile'), class: 'card-title', tabindex: -1 },
    t('home.profile'),
  );
  const body = h('div', { class: 'profile-body' });
  const card = h('section', { class: 'card', 'aria-labelledby': profileHeading.id }, profileHeading, body);
  let destroyed = false;
  /** The account whose profile is shown or loading, and the latest load (an older one's answer is dropped). */
  let shownAccount: string | null = null;
  let loads = 0;

  // The warning may be raised just after this page mounts (sign-in resolves after the session event).
  const showNotice = () =>
    notice.set(
      flash.keychainWarning
        ? `${t('error.KEYCHAIN_UNAVAILABLE')} ${t('error.KEYCHAIN_UNAVAILABLE.next')}`
        : null,
    );
  showNotice();

  const showProfile = (user: SessionUser, source: string) => {
    replaceChildren(
      body,
      h(
        'div',
        { class: 'profile' },
        h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(user.name)),
        h(
          'div',
          { class: 'profile-names' },
          h('p', { class: 'profile-name' }, user.name),
          h('p', { class: 'profile-username' }, `@${user.username}`),
        ),
        h(
          'span',
          { class: `badge badge-role badge-${user.role === 'admin' ? 'admin' : 'user'}` },
          h('span', { class: 'visually-hidden' }, `${t('home.role')}: `),
          roleName(user.role, t),
        ),
      ),
      h(
        'dl',
        { class: 'details' },
        h('div', null, h('dt', null, t('home.username')), h('dd', null, user.username)),
        h('div', null, h('dt', null, t('home.role')), h('dd', null, roleName(user.role, t))),
      ),
      // What only support asks for (the server's ID of the account, where the profile came from):
      // behind a closed disclosure, in words the person understands.
      detailsDisclosure(
        t('home.details'),
        h(
          'div',
          { class: 'profile-support' },
          h(
            'dl',
            { class: 'details details-compact' },
            h('div', null, h('dt', null, t('home.subject')), h('dd', { class: 'mono' }, user.sub)),
          ),
          h('p', { class: 'hint' }, source),
        ),
      ),
    );
  };

  const load = async () => {
    const mine = ++loads;
    // An answer for a load a newer one replaced (the account switched meanwhile) is not shown.
    const stale = () => destroyed || mine !== loads;
    // Started from the card ("Try again" from the keyboard): the loading text replaces the focused
    // button, so focus goes to the outcome when the load ends instead of staying on the page body.
    const refocus = card.contains(document.activeElement);
    /** Focus for a load started from the card: `target`, unless the person moved it meanwhile. */
    const settle = (target: HTMLElement) => {
      if (refocus && focusLost()) target.focus();
    };
    shownAccount = activeAccount(ctx.state());
    const { values } = ctx.state().settings;
    // The API contract's profile endpoint and mapping, when it has one (password sign-in); else mePath.
    const mapping = values.authMode === 'password' ? profileMappingOf(values) : null;
    const path = mapping ? mapping.path : values.mePath;
    // No profile endpoint: the session's user (from the sign-in's claims) is all there is to show.
    const user = ctx.state().session.user;
    if (path === '' && user) {
      toggleAttribute(card, 'aria-busy', null);
      return showProfile(user, t('home.sourceSignIn'));
    }
    const api = activeApiUrl(ctx.state());
    const url = `${api.replace(/\/+$/, '')}${path}`;
    toggleAttribute(card, 'aria-busy', 'true');
    replaceChildren(body, h('p', { class: 'muted loading' }, t('home.loading')));
    try {
      const profile = await fetchProfile(ctx.api, path, mapping);
      if (stale()) return;
      ctx.connection.settled('profile');
      showProfile(profile, t('home.source', { url }));
      settle(profileHeading);
    } catch (error) {
      if (stale()) return;
      // A passing connection problem: the banner says so once and reloads the profile when it can.
      if (ctx.connection.failed('profile', error, () => void load())) {
        replaceChildren(body, h('p', { class: 'muted loading' }, t('home.waiting')));
        settle(profileHeading);
        return;
      }
      const notice = requestErrorNotice(error, t, { url: api });
      const retry = h(
        'button',
        { type: 'button', class: 'button', onclick: () => void load() },
        t('home.retry'),
      );
      replaceChildren(
        body,
        h(
          'div',
          { role: 'alert', class: 'alert alert-error' },
          h('strong', null, t('home.failed')),
          ' ',
          noticeSentence(notice),
          detailsDisclosure(t('message.details'), notice.detail),
        ),
        retry,
      );
      settle(retry);
    } finally {
      if (!stale()) toggleAttribute(card, 'aria-busy', null);
    }
  };
  void load();

  return {
    element: h('div', { class: 'page' }, heading, notice.element, card),
    heading,
    title: t('home.title'),
    update(state) {
      showNotice();
      // Another account is active now: its profile, not the previous one's.
      if (activeAccount(state) !== shownAccount) void load();
    },
    destroy() {
      destroyed = true;
      ctx.connection.settled('profile');
    },
  };
}
