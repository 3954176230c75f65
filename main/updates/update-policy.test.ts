import { describe, expect, it } from 'vitest';
import { decideUpdates, type InstallInfo, parseUpdateUrl, type UpdateInput } from './update-policy';

const URL_OK = 'https://updates.corp.example/tessera';
const perUserWin: InstallInfo = { platform: 'win32', perMachine: false };

function input(overrides: Partial<UpdateInput> = {}): UpdateInput {
  return { settings: { updateUrl: URL_OK }, install: perUserWin, isPackaged: true, ...overrides };
}

describe('decideUpdates()', () => {
  const offCases: Array<[string, UpdateInput, string]> = [
    ['development (unpackaged) runs', input({ isPackaged: false }), 'not-packaged'],
    ['no updateUrl', input({ settings: {} }), 'no-update-url'],
    ['a null updateUrl', input({ settings: { updateUrl: null } }), 'no-update-url'],
    ['a blank updateUrl', input({ settings: { updateUrl: '   ' } }), 'no-update-url'],
    [
      'updatesEnabled false (IT policy)',
      input({ settings: { updateUrl: URL_OK, updatesEnabled: false } }),
      'disabled',
    ],
    [
      'an http updateUrl',
      input({ settings: { updateUrl: 'http://updates.corp.example/' } }),
      'invalid-update-url',
    ],
    ['a file: updateUrl', input({ settings: { updateUrl: 'file:///srv/updates/' } }), 'invalid-update-url'],
    ['a relative updateUrl', input({ settings: { updateUrl: '/updates' } }), 'invalid-update-url'],
    [
      'an updateUrl with credentials',
      input({ settings: { updateUrl: 'https://u:p@updates.corp.example/' } }),
      'invalid-update-url',
    ],
    ['an updateUrl with a query', input({ settings: { updateUrl: `${URL_OK}?x=1` } }), 'invalid-update-url'],
    [
      'an updateUrl with a fragment',
      input({ settings: { updateUrl: `${URL_OK}#top` } }),
      'invalid-update-url',
    ],
    [
      'a channel that is not a file name',
      input({ settings: { updateUrl: URL_OK, updateChannel: '../latest' } }),
      'invalid-update-channel',
    ],
    [
      'an unsupported platform',
      input({ install: { platform: 'freebsd', perMachine: false } }),
      'unsupported-platform',
    ],
    [
      'a portable copy',
      input({ install: { platform: 'win32', perMachine: false, portable: true } }),
      'unsupported-install',
    ],
  ];

  it.each(offCases)('is off for %s', (_name, given, reason) => {
    const decision = decideUpdates(given);
    expect(decision).toMatchObject({ mode: 'off', reason });
    expect(decision.mode === 'off' && decision.detail.length > 0).toBe(true);
  });

  it('is off when disabled even with a valid URL, before looking at the URL', () => {
    const given = input({ settings: { updateUrl: 'http://bad', updatesEnabled: false } });
    expect(decideUpdates(given)).toMatchObject({ mode: 'off', reason: 'disabled' });
  });

  const modeCases: Array<[string, InstallInfo, 'auto' | 'notify']> = [
    ['a per-user Windows install', { platform: 'win32', perMachine: false }, 'auto'],
    ['a per-machine Windows install', { platform: 'win32', perMachine: true }, 'notify'],
    ['a user-writable macOS bundle', { platform: 'darwin', perMachine: false }, 'auto'],
    ['a root-owned macOS bundle', { platform: 'darwin', perMachine: true }, 'notify'],
    ['a user-owned AppImage', { platform: 'linux', perMachine: false, appImage: true }, 'auto'],
    ['a read-only AppImage', { platform: 'linux', perMachine: true, appImage: true }, 'notify'],
    ['a deb/rpm install', { platform: 'linux', perMachine: true }, 'notify'],
    ['a non-AppImage Linux install that claims per-user', { platform: 'linux', perMachine: false }, 'notify'],
  ];

  it.each(modeCases)('for %s the mode is %s', (_name, install, mode) => {
    expect(decideUpdates(input({ install }))).toEqual({
      mode,
      feed: { provider: 'generic', url: 'https://updates.corp.example/tessera/', channel: 'latest' },
      allowDowngrade: false,
    });
  });

  it('uses the configured channel (IT can pin it)', () => {
    const decision = decideUpdates(input({ settings: { updateUrl: URL_OK, updateChannel: 'beta' } }));
    expect(decision).toMatchObject({ mode: 'auto', feed: { channel: 'beta' } });
  });

  it('asks for the lower-case feed file whatever case the channel is written in (Beta reads beta.yml)', () => {
    const decision = decideUpdates(input({ settings: { updateUrl: URL_OK, updateChannel: 'Beta' } }));
    expect(decision).toMatchObject({ mode: 'auto', feed: { channel: 'beta' } });
  });

  it('falls back to the latest channel when the channel is empty or null', () => {
    for (const updateChannel of ['', null, undefined]) {
      const decision = decideUpdates(input({ settings: { updateUrl: URL_OK, updateChannel } }));
      expect(decision).toMatchObject({ feed: { channel: 'latest' } });
    }
  });

  it('turns updates on with updatesEnabled true or unset, as long as a URL is configured', () => {
    expect(decideUpdates(input({ settings: { updateUrl: URL_OK, updatesEnabled: true } })).mode).toBe('auto');
    expect(decideUpdates(input({ settings: { updateUrl: URL_OK } })).mode).toBe('auto');
  });

  it('never allows a downgrade', () => {
    const decision = decideUpdates(input({ install: { platform: 'darwin', perMachine: true } }));
    expect(decision.mode !== 'off' && decision.allowDowngrade).toBe(false);
  });
});

describe('parseUpdateUrl()', () => {
  it('adds a trailing slash so latest.yml resolves inside the folder', () => {
    expect(parseUpdateUrl('https://cdn.example/apps/tessera')).toEqual({
      ok: true,
      url: 'https://cdn.example/apps/tessera/',
    });
    expect(parseUpdateUrl('https://cdn.example/')).toEqual({ ok: true, url: 'https://cdn.example/' });
  });

  it('refuses port 0 (also written :00), which nothing can be connected to, as every http(s) setting does', () => {
    for (const url of ['https://cdn.example:0/tessera/', 'https://cdn.example:00/', 'https://[::1]:0/'])
      expect(parseUpdateUrl(url), url).toEqual({
        ok: false,
        problem: 'must use a port from 1 to 65535, not 0',
      });
    expect(decideUpdates(input({ settings: { updateUrl: 'https://cdn.example:00/tessera' } }))).toMatchObject(
      {
        mode: 'off',
        reason: 'invalid-update-url',
      },
    );
    expect(parseUpdateUrl('https://cdn.example:8443/tessera')).toEqual({
      ok: true,
      url: 'https://cdn.example:8443/tessera/',
    });
  });

  it('keeps what only an update URL refuses: plain http even on loopback, credentials', () => {
    expect(parseUpdateUrl('http://127.0.0.1:8080/')).toEqual({ ok: false, problem: 'must use https' });
    expect(parseUpdateUrl('https://u:p@cdn.example/')).toMatchObject({ ok: false });
    expect(parseUpdateUrl('cdn.example/tessera')).toMatchObject({ ok: false });
  });

  it('refuses an empty query or fragment that the URL parser would drop silently', () => {
    expect(parseUpdateUrl('https://cdn.example/?')).toMatchObject({ ok: false });
    expect(parseUpdateUrl('https://cdn.example/#')).toMatchObject({ ok: false });
  });
});
