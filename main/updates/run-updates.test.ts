import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppImageUpdater } from 'electron-updater/out/AppImageUpdater';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { NsisUpdater } from 'electron-updater/out/NsisUpdater';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../test/support/fixtures';
import type { InstallTrustInput } from './install-trust';
import {
  describeUpdaterError,
  type NotifyReason,
  startUpdates,
  type UpdateDeps,
  type UpdateDownloadedLike,
  type UpdateInfoLike,
  type UpdateLog,
  type UpdaterLogger,
  type UpdaterPort,
} from './run-updates';
import type { UpdateDecision, UpdateFeed } from './update-policy';
import { MAX_SIGNATURE_FILE_BYTES } from './update-signature';
import { formatStatementFile, formatUpdateStatement, type UpdateStatement } from './update-statement.mjs';

// A stand-in for electron-updater's AppUpdater: the real one needs a packaged Electron app to check,
// download and install. Like the real one, setting a channel flips allowDowngrade on, and a finished
// download is announced with `update-downloaded` (the test emits it, with a real file on disk), and a
// failed check is emitted as 'error' (which its own listener echoes to its logger) before it rejects.
class FakeUpdater extends EventEmitter implements UpdaterPort {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = false;
  disableWebInstaller = false;
  logger: UpdaterLogger | null = null;
  /** A stand-in for electron-updater's HTTP client: the guard only needs `createRequest` to wrap. */
  httpExecutor: unknown = { createRequest: () => new EventEmitter() };
  feed: UpdateFeed | null = null;
  calls: string[] = [];
  available: UpdateInfoLike | null = null;
  failWith: Error | null = null;
  installed: Array<[boolean | undefined, boolean | undefined]> = [];

  constructor() {
    super();
    this.on('error', (error: Error) => this.logger?.error(`Error: ${error.stack ?? error.message}`));
  }
  setFeedURL(options: UpdateFeed): void {
    this.feed = options;
    this.allowDowngrade = true;
  }
  async checkForUpdates() {
    this.calls.push('checkForUpdates');
    if (this.failWith) {
      this.emit('error', this.failWith, `Cannot check for updates: ${this.failWith.stack}`);
      throw this.failWith;
    }
    const info = this.available ?? { version: '1.0.0', files: [{ url: 'Tessera-1.0.0-x86_64.AppImage' }] };
    return { isUpdateAvailable: this.available !== null, updateInfo: info };
  }
  async downloadUpdate(): Promise<unknown> {
    this.calls.push('downloadUpdate');
    return [];
  }
  install(isSilent?: boolean, isForceRunAfter?: boolean): boolean {
    this.installed.push([isSilent, isForceRunAfter]);
    return true;
  }
}

const FEED: UpdateFeed = {
  provider: 'generic',
  url: 'https://updates.corp.example/feed/',
  channel: 'latest',
};
const APPIMAGE = 'Tessera-2.0.0-x86_64.AppImage';
const V2: UpdateInfoLike = { version: '2.0.0', files: [{ url: APPIMAGE }], path: APPIMAGE };
const auto = (): Exclude<UpdateDecision, { mode: 'off' }> => ({
  mode: 'auto',
  feed: FEED,
  allowDowngrade: false,
});
const managed = (): Exclude<UpdateDecision, { mode: 'off' }> => ({
  mode: 'notify',
  feed: FEED,
  allowDowngrade: false,
});
const WIN_SIGNED: UpdateDeps['trust'] = { platform: 'win32', target: 'nsis', signedBuild: true };
const LINUX_APPIMAGE: UpdateDeps['trust'] = { platform: 'linux', target: 'appimage', signedBuild: false };

const release = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
/** The version of the running app in these tests. */
const RUNNING = '1.5.0';
const V2_BYTES = 'the 2.0.0 AppImage';

/**
 * The `.sig` scripts/sign-update.mjs would write for `contents` (the 2.0.0 AppImage unless told),
 * signed by `key` (the release key unless told); `fields` override what the statement says.
 */
function statement(
  options: { contents?: string; key?: KeyObject; fields?: Partial<UpdateStatement> } = {},
): Buffer {
  const text = formatUpdateStatement({
    product: 'Tessera',
    version: '2.0.0',
    file: APPIMAGE,
    sha512: createHash('sha512')
      .update(options.contents ?? V2_BYTES)
      .digest('hex'),
    ...options.fields,
  });
  const signature = sign(null, Buffer.from(text), options.key ?? release.privateKey);
  return Buffer.from(formatStatementFile(text, signature));
}

