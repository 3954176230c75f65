import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../common/errors';
import { en } from '../src/i18n/en';
import { createTranslator } from '../src/i18n/index';
import { providerName, providerSignInNotice } from '../src/messages/provider-messages';
import { reasonNotice } from '../src/messages/reason-messages';

const t = createTranslator('en');
const keycloak = { oidcProviderName: '', oidcIssuer: 'https://sso.example.com/realms/main' };
const notice = (info: Omit<ErrorInfo, 'message'>) =>
  providerSignInNotice({ message: 'x', ...info }, t, keycloak);

describe('providerName()', () => {
  it('prefers the configured name, then the issuer host, then a generic phrase', () => {
    expect(providerName({ oidcProviderName: ' Contoso ', oidcIssuer: 'https://x.example' }, t)).toBe(
      'Contoso',
    );
    expect(providerName(keycloak, t)).toBe('sso.example.com');
    expect(providerName({ oidcProviderName: '', oidcIssuer: '' }, createTranslator('ko'))).toBe('조직');
  });

  it('reads as natural English with any name, the generic one included: no "your your", no sentence in lower case', () => {
    const sentences = (provider: string) => [
      ...(['signIn.withProvider', 'signIn.providerLead', 'signIn.providerBusy'] as const).map((key) =>
        t(key, { provider }),
      ),
      ...(['NETWORK', 'TIMEOUT', 'BAD_RESPONSE'] as const).map(
        (code) =>
          providerSignInNotice({ code, message: 'x' }, t, { oidcProviderName: provider, oidcIssuer: '' })
            .text,
      ),
    ];
    const generic = sentences(providerName({ oidcProviderName: '', oidcIssuer: '' }, t));
    expect(generic.filter((text) => /\byour your\b/i.test(text) || /^[a-z]/.test(text))).toEqual([]);
    expect(generic[1]).toBe(
      'You sign in with an account at your organization. Tessera opens your web browser for it.',
    );
    expect(sentences('Contoso')[1]).toBe(
      'You sign in with an account at Contoso. Tessera opens your web browser for it.',
    );
  });

  it('reads as natural Korean with any name, the generic one included: no "(으)로", no "계정 계정"', () => {
    const ko = createTranslator('ko');
    const sentences = (provider: string) =>
      (['signIn.withProvider', 'signIn.providerLead', 'signIn.providerBusy'] as const).map((key) =>
        ko(key, { provider }),
      );
    expect(sentences(providerName({ oidcProviderName: '', oidcIssuer: '' }, ko))).toEqual([
      '조직 계정으로 로그인',
      '조직 계정으로 로그인합니다. 로그인은 웹 브라우저에서 진행됩니다.',
      '조직의 응답을 기다리는 중…',
    ]);
    expect(sentences('Keycloak')[0]).toBe('Keycloak 계정으로 로그인');
  });
});

describe('providerSignInNotice()', () => {
  it('shows a cancelled sign-in as a status, not as an error', () => {
    expect(notice({ code: 'CANCELLED' })).toEqual({ kind: 'status', text: 'Sign-in was cancelled.' });
  });

  it.each<[Omit<ErrorInfo, 'message'>, string]>([
    [{ code: 'NETWORK' }, 'Cannot reach sso.example.com.'],
    [{ code: 'TIMEOUT' }, 'did not finish in time'],
    [{ code: 'BAD_RESPONSE' }, 'could not verify the answer from sso.example.com, so you are not signed in'],
    [{ code: 'ACCESS_DENIED' }, 'The sign-in was not allowed.'],
    [{ code: 'BROWSER_UNAVAILABLE' }, 'could not open your web browser'],
    [{ code: 'TLS' }, 'Cannot connect securely to https://sso.example.com/realms/main'],
  ])('names the provider for %o', (info, text) => {
    expect(notice(info)).toMatchObject({ kind: 'alert', text: expect.stringContaining(text) });
  });

  it('adds the English detail for a misconfigured provider (an administrator needs it)', () => {
    expect(
      providerSignInNotice(
        { code: 'OIDC_MISCONFIGURED', message: 'No OpenID Connect client ID is set' },
        t,
        keycloak,
      ),
    ).toMatchObject({
      text: expect.stringMatching(/not set up correctly/),
      detail: 'No OpenID Connect client ID is set',
    });
  });

  it('explains a session ended by a change of sign-in method', () => {
    expect(reasonNotice('signInMethodChanged', t)).toMatchObject({
      kind: 'alert',
      text: 'Your session ended because the sign-in method changed. Sign in again with the new method.',
    });
  });

  it('keeps the accessible names the e2e suite selects by', () => {
    expect(en['signIn.withProvider']).toBe('Sign in with {provider}');
    expect(en['signIn.cancel']).toBe('Cancel');
    expect(en['settings.signInMethod']).toBe('Sign-in method');
  });
});
