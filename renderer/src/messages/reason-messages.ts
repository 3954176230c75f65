import type { SignOutReason } from '../../../common/session';
import type { Translator } from '../i18n';

/** How a sign-out reason is shown: an automatic sign-out is an alert, the person's own is a status. */
export interface ReasonNotice {
  kind: 'alert' | 'status';
  /** What happened and what to do, as one paragraph. */
  text: string;
  /** What happened alone (for a one-line summary). */
  what: string;
  /** What to do (and whether it is dangerous). */
  next: string;
}

/** The sentences telling the person why their session ended and what to do now. */
export function reasonNotice(reason: SignOutReason, t: Translator): ReasonNotice {
  const what = t(`reason.${reason}`);
  const next = t(`reason.${reason}.next`);
  return { kind: reason === 'userSignedOut' ? 'status' : 'alert', text: `${what} ${next}`, what, next };
}