function harness(
  trust: Omit<InstallTrustInput, 'publicKey' | 'signatureValid'>,
  publicKeys: KeyObject[] = [],
) {
  const lines: string[] = [];
  const available: Array<[string, NotifyReason]> = [];
  const ready: string[] = [];
  const fetched: string[] = [];
  const quitHandlers: Array<(exitCode: number) => void> = [];
  let signature: () => Promise<Uint8Array> = async () => {
    throw new Error('no signature served');
  };
  const log: UpdateLog = {
    info: (message, fields) => lines.push(`info ${message} ${JSON.stringify(fields ?? {})}`),
    warn: (message, fields) => lines.push(`warn ${message} ${JSON.stringify(fields ?? {})}`),
  };
  const deps: UpdateDeps = {
    log,
    notifyAvailable: (version, reason) => available.push([version, reason]),
    notifyReady: (version) => ready.push(version),
    trust,
    publicKeys,
    currentVersion: RUNNING,
    fetchSignature: (url) => {
      fetched.push(url);
      return signature();
    },
    onQuit: (handler) => quitHandlers.push(handler),
  };
  return {
    deps,
    lines,
    available,
    ready,
    fetched,
    quit: (exitCode = 0) => {
      for (const handler of quitHandlers) handler(exitCode);
    },
    serve: (next: () => Promise<Uint8Array>) => {
      signature = next;
    },
  };
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-updates-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A downloaded update file, as electron-updater leaves it in its cache folder. */
function downloadedFile(contents = V2_BYTES, info: UpdateInfoLike = V2): UpdateDownloadedLike {
  const name = info.path ?? APPIMAGE;
  const file = join(dir, name);
  writeFileSync(file, contents);
  return { ...info, downloadedFile: file };
}

describe('startUpdates() — Windows and macOS', () => {
  it('a signed per-user Windows build downloads after the check and lets electron-updater install on quit', async () => {
    const updater = new FakeUpdater();
    updater.available = { version: '2.0.0', files: [{ url: 'Tessera-Setup-2.0.0.exe' }] };
    const h = harness(WIN_SIGNED);
    const running = startUpdates(updater, auto(), h.deps);
    expect(running).toMatchObject({
      mode: 'auto',
      install: { action: 'install', verifiedBy: 'windows-publisher' },
    });
    expect(updater).toMatchObject({
      autoDownload: false,
      autoInstallOnAppQuit: true,
      disableWebInstaller: true,
      feed: FEED,
    });
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate']);
    updater.emit('update-downloaded', {
      ...updater.available,
      downloadedFile: join(dir, 'Tessera-Setup-2.0.0.exe'),
    });
    expect(h.ready).toEqual(['2.0.0']);
    expect(h.fetched).toEqual([]);
  });

  it('a signed Windows build with a key: checks the installer’s .sig, then installs it itself on a clean quit', async () => {
    const setup = 'Tessera-Setup-2.0.0.exe';
    const info: UpdateInfoLike = { version: '2.0.0', files: [{ url: setup }], path: setup };
    const updater = new FakeUpdater();
    updater.available = info;
    const h = harness(WIN_SIGNED, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    expect(running).toMatchObject({
      mode: 'auto',
      install: { action: 'verify-download', verifiedBy: 'windows-publisher+ed25519' },
    });
    // electron-updater's own quit handler would install without the statement: off.
    expect(updater.autoInstallOnAppQuit).toBe(false);
    await running.check();
    h.serve(async () => statement({ contents: 'the 2.0.0 installer', fields: { file: setup } }));
    updater.emit('update-downloaded', downloadedFile('the 2.0.0 installer', info));
    await running.settled();
    expect(h.fetched).toEqual([`https://updates.corp.example/feed/${setup}.sig`]);
    expect(h.ready).toEqual(['2.0.0']);
    h.quit(0);
    expect(updater.installed).toEqual([[true, false]]);
  });

  it('a signed Windows build with a key refuses an older signed installer offered as newer', async () => {
    // The publisher check passes (it is a real release); only the statement tells its version.
    const old = 'Tessera-Setup-1.0.0.exe';
    const info: UpdateInfoLike = { version: '9.9.9', files: [{ url: old }], path: old };
    const updater = new FakeUpdater();
    updater.available = info;
    const h = harness(WIN_SIGNED, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    await running.check();
    const event = downloadedFile('the 1.0.0 installer', info);
    h.serve(async () =>
      statement({ contents: 'the 1.0.0 installer', fields: { file: old, version: '1.0.0' } }),
    );
    updater.emit('update-downloaded', event);
    await running.settled();
    expect(h.ready).toEqual([]);
    expect(h.available).toEqual([['9.9.9', 'unverified']]);
    expect(existsSync(event.downloadedFile)).toBe(false);
    expect(h.lines.some((line) => /warn update refused .*is for version 1\.0\.0/.test(line))).toBe(true);
    h.quit(0);
    expect(updater.installed).toEqual([]);
  });

  it('an unsigned Windows build only notifies, even installed per user', async () => {
    const updater = new FakeUpdater();
    updater.available = { version: '2.0.0', files: [{ url: 'Tessera-Setup-2.0.0.exe' }] };
    const h = harness({ ...WIN_SIGNED, signedBuild: false });
    const running = startUpdates(updater, auto(), h.deps);
    expect(running).toMatchObject({
      mode: 'notify',
      install: { action: 'notify', reason: expect.stringMatching(/unsigned/) },
    });
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false });
    await running.check();
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'checkForUpdates']);
    expect(h.available).toEqual([['2.0.0', 'unverified']]);
    expect(h.lines[0]).toMatch(/updates enabled .*"mode":"notify".*notifyOnly/);
  });

  it('an unsigned macOS build only notifies; a signed one hands the download to Squirrel.Mac on quit', async () => {
    const unsigned = new FakeUpdater();
    const h = harness({ platform: 'darwin', target: 'mac-zip', signedBuild: false });
    expect(startUpdates(unsigned, auto(), h.deps).mode).toBe('notify');
    const signed = new FakeUpdater();
    const running = startUpdates(
      signed,
      auto(),
      harness({ platform: 'darwin', target: 'mac-zip', signedBuild: true }).deps,
    );
    expect(running.mode).toBe('auto');
    expect(signed.autoInstallOnAppQuit).toBe(true);
  });

  it('a per-machine install notifies (an administrator installs) and never downloads', async () => {
    const updater = new FakeUpdater();
    updater.available = { version: '2.0.0', files: [{ url: 'Tessera-Setup-2.0.0.exe' }] };
    const h = harness(WIN_SIGNED);
    const running = startUpdates(updater, managed(), h.deps);
    await running.check();
    expect(running.mode).toBe('notify');
    expect(updater.calls).toEqual(['checkForUpdates']);
    expect(h.available).toEqual([['2.0.0', 'managed']]);
  });

  it('refuses metadata whose files leave the feed: no download and no notification', async () => {
    const updater = new FakeUpdater();
    updater.available = {
      version: '6.6.6',
      files: [{ url: 'https://cdn.evil.example/Tessera-Setup-6.6.6.exe' }],
    };
    const h = harness(WIN_SIGNED);
    const running = startUpdates(updater, auto(), h.deps);
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates']);
    expect(h.available).toEqual([]);
    expect(h.lines.at(-1)).toMatch(
      /warn update refused: the metadata points outside the update folder .*cdn\.evil/,
    );
  });

  it('only notifies when the HTTP client cannot be guarded', async () => {
    const updater = new FakeUpdater();
    updater.httpExecutor = undefined;
    const running = startUpdates(updater, auto(), harness(WIN_SIGNED).deps);
    expect(running).toMatchObject({ mode: 'notify', install: { action: 'notify' } });
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });
});

