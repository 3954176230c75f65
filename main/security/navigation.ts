import { carriesSecret } from '../core/redact';
import { monotonicNow } from '../core/timers';
import { isAppUrl } from './app-origin';
import { createQuestionGate, type QuestionScreen } from './question-gate';

/** What to do with a navigation or `window.open` from the renderer. */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'deny'; reason?: 'carriesSecret' }
  | { action: 'openExternal'; url: string }
  /** A host the app does not talk to: the person sees the destination and must say yes first. */
  | { action: 'confirmExternal'; url: string };

/** The origins the app already trusts with the person's sign-in: its API and its OpenID Provider. */
export interface KnownOrigins {
  apiBaseUrl: string;
  oidcIssuer?: string;
}

function originOf(url: string): string | null {
  return URL.parse(url)?.origin ?? null;
}

/**
 * In-app navigation is only allowed within the app's own origin. An https link leaves the app for the
 * system browser only on purpose: a link to the API's or the provider's own site opens at once; any
 * other host is shown to the person first (a script cannot send them anywhere silently); a link that
 * carries anything token-shaped (a JWT, a long opaque value, `?code=`, `token=`) is refused, so tokens
 * never leave through the browser. Everything else (http, file, javascript:, custom schemes) is denied.
 */
export function decideNavigation(
  url: string,
  kind: 'navigate' | 'newWindow',
  known: KnownOrigins,
): NavigationDecision {
  if (kind === 'navigate' && isAppUrl(url)) return { action: 'allow' };
  const parsed = URL.parse(url);
  if (parsed === null || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
    return { action: 'deny' };
  }
  if (carriesSecret(parsed.href) || carriesSecret(decodeURIComponentSafe(parsed.href))) {
    return { action: 'deny', reason: 'carriesSecret' };
  }
  const trusted = [originOf(known.apiBaseUrl), known.oidcIssuer ? originOf(known.oidcIssuer) : null];
  return trusted.includes(parsed.origin)
    ? { action: 'openExternal', url: parsed.href }
    : { action: 'confirmExternal', url: parsed.href };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The least time between two links the app opens without asking: a page looping over links opens one a second. */
export const DIRECT_OPEN_INTERVAL_MS = 1_000;
/** After the person declined a link, links the page sends are dropped unasked this long. */
export const QUIET_AFTER_DECLINED_LINK_MS = 3_000;

/** What became of a decision to leave the app. */
export type LeaveOutcome = 'opened' | 'declined' | 'denied' | 'dropped';

/** The Electron parts of leaving: the system browser and the native question (and a clock for tests). */
export interface LeaveDeps {
  open(url: string): Promise<void>;
  /** Asks the person, showing where the link goes; true when they chose to open it. */
  confirm(url: string): Promise<boolean>;
  /**
   * Told why a link was not opened: a token-shaped value, or a burst the page sent. Each reason once
   * until a link opens or a question is answered, so a page looping cannot flood the log.
   */
  refused(why: 'carriesSecret' | 'burst'): void;
  now?: () => number;
  /** Shared with the other questions the page can make main ask (PAGE_QUESTIONS): one on screen at a time. */
  screen?: QuestionScreen;
}

/**
 * Acts on decisions to leave the app (decideNavigation) for one window: opens, asks the person first,
 * or refuses. The page cannot pile questions up or flood the system browser: the question goes through
 * a question gate (question-gate.ts: one at a time, none for QUIET_AFTER_DECLINED_LINK_MS after a no),
 * so a script setting `location` in a loop gets one dialog, not a stack of them to click through or a
 * new one after every no; and links that open without asking open at most once per
 * DIRECT_OPEN_INTERVAL_MS. What is refused or dropped is reported once per burst, not per link.
 */
export function createLeave(deps: LeaveDeps): (decision: NavigationDecision) => Promise<LeaveOutcome> {
  const now = deps.now ?? monotonicNow;
  const gate = createQuestionGate({
    now,
    quietAfterNoMs: QUIET_AFTER_DECLINED_LINK_MS,
    ...(deps.screen ? { screen: deps.screen } : {}),
  });
  let lastOpened = Number.NEGATIVE_INFINITY;
  /** What was reported since a link last opened or a question was answered: each reason once. */
  const reported = new Set<'carriesSecret' | 'burst'>();
  const report = (why: 'carriesSecret' | 'burst') => {
    if (!reported.has(why)) deps.refused(why);
    reported.add(why);
  };
  const drop = (): LeaveOutcome => {
    report('burst');
    return 'dropped';
  };
  const open = async (url: string): Promise<LeaveOutcome> => {
    lastOpened = now();
    reported.clear();
    await deps.open(url);
    return 'opened';
  };
  return async (decision) => {
    if (decision.action === 'deny') {
      if (decision.reason === 'carriesSecret') report('carriesSecret');
      return 'denied';
    }
    if (decision.action === 'allow') return 'denied';
    if (decision.action === 'openExternal') {
      return now() - lastOpened < DIRECT_OPEN_INTERVAL_MS ? drop() : open(decision.url);
    }
    const answer = await gate.ask(() => deps.confirm(decision.url));
    if (answer === 'refused') return drop();
    reported.clear();
    return answer ? open(decision.url) : 'declined';
  };
}
