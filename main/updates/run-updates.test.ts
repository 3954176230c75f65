import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startUpdates, type UpdateLog, type UpdaterLogger, type UpdaterPort } from './run-updates';
import type { UpdateFeed } from './update-policy';

// A stand-in for electron-updater's AppUpdater: the real one needs a packaged Electron app to run.
// Like the real one, setting a channel flips allowDowngrade on.
class FakeUpdater extends EventEmitter implements UpdaterPort {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = false;
  logger: UpdaterLogger | null = null;
  feed: UpdateFeed | null = null;
  calls: string[] = [];
  failWith: Error | null = null;

  setFeedURL(options: UpdateFeed): void {
    this.feed = options;
    this.allowDowngrade = true;
  }
  async checkForUpdates(): Promise<unknown> {
    this.calls.push('checkForUpdates');
    if (this.failWith) throw this.failWith;
    return null;
  }
  async checkForUpdatesAndNotify(): Promise<unknown> {
    this.calls.push('checkForUpdatesAndNotify');
    if (this.failWith) throw this.failWith;
    return null;
  }
}

const FEED: UpdateFeed = { provider: 'generic', url: 'https://updates.corp.example/', channel: 'beta' };

function recorder() {
  const lines: string[] = [];
  const notified: string[] = [];
  const log: UpdateLog = {
    info: (message) => lines.push(`info ${message}`),
    warn: (message, fields) => lines.push(`warn ${message} ${JSON.stringify(fields ?? {})}`),
  };
  return { lines, notified, deps: { log, notifyAvailable: (version: string) => notified.push(version) } };
}

describe('startUpdates()', () => {
  it('auto mode downloads in the background and installs on quit', async () => {
    const updater = new FakeUpdater();
    const { deps } = recorder();
    const check = startUpdates(updater, { mode: 'auto', feed: FEED, allowDowngrade: false }, deps);
    await check();
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, feed: FEED });
    expect(updater.calls).toEqual(['checkForUpdatesAndNotify']);
  });

  it('notify mode never downloads and reports the available version', async () => {
    const updater = new FakeUpdater();
    const { deps, notified } = recorder();
    const check = startUpdates(updater, { mode: 'notify', feed: FEED, allowDowngrade: false }, deps);
    await check();
    updater.emit('update-available', { version: '2.0.0' });
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false });
    expect(updater.calls).toEqual(['checkForUpdates']);
    expect(notified).toEqual(['2.0.0']);
  });

  it('keeps downgrades off even though setting a channel turns them on in electron-updater', () => {
    const updater = new FakeUpdater();
    startUpdates(updater, { mode: 'auto', feed: FEED, allowDowngrade: false }, recorder().deps);
    expect(updater.allowDowngrade).toBe(false);
  });

  it('logs a failed check instead of throwing', async () => {
    const updater = new FakeUpdater();
    updater.failWith = new Error('net::ERR_INTERNET_DISCONNECTED');
    const { deps, lines } = recorder();
    const check = startUpdates(updater, { mode: 'notify', feed: FEED, allowDowngrade: false }, deps);
    await expect(check()).resolves.toBeUndefined();
    expect(lines.at(-1)).toContain('ERR_INTERNET_DISCONNECTED');
  });

  it('listens for updater errors so they are logged, not thrown as unhandled events', () => {
    const updater = new FakeUpdater();
    const { deps, lines } = recorder();
    startUpdates(updater, { mode: 'auto', feed: FEED, allowDowngrade: false }, deps);
    expect(() => updater.emit('error', new Error('sha512 checksum mismatch'))).not.toThrow();
    expect(lines.at(-1)).toContain('sha512 checksum mismatch');
  });

  it("routes electron-updater's own log lines to the app log", () => {
    const updater = new FakeUpdater();
    const { deps, lines } = recorder();
    startUpdates(updater, { mode: 'auto', feed: FEED, allowDowngrade: false }, deps);
    updater.logger?.info('Checking for update');
    expect(lines).toContain('info Checking for update');
  });
});
