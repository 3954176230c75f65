// setupProxy applies the admin proxy settings to Electron sessions. Electron cannot run here, so
// stand-in sessions record what they are given (Session.setProxy and closeAllConnections, electron.d.ts
// 45.5.0); the settings and the decision (proxyConfigFor) are the real ones.
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../common/settings';
import { createLogger, type LogEntry, silentLogger } from '../core/logger';
import { createProxyAuthenticator } from '../core/network/proxy-auth';
import { setupProxy } from './apply-proxy';

function standInSession() {
  const given: unknown[] = [];
  const session = {
    setProxy: async (config: unknown) => {
      given.push(config);
    },
    closeAllConnections: async () => {},
  };
  return { session: session as unknown as Session, given };
}

function liveSettings(initial: Partial<Settings>) {
  let current = { proxyServer: '', proxyPacUrl: '', proxyBypassList: '', ...initial } as Settings;
  const listeners: ((settings: Settings) => void)[] = [];
  return {
    current: () => current,
    onChange: (listener: (settings: Settings) => void) => {
      listeners.push(listener);
      return () => {};
    },
    change: (patch: Partial<Settings>) => {
      current = { ...current, ...patch };
      for (const listener of listeners) listener(current);
    },
  };
}

const authenticator = createProxyAuthenticator({ prompt: async () => null });
const FIXED = { mode: 'fixed_servers', proxyRules: 'proxy.corp.example:8080', proxyBypassRules: '<local>' };

describe('setupProxy()', () => {
  it("gives a followed session (electron-updater's) the configured proxy, and each later change", async () => {
    const main = standInSession();
    const updater = standInSession();
    const settings = liveSettings({ proxyServer: 'proxy.corp.example:8080', proxyBypassList: '<local>' });
    const proxy = setupProxy({ session: main.session, settings, authenticator, logger: silentLogger });
    await proxy.follow(updater.session);
    expect(main.given).toEqual([FIXED]);
    expect(updater.given).toEqual([FIXED]);

    settings.change({ proxyServer: 'direct', proxyBypassList: '' });
    // The change is applied asynchronously (setProxy, then closeAllConnections): let it finish.
    await new Promise((next) => setImmediate(next));
    expect(main.given).toEqual([FIXED, { mode: 'direct' }]);
    expect(updater.given).toEqual([FIXED, { mode: 'direct' }]);
  });

  it("leaves a followed session on Chromium's own proxy choice when nothing is set", async () => {
    const main = standInSession();
    const updater = standInSession();
    const proxy = setupProxy({
      session: main.session,
      settings: liveSettings({}),
      authenticator,
      logger: silentLogger,
    });
    await proxy.follow(updater.session);
    expect(main.given).toEqual([]);
    expect(updater.given).toEqual([]);
  });

  it('logs a PAC URL with every query value and the user info hidden, and the parameter names kept', async () => {
    const entries: LogEntry[] = [];
    const pacScript = 'https://ops:hunter22@wpad.corp.example/proxy.pac?site=berlin&k=s3cr3t&k=two#frag';
    const proxy = setupProxy({
      session: standInSession().session,
      settings: liveSettings({ proxyPacUrl: pacScript }),
      authenticator,
      logger: createLogger({ sink: (entry) => entries.push(entry) }),
    });
    await proxy.ready;
    const line = entries.find((entry) => entry.message === 'proxy: pac_script');
    expect(line?.fields).toEqual({
      mode: 'pac_script',
      pacScript:
        'https://[redacted]@wpad.corp.example/proxy.pac?site=[redacted]&k=[redacted]&k=[redacted]#[redacted]',
    });
    expect(JSON.stringify(entries)).not.toMatch(/berlin|s3cr3t|two|hunter22|frag/);
  });
});
