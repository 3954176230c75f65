import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, type SettingKey, settingTrust } from '../../../common/settings';
import { en } from '../../../renderer/src/i18n/en';
import { ko } from '../../../renderer/src/i18n/ko';
import { defaultSettings } from '../../../test/support/default-settings';
import { type ConnectionChange, connectionChange, describeConnectionChange } from './connection-change';
import { DIALOG_WORDS, describeExternalLink } from './dialog-words';

const isConnection = (key: SettingKey) => settingTrust(key) === 'connection';

describe('connectionChange()', () => {
  const before = { ...defaultSettings(), apiBaseUrl: 'https://api.example.com/v1' };

  it('is null when no connection setting changes', () => {
    expect(connectionChange({ before, after: { ...before, theme: 'dark' } }, isConnection)).toBeNull();
  });

  it('lists the changed connection settings with the old and new origin and the new provider', () => {
    const after = {
      ...before,
      apiBaseUrl: 'https://api.other.example',
      authMode: 'oidc' as const,
      oidcIssuer: 'https://id.example',
    };
    expect(connectionChange({ before, after }, isConnection)).toEqual({
      keys: ['apiBaseUrl', 'authMode', 'oidcIssuer'],
      fromOrigin: 'https://api.example.com',
      toOrigin: 'https://api.other.example',
      toIssuer: 'https://id.example',
      newOrigins: ['https://api.other.example'],
      locale: 'system',
    });
  });

  it('names every origin a contract would send the password or the refresh token to, on the same API', () => {
    const after = {
      ...before,
      authContract: {
        login: { path: 'https://collector.example/login' },
        refresh: { path: 'https://refresh.example/r' },
      },
    };
    expect(connectionChange({ before, after }, isConnection)).toMatchObject({
      keys: ['authContract'],
      fromOrigin: 'https://api.example.com',
      toOrigin: 'https://api.example.com',
      newOrigins: ['https://collector.example', 'https://refresh.example'],
    });
  });

  it('names the origin the password would move to, even one that already got the refresh token', () => {
    const logoutThere = { ...before, authContract: { logout: { path: 'https://collector.example/logout' } } };
    const after = {
      ...logoutThere,
      authContract: {
        login: { path: 'https://collector.example/login' },
        logout: { path: 'https://collector.example/logout' },
      },
    };
    expect(connectionChange({ before: logoutThere, after }, isConnection)).toMatchObject({
      keys: ['authContract'],
      newOrigins: ['https://collector.example'],
    });
  });

  it('is worded in the language the app spoke before, not one the same change sets', () => {
    const korean = { ...before, locale: 'ko' as const };
    expect(
      connectionChange(
        { before, after: { ...before, apiBaseUrl: 'https://api.other.example', locale: 'ko' } },
        isConnection,
      ),
    ).toMatchObject({ keys: ['apiBaseUrl'], locale: 'system' });
    expect(
      connectionChange(
        { before: korean, after: { ...korean, apiBaseUrl: 'https://api.other.example' } },
        isConnection,
      ),
    ).toMatchObject({ locale: 'ko' });
  });

  it('counts a saved change that the command line or the environment hides for now', () => {
    const pinned = { ...before, apiBaseUrl: 'https://pinned.example' };
    const change = connectionChange({ before: pinned, after: pinned }, isConnection, {
      before,
      after: { ...before, apiBaseUrl: 'https://later.example', loginPath: '/later' },
      sources: { ...pinnedSources(), apiBaseUrl: 'cli', loginPath: 'env' },
    });
    expect(change).toEqual({
      keys: ['apiBaseUrl', 'loginPath'],
      fromOrigin: 'https://pinned.example',
      toOrigin: 'https://later.example',
      toIssuer: null,
      newOrigins: ['https://later.example'],
      overridden: {
        keys: ['apiBaseUrl', 'loginPath'],
        layers: ['cli', 'env'],
        names: ['--api-url', 'TESSERA_LOGIN_PATH'],
      },
      locale: 'system',
    });
  });
});

