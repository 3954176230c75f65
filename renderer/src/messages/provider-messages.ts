import type { ErrorInfo } from '../../../common/errors';
import type { Settings } from '../../../common/settings';
import type { Translator } from '../i18n';
import { errorNotice } from './error-messages';

/** The name on "Sign in with …": the configured one, else the issuer's host, else a generic phrase. */
export function providerName(
  values: Pick<Settings, 'oidcProviderName' | 'oidcIssuer'>,
  t: Translator,
): string {
  if (values.oidcProviderName.trim() !== '') return values.oidcProviderName.trim();
  const host = URL.parse(values.oidcIssuer)?.host;
  return host ? host : t('signIn.providerFallback');
}

/** How a failed provider sign-in is shown: an alert, or a status when the person cancelled it. */
export interface ProviderSignInNotice {
  kind: 'alert' | 'status';
  text: string;
  /** The original technical text for "Details" (a misconfigured provider's own words), if any. */
  detail?: string | null;
}

/**
 * The sentence for a failed provider sign-in. It names the provider rather than the API (the API was
 * not involved), and says "did not finish in time" for TIMEOUT, which covers both a slow provider and a
 * browser step nobody completed.
 */
export function providerSignInNotice(
  info: ErrorInfo,
  t: Translator,
  values: Pick<Settings, 'oidcProviderName' | 'oidcIssuer'>,
): ProviderSignInNotice {
  const provider = providerName(values, t);
  switch (info.code) {
    case 'CANCELLED':
      return { kind: 'status', text: t('signIn.cancelled') };
    case 'NETWORK':
      return { kind: 'alert', text: t('signIn.providerUnreachable', { provider }) };
    case 'TIMEOUT':
      return { kind: 'alert', text: t('signIn.providerTimeout', { provider }) };
    case 'BAD_RESPONSE':
      return { kind: 'alert', text: t('signIn.providerBadResponse', { provider }) };
    default: {
      const notice = errorNotice(info, t, { url: values.oidcIssuer || provider });
      return { kind: 'alert', text: `${notice.text} ${notice.next}`, detail: notice.detail };
    }
  }
}
