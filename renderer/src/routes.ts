import type { SessionView } from '../../common/session';

/** The app's pages. */
export type Route = 'sign-in' | 'home' | 'console' | 'settings';

const ROUTES: readonly Route[] = ['sign-in', 'home', 'console', 'settings'];

/** `#/console` → `console`; anything else → null. */
export function parseHash(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
}

/** The hash for a route. */
export function hashOf(route: Route): string {
  return `#/${route}`;
}

/** Signed in means there is a session to use, even while it refreshes. */
export function isSignedIn(session: SessionView): boolean {
  return session.state === 'active' || session.state === 'refreshing';
}

/** The page actually shown: signed out, only sign-in and settings exist; signed in, sign-in is home. */
export function effectiveRoute(requested: Route | null, signedIn: boolean): Route {
  if (signedIn) return requested === null || requested === 'sign-in' ? 'home' : requested;
  return requested === 'settings' ? 'settings' : 'sign-in';
}