function pinnedSources() {
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, 'default'])) as Record<SettingKey, 'default'>;
}

const change = (more: Partial<ConnectionChange> = {}): ConnectionChange => ({
  keys: ['apiBaseUrl', 'authMode', 'oidcIssuer'],
  fromOrigin: 'https://api.example.com',
  toOrigin: 'https://api.other.example',
  toIssuer: 'https://login.other.example',
  newOrigins: ['https://api.other.example'],
  locale: 'system',
  ...more,
});

describe('describeConnectionChange()', () => {
  it('names the old and new server, the provider, and what a yes costs', () => {
    const text = describeConnectionChange(change());
    expect(text.message).toBe('Connect Tessera to a different server?');
    expect(text.detail).toContain('From: https://api.example.com\nTo: https://api.other.example');
    expect(text.detail).toContain('Sign-in provider: https://login.other.example');
    expect(text.detail).toContain('signed out');
    expect([text.confirm, text.cancel]).toEqual(['Connect', 'Cancel']);
  });

  it('shows an international provider host in its xn-- form, so a look-alike letter cannot pass for another', () => {
    // A Cyrillic "о" in place of the Latin one.
    const text = describeConnectionChange(change({ toIssuer: 'https://l\u043egin.example.com/v2.0' }));
    expect(text.detail).toContain('Sign-in provider: https://xn--lgin-');
    expect(text.detail).toContain('.example.com/v2.0');
    expect(text.detail).not.toContain('\u043e');
  });

  it('names what changes on the same server by the Settings page labels, never the setting keys', () => {
    const paths = describeConnectionChange(
      change({
        keys: ['mePath', 'loginPath'],
        toOrigin: 'https://api.example.com',
        toIssuer: null,
        newOrigins: [],
      }),
    );
    expect(paths).toMatchObject({ message: 'Change how Tessera signs in?', confirm: 'Change' });
    expect(paths.detail).toContain('Server: https://api.example.com\nChanged: Profile path, Login path');
    expect(paths.detail).not.toMatch(/mePath|loginPath/);
  });

  it('names every other origin that would get the sign-in or the tokens, not only the API server', () => {
    const text = describeConnectionChange(
      change({
        keys: ['authContract'],
        toOrigin: 'https://api.example.com',
        toIssuer: null,
        newOrigins: ['https://collector.example', 'https://refresh.example'],
      }),
    );
    expect(text.detail).toContain('Server: https://api.example.com\nChanged: API contract details');
    expect(text.detail).toContain(
      'Your sign-in or tokens also go to: https://collector.example, https://refresh.example',
    );
  });

  it('for a change the command line hides for now: says it is saved for a later start, and which flag wins now', () => {
    const text = describeConnectionChange(
      change({
        keys: ['apiBaseUrl'],
        fromOrigin: 'https://pinned.example',
        toOrigin: 'https://later.example',
        toIssuer: null,
        newOrigins: ['https://later.example'],
        overridden: { keys: ['apiBaseUrl'], layers: ['cli'], names: ['--api-url'] },
      }),
    );
    expect(text.message).toBe('Save a different server for a later start?');
    expect(text.detail).toContain('From: https://pinned.example\nTo: https://later.example');
    expect(text.detail).toContain('For now the command line decides this (--api-url)');
    expect(text.detail).toContain('when Tessera starts without it');
    expect(text.detail).not.toContain('signed out');
    expect([text.confirm, text.cancel]).toEqual(['Save', 'Cancel']);
  });

  it('speaks Korean when the person chose it: every line, the setting names and the buttons', () => {
    const moved = describeConnectionChange(change(), 'ko');
    expect(moved.message).toBe('Tessera를 다른 서버에 연결할까요?');
    expect(moved.detail).toContain('현재 서버: https://api.example.com\n새 서버: https://api.other.example');
    expect([moved.confirm, moved.cancel]).toEqual(['연결', '취소']);
    const paths = describeConnectionChange(
      change({ keys: ['authMode', 'oidcIssuer'], toOrigin: 'https://api.example.com', newOrigins: [] }),
      'ko',
    );
    expect(paths.detail).toContain('변경 항목: 로그인 방법, 발급자(Issuer) URL');
    const added = describeConnectionChange(change({ addsAccount: true }), 'ko');
    expect(added).toMatchObject({ message: '다른 서버에 계정을 추가할까요?', confirm: '추가' });
    const trial = describeConnectionChange(change({ purpose: 'trySignIn' }), 'ko');
    expect(trial).toMatchObject({ message: '다른 서버에서 로그인을 시험할까요?', confirm: '로그인 시험' });
    // The person typed the password, not Tessera: "Tessera가 입력한 …" read as Tessera having typed it.
    expect(trial.detail).toContain('직접 입력한 사용자 이름과 비밀번호를 Tessera가 그곳으로 보내');
    const probe = describeConnectionChange(change({ purpose: 'probe' }), 'ko');
    expect(probe).toMatchObject({ message: '다른 서버를 확인할까요?', confirm: '서버 확인', cancel: '취소' });
    // No English sentence is left in any of them (origins and the product name aside).
    for (const text of [moved, paths, added, trial, probe])
      expect(`${text.message}\n${text.detail}`.replace(/https:\/\/\S+|Tessera|Issuer|URL/g, '')).not.toMatch(
        /[A-Za-z]{3,}/,
      );
  });

  it("for the wizard's probe: names the server it asks, and that no credentials go there", () => {
    const text = describeConnectionChange(
      change({ keys: ['apiBaseUrl'], toOrigin: 'https://cms.other.example', purpose: 'probe' }),
    );
    expect(text).toEqual({
      message: 'Check a different server?',
      detail: [
        'Server: https://cms.other.example',
        '',
        'Tessera will ask this server a few questions to find out what kind of server it is. No user name, password or token is sent.',
        'Only continue if you typed this address to check it.',
      ].join('\n'),
      confirm: 'Check server',
      cancel: 'Cancel',
    });
  });

  it("for the wizard's trial sign-in: names the server the password goes to, and that nothing is kept", () => {
    const text = describeConnectionChange(
      change({
        keys: ['apiBaseUrl', 'apiProfile'],
        toOrigin: 'https://cms.other.example',
        toIssuer: null,
        newOrigins: ['https://cms.other.example', 'https://auth.other.example'],
        purpose: 'trySignIn',
      }),
    );
    expect(text.message).toBe('Try signing in to a different server?');
    expect(text.detail).toContain('Server: https://cms.other.example');
    expect(text.detail).toContain(
      "Your password or the test's tokens also go to: https://auth.other.example",
    );
    expect(text.detail).toContain('Nothing is saved');
    expect([text.confirm, text.cancel]).toEqual(['Try sign-in', 'Cancel']);
  });
});

describe('dialog words', () => {
  it('name each connection setting as the Settings page does, in English and Korean', () => {
    const connectionKeys = SETTING_KEYS.filter(isConnection);
    const labels = (catalogue: Record<string, string>) =>
      Object.fromEntries(connectionKeys.map((key) => [key, catalogue[`settings.${key}`]]));
    expect(DIALOG_WORDS.en.labels).toEqual(labels(en));
    expect(DIALOG_WORDS.ko.labels).toEqual(labels(ko));
  });

  it('ask before a link leaves for the web browser, in the person’s language, showing where it goes', () => {
    expect(describeExternalLink('https://docs.example/a', 'en')).toEqual({
      message: 'Open this link in your web browser?',
      detail: 'https://docs.example/a',
      confirm: 'Open in browser',
      cancel: 'Cancel',
    });
    expect(describeExternalLink('https://docs.example/a', 'ko')).toEqual({
      message: '이 링크를 웹 브라우저에서 열까요?',
      detail: 'https://docs.example/a',
      confirm: '브라우저에서 열기',
      cancel: '취소',
    });
  });
});
