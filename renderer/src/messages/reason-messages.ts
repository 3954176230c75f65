import type { SignOutReason } from '../../../common/session';
import type { Translator } from '../i18n';

/** How a sign-out reason is shown: an automatic sign-out is an alert, the person's own is a status. */
export interface ReasonNotice {
  kind: 'alert' | 'status';
  text: string;
}

/** The sentence telling the person why their session ended. */
export function reasonNotice(reason: SignOutReason, t: Translator): ReasonNotice {
  return { kind: reason === 'userSignedOut' ? 'status' : 'alert', text: t(`reason.${reason}`) };
}
