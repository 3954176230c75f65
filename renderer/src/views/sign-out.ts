import type { SignOutRequest } from '../../../common/ipc';
import type { SessionView } from '../../../common/session';
import { isSignedIn } from '../routes';
import type { AppContext } from '../state';

/**
 * The person's own sign-out (the session panel's "Sign out", or the account menu's): main signs out
 * and, when another account is still signed in, makes it the active one. Signed out altogether, the
 * page lands on sign-in, which says whether the server (`apiBaseUrl`, the signed-out account's) heard
 * of it; still signed in, the page stays where it is and no sign-out result is kept for a later
 * sign-in page (it would show this sign-out's outcome after another one). Resolves to the session
 * the page now shows.
 */
export async function signOutAndLand(
  ctx: AppContext,
  request: SignOutRequest | undefined,
  apiBaseUrl: string,
): Promise<SessionView> {
  const result = await ctx.bridge.auth.signOut(request);
  const session = await ctx.bridge.auth.getSession();
  if (isSignedIn(session)) {
    delete ctx.flash.signOutResult;
    ctx.setSession(session);
  } else {
    ctx.flash.signOutResult = { ...result, apiBaseUrl };
    // An explicit sign-out always lands on the sign-in page (an automatic one keeps the page).
    ctx.setSession(session, 'sign-in');
  }
  return session;
}
