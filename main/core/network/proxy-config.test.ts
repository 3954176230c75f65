import { describe, expect, it } from 'vitest';
import { readEnvLayer } from '../config/layers';
import { parseSetting } from '../config/settings-table';
import { proxyConfigFor, sameProxyConfig } from './proxy-config';

const none = { proxyServer: '', proxyPacUrl: '', proxyBypassList: '' };

describe('proxyConfigFor()', () => {
  it('leaves the system proxy (and its PAC) in charge when nothing is set', () => {
    expect(proxyConfigFor(none)).toEqual({ config: { mode: 'system' }, ignored: [] });
  });

  it('uses fixed servers with the bypass list when proxyServer is set', () => {
    expect(
      proxyConfigFor({ ...none, proxyServer: 'http://proxy.corp:8080', proxyBypassList: '<local>,*.corp' }),
    ).toEqual({
      config: {
        mode: 'fixed_servers',
        proxyRules: 'http://proxy.corp:8080',
        proxyBypassRules: '<local>,*.corp',
      },
      ignored: [],
    });
  });

  it('lets a PAC URL win over a fixed server and says what it ignored', () => {
    const decision = proxyConfigFor({
      proxyServer: 'proxy:3128',
      proxyPacUrl: 'http://wpad.corp/proxy.pac',
      proxyBypassList: '<local>',
    });
    expect(decision.config).toEqual({ mode: 'pac_script', pacScript: 'http://wpad.corp/proxy.pac' });
    expect(decision.ignored).toEqual([
      'proxyServer (proxyPacUrl wins)',
      'proxyBypassList (the PAC file decides)',
    ]);
  });

  it('turns proxies off with direct', () => {
    expect(proxyConfigFor({ ...none, proxyServer: 'direct' }).config).toEqual({ mode: 'direct' });
  });

  it('reports a bypass list without a server as ignored', () => {
    expect(proxyConfigFor({ ...none, proxyBypassList: '*.corp' }).ignored).toEqual([
      'proxyBypassList (no proxyServer: the system decides)',
    ]);
  });

  it('compares configurations field by field', () => {
    const a = proxyConfigFor({ ...none, proxyServer: 'p:1' }).config;
    expect(sameProxyConfig(a, { mode: 'fixed_servers', proxyRules: 'p:1' })).toBe(true);
    expect(sameProxyConfig(a, { mode: 'fixed_servers', proxyRules: 'p:2' })).toBe(false);
  });
});

describe('the proxy settings', () => {
  const error = (key: 'proxyServer' | 'proxyPacUrl' | 'proxyBypassList', value: unknown) => {
    const parsed = parseSetting(key, value);
    return parsed.success ? null : parsed.error.issues[0]?.message;
  };

  it.each([
    '',
    'direct',
    'proxy.corp:8080',
    'http://proxy.corp:8080',
    'socks5://127.0.0.1:1080',
    'https=secure.corp:443;http=plain.corp:80',
    'http=p1:80,p2:80,direct://',
    '[::1]:3128',
  ])('accepts proxyServer %j', (value) => {
    expect(error('proxyServer', value)).toBeNull();
  });

  it.each([
    ['http://user:secret@proxy:8080', /must not contain a user name or password/],
    ['gopher://proxy:70', /unknown proxy scheme "gopher"/],
    ['proxy:99999', /port outside 1\.\.65535/],
    ['proxy.corp 8080', /spaces/],
    ['p1:80;;p2:80', /empty rule/],
    ['mailto=p:80', /unknown URL scheme "mailto"/],
    ['http://', /host:port/],
    [42, /must be a string/],
  ])('refuses proxyServer %j', (value, message) => {
    expect(error('proxyServer', value)).toMatch(message);
  });

  it('accepts http, https and file PAC URLs and refuses others', () => {
    expect(error('proxyPacUrl', 'http://wpad.corp/wpad.dat')).toBeNull();
    expect(error('proxyPacUrl', 'file:///etc/proxy.pac')).toBeNull();
    expect(error('proxyPacUrl', 'ftp://wpad/p.pac')).toMatch(/http, https or file/);
    expect(error('proxyPacUrl', 'https://u:p@wpad/p.pac')).toMatch(/user name or password/);
    expect(error('proxyPacUrl', 'wpad.dat')).toMatch(/absolute URL/);
  });

  it('refuses a PAC URL on port 0 (also written :00), as every http(s) setting does', () => {
    for (const url of ['http://wpad.corp:0/wpad.dat', 'https://wpad.corp:00/p.pac', 'http://[::1]:0/p.pac'])
      expect(error('proxyPacUrl', url), url).toMatch(/port from 1 to 65535/);
    expect(error('proxyPacUrl', 'http://wpad.corp:8080/wpad.dat')).toBeNull();
    // Plain http stays allowed on any host: WPAD and most PAC servers serve http.
    expect(error('proxyPacUrl', 'http://10.0.0.5/proxy.pac')).toBeNull();
  });

  it('normalises a bypass list to comma-separated rules and refuses nonsense', () => {
    const parsed = parseSetting('proxyBypassList', ' <local>; *.corp.example.com , 10.0.0.0/8 [fe80::]/10');
    expect(parsed.success && parsed.data).toBe('<local>,*.corp.example.com,10.0.0.0/8,[fe80::]/10');
    expect(error('proxyBypassList', 'ok.example.com,bad"host')).toMatch(
      /rule Chromium does not understand: "bad"host"/,
    );
    expect(error('proxyBypassList', 'user@host')).toMatch(/user name or password/);
  });

  it('names the setting and the variable when the environment holds a bad value', () => {
    const layer = readEnvLayer({ TESSERA_PROXY_SERVER: 'http://me:pw@proxy:8080' });
    expect(layer.values).toEqual({});
    expect(layer.issues[0]?.message).toBe(
      'environment variable TESSERA_PROXY_SERVER: proxyServer must not contain a user name or password (Tessera asks for them when the proxy wants them); ignored',
    );
  });
});