describe('startUpdates() — Linux AppImage', () => {
  it('without a built-in key only notifies', async () => {
    const updater = new FakeUpdater();
    updater.available = V2;
    const h = harness(LINUX_APPIMAGE);
    const running = startUpdates(updater, auto(), h.deps);
    await running.check();
    expect(running).toMatchObject({
      mode: 'notify',
      install: { reason: expect.stringMatching(/no update signing key/) },
    });
    expect(updater.calls).toEqual(['checkForUpdates']);
    expect(h.available).toEqual([['2.0.0', 'unverified']]);
  });

  it('with a key: downloads, verifies <file>.sig from the feed, then installs on a clean quit', async () => {
    const updater = new FakeUpdater();
    updater.available = V2;
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    expect(running).toMatchObject({ mode: 'auto', install: { action: 'verify-download' } });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate']);

    const event = downloadedFile();
    h.serve(async () => statement());
    updater.emit('update-downloaded', event);
    await running.settled();
    expect(h.fetched).toEqual([`https://updates.corp.example/feed/${APPIMAGE}.sig`]);
    expect(h.ready).toEqual(['2.0.0']);

    h.quit(1); // a crash or an error exit installs nothing
    expect(updater.installed).toEqual([]);
    h.quit(0);
    expect(updater.installed).toEqual([[true, false]]);
    // Verified and pending: later checks do not download it again.
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate', 'checkForUpdates']);
  });

  it('with a key that did not sign it: deletes the download, notifies, never installs nor downloads it again', async () => {
    const updater = new FakeUpdater();
    updater.available = V2;
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    await running.check();
    const event = downloadedFile();
    h.serve(async () => statement({ key: stranger.privateKey }));
    updater.emit('update-downloaded', event);
    await running.settled();
    expect(h.available).toEqual([['2.0.0', 'unverified']]);
    expect(existsSync(event.downloadedFile)).toBe(false);
    expect(h.lines.some((line) => /warn update refused .*not signed with the key/.test(line))).toBe(true);
    h.quit(0);
    expect(updater.installed).toEqual([]);
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate', 'checkForUpdates']);
  });

  /** An AppImage update on auto with the release key trusted, whose download `announce` serves: unverified. */
  async function unverifiedDownload(announce: (updater: FakeUpdater, h: ReturnType<typeof harness>) => void) {
    const updater = new FakeUpdater();
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    announce(updater, h);
    await running.settled();
    expect(h.available).toEqual([['2.0.0', 'unverified']]);
    return { updater, h };
  }

  it('a file changed after signing is refused', async () => {
    const { updater, h } = await unverifiedDownload((updater, h) => {
      h.serve(async () => statement());
      updater.emit('update-downloaded', downloadedFile('the 2.0.0 AppImage, plus a payload'));
    });
    h.quit(0);
    expect(updater.installed).toEqual([]);
  });

  /**
   * The feed offers `info`; its download holds `contents` and the feed serves `sig` as its `.sig`. The
   * update must be refused for `reason`: the download deleted, the person told, nothing installed.
   */
  async function refused(
    info: UpdateInfoLike,
    contents: string,
    sig: () => Promise<Uint8Array>,
    reason: RegExp,
    channel = 'latest',
  ) {
    const updater = new FakeUpdater();
    updater.available = info;
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, { ...auto(), feed: { ...FEED, channel } }, h.deps);
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate']);
    const event = downloadedFile(contents, info);
    h.serve(sig);
    updater.emit('update-downloaded', event);
    await running.settled();
    h.quit(0);
    expect(updater.installed).toEqual([]);
    expect(h.ready).toEqual([]);
    expect(h.available).toEqual([[info.version, 'unverified']]);
    expect(existsSync(event.downloadedFile)).toBe(false);
    const refusal = h.lines.find((line) => line.startsWith('warn update refused '));
    expect(refusal).toMatch(reason);
    // Not downloaded again in this run.
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate', 'checkForUpdates']);
    return h;
  }

  const OLD_BYTES = 'the 1.0.0 AppImage bytes (known to be vulnerable)';
  const OLD_NAME = 'Tessera-1.0.0-x86_64.AppImage';
  /** The genuine, signed 1.0.0 release's .sig, as published back then. */
  const oldStatement = () => statement({ contents: OLD_BYTES, fields: { version: '1.0.0', file: OLD_NAME } });

  it('refuses an older release whose signature covers its bytes alone (the old .sig) offered as 9.9.9', async () => {
    // The 1.0.0 release and the .sig sign-update.mjs wrote for it before statements: the bytes only.
    const bare = Buffer.from(
      `${sign(null, Buffer.from(OLD_BYTES), release.privateKey).toString('base64')}\n`,
    );
    const name = 'Tessera-9.9.9-x86_64.AppImage';
    await refused(
      { version: '9.9.9', files: [{ url: name }], path: name },
      OLD_BYTES,
      async () => bare,
      /the update statement does not start with .*tessera-update-statement v1/,
    );
  });

  it('refuses an older signed release that a changed feed offers as a newer version (renamed)', async () => {
    const name = 'Tessera-9.9.9-x86_64.AppImage';
    await refused(
      { version: '9.9.9', files: [{ url: name }], path: name },
      OLD_BYTES,
      async () => oldStatement(),
      /is for the file Tessera-1\.0\.0-x86_64\.AppImage, not Tessera-9\.9\.9-x86_64\.AppImage/,
    );
  });

  it('refuses an older signed release that a changed feed offers as a newer version (same file name)', async () => {
    await refused(
      { version: '9.9.9', files: [{ url: OLD_NAME }], path: OLD_NAME },
      OLD_BYTES,
      async () => oldStatement(),
      /is for version 1\.0\.0, but the update server offers it as 9\.9\.9/,
    );
  });

  it('refuses a statement signed for another file name', async () => {
    await refused(
      V2,
      V2_BYTES,
      async () => statement({ fields: { file: 'Tessera-2.0.0-arm64.AppImage' } }),
      /is for the file Tessera-2\.0\.0-arm64\.AppImage, not Tessera-2\.0\.0-x86_64\.AppImage/,
    );
  });

  it('refuses a statement whose sha512 is not the download, and one whose sha512 was changed after signing', async () => {
    await refused(
      V2,
      V2_BYTES,
      async () => statement({ contents: 'another 2.0.0 build' }),
      /not the one the signed statement names \(sha512\)/,
    );
    const other = createHash('sha512').update('a payload').digest('hex');
    const edited = statement({ contents: 'a payload' })
      .toString()
      .replace(/^sha512: .*$/m, `sha512: ${createHash('sha512').update(V2_BYTES).digest('hex')}`);
    expect(edited).not.toContain(other);
    await refused(
      V2,
      V2_BYTES,
      async () => Buffer.from(edited),
      /not signed with the key built into this build/,
    );
  });

  it('refuses a statement for another version than the one the feed offers', async () => {
    await refused(
      V2,
      V2_BYTES,
      async () => statement({ fields: { version: '2.0.1' } }),
      /is for version 2\.0\.1, but the update server offers it as 2\.0\.0/,
    );
  });

  it('refuses a signed version that is not newer than the running one', async () => {
    for (const version of ['1.4.0', RUNNING, `${RUNNING}-rc.1`]) {
      const name = `Tessera-${version}-x86_64.AppImage`;
      await refused(
        { version, files: [{ url: name }], path: name },
        V2_BYTES,
        async () => statement({ fields: { version, file: name } }),
        new RegExp(`version ${version.replace(/\./g, '\\.')} is not newer than the running 1\\.5\\.0`),
      );
    }
  });

  it('refuses a pre-release on the latest channel, and installs it on the beta channel', async () => {
    const version = '2.0.0-beta.1';
    const name = `Tessera-${version}-x86_64.AppImage`;
    const info = { version, files: [{ url: name }], path: name };
    const sig = async () => statement({ fields: { version, file: name } });
    await refused(
      info,
      V2_BYTES,
      sig,
      /2\.0\.0-beta\.1 is a pre-release, and this copy follows the latest channel/,
    );

    const updater = new FakeUpdater();
    updater.available = info;
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, { ...auto(), feed: { ...FEED, channel: 'beta' } }, h.deps);
    await running.check();
    h.serve(sig);
    updater.emit('update-downloaded', downloadedFile(V2_BYTES, info));
    await running.settled();
    expect(h.ready).toEqual([version]);
    h.quit(0);
    expect(updater.installed).toEqual([[true, false]]);
  });

  it('refuses a missing, oversized, malformed or old-style (bare signature) .sig', async () => {
    await refused(
      V2,
      V2_BYTES,
      async () => {
        throw new Error('https://updates.corp.example/feed/x.sig answered 404');
      },
      /signature could not be checked/,
    );
    const big = Buffer.concat([statement(), Buffer.alloc(MAX_SIGNATURE_FILE_BYTES, 0x20)]);
    await refused(V2, V2_BYTES, async () => big, /the update statement is too large/);
    const crlf = Buffer.from(statement().toString().replace(/\n/g, '\r\n'));
    await refused(V2, V2_BYTES, async () => crlf, /the update statement does not start with/);
    const extra = Buffer.concat([statement(), Buffer.from('note: trust me\n')]);
    await refused(V2, V2_BYTES, async () => extra, /the update statement is not 6 lines/);
  });

  it('a missing or unreachable signature counts as not verified', async () => {
    const { updater, h } = await unverifiedDownload((updater) => {
      updater.emit('update-downloaded', downloadedFile());
    });
    expect(h.lines.some((line) => /warn update signature not checked .*no signature served/.test(line))).toBe(
      true,
    );
    h.quit(0);
    expect(updater.installed).toEqual([]);
  });

  it('a download that matches no file in the metadata is not verified (no .sig is guessed)', async () => {
    const { h } = await unverifiedDownload((updater) => {
      updater.emit('update-downloaded', { ...downloadedFile(), files: [{ url: 'Something-else.AppImage' }] });
    });
    expect(h.fetched).toEqual([]);
  });

  it('quitting while the signature is still being checked installs nothing', async () => {
    const updater = new FakeUpdater();
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    let serve: (bytes: Uint8Array) => void = () => {};
    h.serve(() => new Promise((resolve) => (serve = resolve)));
    updater.emit('update-downloaded', downloadedFile());
    expect(h.fetched).toHaveLength(1); // the check starts as soon as the download is announced
    h.quit(0);
    expect(updater.installed).toEqual([]);
    serve(statement());
    await running.settled();
    expect(h.ready).toEqual(['2.0.0']);
  });

  it('a new download un-verifies the previous one until its own signature is checked', async () => {
    const updater = new FakeUpdater();
    updater.available = V2;
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, auto(), h.deps);
    h.serve(async () => statement());
    updater.emit('update-downloaded', downloadedFile());
    await running.settled();
    updater.available = { version: '2.1.0', files: [{ url: 'Tessera-2.1.0-x86_64.AppImage' }] };
    await running.check(); // starts downloading 2.1.0, which replaces the file electron-updater installs
    h.quit(0);
    expect(updater.installed).toEqual([]);
  });

  it('a deb/rpm install (per machine) only notifies even with a key', async () => {
    const updater = new FakeUpdater();
    updater.available = { version: '2.0.0', files: [{ url: 'tessera_2.0.0_amd64.deb' }] };
    const h = harness({ platform: 'linux', target: 'deb', signedBuild: false }, [release.publicKey]);
    const running = startUpdates(updater, managed(), h.deps);
    await running.check();
    expect(updater.calls).toEqual(['checkForUpdates']);
    expect(h.available).toEqual([['2.0.0', 'managed']]);
  });
});

