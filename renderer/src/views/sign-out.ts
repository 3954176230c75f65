import type { SignOutRequest } from '../../../common/ipc';
import type { SessionView, SignOutResult } from '../../../common/session';
import type { Translator } from '../i18n';
import { errorNotice } from '../messages/error-messages';
import { isSignedIn } from '../routes';
import { type AppContext, activeAccount, activeApiUrl } from '../state';
import { hostOf } from './account-chip';

/** An account as a sentence names it: its name, user name and server. */
export interface NamedAccount {
  name: string;
  username: string;
  apiBaseUrl: string;
}

/**
 * The warning that the server (`apiBaseUrl`) did not hear of a sign-out, with why, or null when it
 * did: one sentence for the sign-in page and the account-change note alike.
 */
export function revocationWarning(t: Translator, result: SignOutResult, apiBaseUrl: string): string | null {
  const revocation = result.revoked === false ? result.revocationError : undefined;
  if (!revocation) return null;
  // The cause sits in parentheses mid-sentence: drop its own full stop.
  const cause = errorNotice(revocation, t, { url: apiBaseUrl }).text.replace(/[.。]$/, '');
  return t('signIn.revocationFailed', { message: cause });
}

/**
 * What is said when another account becomes the active one and the page stays (a switch, or a
 * sign-out that left another account signed in): who was signed out, if anyone, who is active now, and
 * when the server of the account signed out did not hear of it, the same warning the sign-in page
 * gives. `warning` then: a partial success is never shown as a plain one.
 */
export function accountChangeText(
  t: Translator,
  active: NamedAccount,
  signedOut?: { name: string; apiBaseUrl: string; result: SignOutResult },
): { text: string; warning: boolean } {
  const sentences: string[] = [];
  if (signedOut)
    sentences.push(t('accounts.signedOut', { name: signedOut.name, host: hostOf(signedOut.apiBaseUrl) }));
  sentences.push(
    t('accounts.nowUsing', { name: active.name, username: active.username, host: hostOf(active.apiBaseUrl) }),
  );
  const warning = signedOut ? revocationWarning(t, signedOut.result, signedOut.apiBaseUrl) : null;
  if (warning) sentences.push(warning);
  return { text: sentences.join(' '), warning: warning !== null };
}

/**
 * The person's own sign-out (the session panel's "Sign out", or the account menu's) of the account
 * `signedOut` names (its server, `apiBaseUrl`, is the one told): main signs out and, when another
 * account is still signed in, makes it the active one. Signed out altogether, the page lands on
 * sign-in, which says whether the server heard of it; still signed in, the page stays where it is, the
 * session panel says who was signed out and who is active now (and a server not told), and no sign-out
 * result is kept for a later sign-in page (it would show this sign-out's outcome after another one).
 * Resolves to the session the page now shows.
 */
export async function signOutAndLand(
  ctx: AppContext,
  request: SignOutRequest | undefined,
  signedOut: { name: string; apiBaseUrl: string },
): Promise<SessionView> {
  const result = await ctx.bridge.auth.signOut(request);
  const session = await ctx.bridge.auth.getSession();
  if (isSignedIn(session)) {
    delete ctx.flash.signOutResult;
    ctx.setSession(session);
    const { user } = session;
    if (user) {
      const now = { session, settings: ctx.state().settings };
      const said = accountChangeText(
        ctx.t,
        { name: user.name || user.username, username: user.username, apiBaseUrl: activeApiUrl(now) },
        { ...signedOut, result },
      );
      ctx.announce(said.text, { account: activeAccount(now), warning: said.warning });
    }
  } else {
    ctx.flash.signOutResult = { ...result, apiBaseUrl: signedOut.apiBaseUrl };
    // An explicit sign-out always lands on the sign-in page (an automatic one keeps the page).
    ctx.setSession(session, 'sign-in');
  }
  return session;
}