describe('startUpdates() — common behaviour', () => {
  it('keeps downgrades off even though setting a channel turns them on in electron-updater', () => {
    const updater = new FakeUpdater();
    startUpdates(updater, auto(), harness(WIN_SIGNED).deps);
    expect(updater.allowDowngrade).toBe(false);
  });

  it('does nothing when no newer version is available', async () => {
    const updater = new FakeUpdater();
    const h = harness(WIN_SIGNED);
    await startUpdates(updater, auto(), h.deps).check();
    expect(updater.calls).toEqual(['checkForUpdates']);
    expect(h.available).toEqual([]);
  });

  it('logs a failed check instead of throwing', async () => {
    const updater = new FakeUpdater();
    updater.failWith = new Error('net::ERR_INTERNET_DISCONNECTED');
    const h = harness(WIN_SIGNED);
    const running = startUpdates(updater, managed(), h.deps);
    await expect(running.check()).resolves.toBeUndefined();
    // Once: not again from the rejected promise, nor echoed by the updater's own listener.
    expect(h.lines.filter((line) => line.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([
      `warn update check failed {"url":"${FEED.url}","problem":"net::ERR_INTERNET_DISCONNECTED"}`,
    ]);
  });

  it('listens for updater errors so they are logged, not thrown as unhandled events', () => {
    const updater = new FakeUpdater();
    const h = harness(WIN_SIGNED);
    startUpdates(updater, auto(), h.deps);
    expect(() => updater.emit('error', new Error('sha512 checksum mismatch'))).not.toThrow();
    expect(h.lines.at(-1)).toContain('sha512 checksum mismatch');
  });

  it("routes electron-updater's own log lines to the app log", () => {
    const updater = new FakeUpdater();
    const h = harness(WIN_SIGNED);
    startUpdates(updater, auto(), h.deps);
    updater.logger?.info('Checking for update');
    expect(h.lines).toContain('info Checking for update {}');
  });
});

/**
 * electron-updater's own HTTP client (NsisUpdater calls its download()), sending with Node's https and
 * trusting the test certificate instead of through Electron's `net`, which cannot run here.
 */
class NodeExecutor extends ElectronHttpExecutor {
  constructor(private readonly ca: string) {
    super();
  }
  override createRequest(
    options: object,
    callback: (response: IncomingMessage) => void,
  ): ReturnType<ElectronHttpExecutor['createRequest']> {
    return httpsRequest({ ...options, ca: this.ca }, callback) as never;
  }
}

/** A local https update server for a describe block: `handle` answers each path (its query dropped). */
function localFeed(handle: (path: string, response: ServerResponse) => void) {
  const feed = { tls: selfSignedCertificate(), url: '' };
  let server: Server;
  beforeAll(async () => {
    server = createServer(feed.tls, (request, response) =>
      handle((request.url ?? '').replace(/\?.*$/, ''), response),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    feed.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/feed/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return feed;
}

/**
 * electron-updater's real AppImageUpdater and generic provider against a local https update server;
 * only its HTTP client stands in for the Electron one (NodeExecutor, above).
 */
describe('startUpdates() — a failing feed, with the real electron-updater', () => {
  const MARKER = 'CAPTIVE-PORTAL-BODY';
  /** A sign-in page where `latest-linux.yml` should be: not YAML, and large. */
  const PORTAL = `<html>\n<body>\n${`<p>${MARKER}: please sign in to the hotel network</p>\n`.repeat(5000)}</body></html>\n`;
  const feed = localFeed((path, response) => {
    if (path === '/feed/portal-linux.yml')
      return void response.writeHead(200, { 'content-type': 'text/html' }).end(PORTAL);
    if (path === '/feed/text-linux.yml') return void response.end(`${MARKER} `.repeat(50_000)); // a YAML string
    if (path === '/feed/down-linux.yml') return void response.writeHead(503).end(`${MARKER} maintenance`);
    response.writeHead(404).end(`${MARKER} not here`);
  });

  /** Runs `checks` checks of `channel` through the real updater; returns the log lines. */
  async function checkFeed(channel: string, checks = 1) {
    const app = {
      version: RUNNING,
      name: 'Tessera',
      isPackaged: true,
      appUpdateConfigPath: join(dir, 'app-update.yml'),
      userDataPath: dir,
      baseCachePath: dir,
      whenReady: async () => {},
      relaunch() {},
      quit() {},
      onQuit() {},
    };
    const updater = new AppImageUpdater(null, app);
    updater.forceDevUpdateConfig = true; // it checks only inside an AppImage otherwise
    Object.assign(updater, { httpExecutor: new NodeExecutor(feed.tls.cert) });
    const h = harness(LINUX_APPIMAGE, [release.publicKey]);
    const running = startUpdates(updater, { ...auto(), feed: { ...FEED, url: feed.url, channel } }, h.deps);
    for (let i = 0; i < checks; i += 1) await expect(running.check()).resolves.toBeUndefined();
    return h.lines;
  }

  it('logs a sign-in page served as the metadata once per check, briefly, without the page', async () => {
    const lines = await checkFeed('portal', 2);
    const failures = lines.filter((line) => / failed /.test(line));
    const once = `warn update check failed ${JSON.stringify({
      url: feed.url,
      problem: `Cannot parse update info from portal-linux.yml in the latest release artifacts (${feed.url}portal-linux.yml)`,
      code: 'ERR_UPDATER_INVALID_UPDATE_INFO',
    })}`;
    expect(failures).toEqual([once, once]); // two checks, one line each
    expect(lines.join('\n')).not.toContain(MARKER);
    expect(lines.join('\n')).not.toContain('noCache');
    expect(lines.join('\n').length).toBeLessThan(2000);
  });

  it('logs a plain-text answer and HTTP errors once each, with the status and without the answer', async () => {
    // Plain text is YAML (one string): it fails on its missing version, and that is all that is said.
    const text = (await checkFeed('text')).filter((line) => / failed /.test(line));
    expect(text).toEqual([expect.stringContaining('"code":"ERR_UPDATER_INVALID_VERSION"')]);
    expect(text.join('\n')).not.toContain(MARKER);
    for (const [channel, status, code] of [
      ['down', 503, 'HTTP_ERROR_503'],
      ['gone', 404, 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'],
    ] as const) {
      const lines = await checkFeed(channel);
      const failures = lines.filter((line) => / failed /.test(line));
      expect(failures).toHaveLength(1);
      expect(JSON.parse(failures[0]?.replace(/^warn update check failed /, '') ?? '')).toMatchObject({
        url: feed.url,
        status,
        code,
      });
      expect(lines.join('\n')).not.toContain(MARKER);
    }
  });
});

/**
 * electron-updater's real NsisUpdater (6.8.x) and generic provider against a local https update server,
 * as a signed Windows build with a key runs it. Stand-ins, for what cannot run here: the HTTP client
 * (NodeExecutor), the Authenticode publisher check (PowerShell's Get-AuthenticodeSignature), and the spawning of
 * the installer (which is recorded instead). The platform is set to win32 through its test-only options
 * (it reads `latest.yml`); differential downloads are off (they need a previous installer and blockmaps).
 */
describe('startUpdates() — a signed Windows build with a key, with the real NsisUpdater', () => {
  const SETUP = 'Tessera-Setup-2.0.0.exe';
  const INSTALLER = 'the 2.0.0 installer, code-signed';
  const sha512 = createHash('sha512').update(INSTALLER).digest('base64');
  const LATEST = `version: 2.0.0\nfiles:\n  - url: ${SETUP}\n    sha512: ${sha512}\n    size: ${INSTALLER.length}\npath: ${SETUP}\nsha512: ${sha512}\nreleaseDate: '2026-01-01T00:00:00.000Z'\n`;
  const feed = localFeed((path, response) => {
    if (path === '/feed/latest.yml') return void response.end(LATEST);
    if (path === `/feed/${SETUP}`) return void response.end(INSTALLER);
    response.writeHead(404).end();
  });

  /** A real NsisUpdater of a signed build (its app-update.yml names a publisher); `cache`: its cache folder. */
  function nsis(publisher: (file: string) => string | null, cache = dir, keys = [release.publicKey]) {
    writeFileSync(
      join(cache, 'app-update.yml'),
      'provider: generic\nurl: https://unused.example/\nupdaterCacheDirName: tessera-updater\npublisherName:\n  - CN=Tessera Corp\n',
    );
    const events: string[] = [];
    const spawned: Array<[string, string[]]> = [];
    const ownQuitHandlers: Array<(exitCode: number) => void> = [];
    const app = {
      version: RUNNING,
      name: 'Tessera',
      isPackaged: true,
      appUpdateConfigPath: join(cache, 'app-update.yml'),
      userDataPath: cache,
      baseCachePath: cache,
      whenReady: async () => {},
      relaunch() {},
      quit() {},
      onQuit: (handler: (exitCode: number) => void) => ownQuitHandlers.push(handler),
    };
    const updater = new NsisUpdater(null, app);
    Object.assign(updater, {
      httpExecutor: new NodeExecutor(feed.tls.cert),
      _testOnlyOptions: { platform: 'win32', isUseDifferentialDownload: false },
      spawnLog: async (command: string, args: string[]) => {
        spawned.push([command, args]);
        return true;
      },
    });
    updater.verifyUpdateCodeSignature = async (names: string[], file: string) => {
      events.push(`publisher ${names.join()} ${readFileSync(file, 'utf8')}`);
      return publisher(file);
    };
    const h = harness(WIN_SIGNED, keys);
    const running = startUpdates(updater, { ...auto(), feed: { ...FEED, url: feed.url } }, h.deps);
    updater.on('update-downloaded', (event: UpdateDownloadedLike) =>
      events.push(`downloaded ${event.downloadedFile}`),
    );
    return { updater, h, running, events, spawned, ownQuitHandlers };
  }
  const installerStatement = () => statement({ contents: INSTALLER, fields: { file: SETUP } });

  it('checks the publisher, then the .sig of the file it saved, and on a clean quit runs exactly that file', async () => {
    const { h, running, events, spawned, ownQuitHandlers } = nsis(() => null);
    h.serve(async () => installerStatement());
    await running.check();
    await running.settled();
    const saved = join(dir, 'tessera-updater', 'pending', SETUP);
    expect(events).toEqual([`publisher CN=Tessera Corp ${INSTALLER}`, `downloaded ${saved}`]);
    expect(h.fetched).toEqual([`${feed.url}${SETUP}.sig`]);
    expect(h.ready).toEqual(['2.0.0']);
    // electron-updater's own quit handler (autoInstallOnAppQuit) was never added: only this app's installs.
    expect(ownQuitHandlers).toEqual([]);
    h.quit(1);
    expect(spawned).toEqual([]);
    h.quit(0);
    expect(spawned).toEqual([[saved, ['--updated', '/S']]]);
    expect(readFileSync(saved, 'utf8')).toBe(INSTALLER);
  });

  it('without a key built in nothing changes: electron-updater checks the publisher and installs on quit itself', async () => {
    const { h, running, events, spawned, ownQuitHandlers } = nsis(() => null, dir, []);
    expect(running.install).toEqual({ action: 'install', verifiedBy: 'windows-publisher' });
    await running.check();
    await running.settled();
    const saved = join(dir, 'tessera-updater', 'pending', SETUP);
    expect(events).toEqual([`publisher CN=Tessera Corp ${INSTALLER}`, `downloaded ${saved}`]);
    expect(h.fetched).toEqual([]);
    expect(h.ready).toEqual(['2.0.0']);
    h.quit(0); // this app added no quit handler of its own
    expect(spawned).toEqual([]);
    expect(ownQuitHandlers).toHaveLength(1);
    for (const handler of ownQuitHandlers) handler(0);
    expect(spawned).toEqual([[saved, ['--updated', '/S']]]);
  });

  it('an installer of another publisher never reaches the statement check nor the quit', async () => {
    const { h, running, events, spawned } = nsis(() => 'signed by someone else');
    await running.check();
    await running.settled();
    expect(events).toEqual([`publisher CN=Tessera Corp ${INSTALLER}`]);
    expect(h.fetched).toEqual([]);
    expect(
      h.lines.some((line) => /warn update download failed .*ERR_UPDATER_INVALID_SIGNATURE/.test(line)),
    ).toBe(true);
    h.quit(0);
    expect(spawned).toEqual([]);
  });

  it('quitting while the statement is being checked runs nothing; the next start checks the kept file again', async () => {
    let release_: (bytes: Uint8Array) => void = () => {};
    const first = nsis(() => null);
    first.h.serve(() => new Promise((resolve) => (release_ = resolve)));
    await first.running.check();
    first.h.quit(0);
    release_(installerStatement());
    await first.running.settled();
    expect(first.spawned).toEqual([]);

    // The next start finds the download in its cache: electron-updater does not check its publisher again
    // (it did when it saved it), but this app checks its statement again before anything installs it.
    const second = nsis(() => 'not asked');
    second.h.serve(async () => installerStatement());
    await second.running.check();
    await second.running.settled();
    expect(second.events).toEqual([`downloaded ${join(dir, 'tessera-updater', 'pending', SETUP)}`]);
    expect(second.h.fetched).toEqual([`${feed.url}${SETUP}.sig`]);
    second.h.quit(0);
    expect(second.spawned).toHaveLength(1);
  });
});

describe('describeUpdaterError()', () => {
  it('keeps one short line, drops what follows the first ": " of an ERR_UPDATER_* message and URL queries', () => {
    const noFiles = Object.assign(new Error(`No files provided: ${JSON.stringify('x'.repeat(10_000))}`), {
      code: 'ERR_UPDATER_NO_FILES_PROVIDED',
    });
    expect(describeUpdaterError(noFiles)).toEqual({
      problem: 'No files provided',
      code: 'ERR_UPDATER_NO_FILES_PROVIDED',
    });
    const http = Object.assign(new Error('502 Bad Gateway\nHeaders: {"set-cookie": "x"}'), {
      code: 'HTTP_ERROR_502',
      statusCode: 502,
    });
    expect(describeUpdaterError(http)).toEqual({
      problem: '502 Bad Gateway',
      code: 'HTTP_ERROR_502',
      status: 502,
    });
    expect(
      describeUpdaterError(new Error(`get https://u.example/f/a.yml?noCache=1 ${'y'.repeat(500)}`)).problem,
    ).toMatch(/^get https:\/\/u\.example\/f\/a\.yml y+…$/);
    expect(describeUpdaterError('net::ERR_INTERNET_DISCONNECTED')).toEqual({
      problem: 'net::ERR_INTERNET_DISCONNECTED',
    });
  });
});
