import { EventEmitter, once } from 'node:events';
import {
  type ClientRequest,
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { CancellationToken, HttpExecutor } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../test/support/fixtures';
import { checkFeedUrl, checkUpdateFiles, guardUpdateRequests, requestUrl } from './feed-guard';

const FEED = 'https://updates.corp.example/tessera/';

describe('checkFeedUrl()', () => {
  it('allows https URLs inside the configured folder on the configured host and port', () => {
    for (const ok of [
      'https://updates.corp.example/tessera/latest.yml',
      'https://UPDATES.corp.example:443/tessera/Tessera-2.0.0-x86_64.AppImage?noCache=1x',
      'https://updates.corp.example/tessera/2.0.0/Tessera-Setup-2.0.0.exe.blockmap',
    ]) {
      expect(checkFeedUrl(ok, FEED)).toBeNull();
    }
  });

  it.each([
    ['http (same host and path)', 'http://updates.corp.example/tessera/latest.yml', /not https/],
    ['another host', 'https://cdn.evil.example/tessera/latest.yml', /not on the configured update server/],
    ['a sub-domain', 'https://x.updates.corp.example/tessera/a.exe', /not on the configured update server/],
    [
      'another port',
      'https://updates.corp.example:8443/tessera/a.exe',
      /not on the configured update server/,
    ],
    ['another folder', 'https://updates.corp.example/other/a.exe', /outside the configured update folder/],
    ['a folder with the same prefix', 'https://updates.corp.example/tessera-evil/a.exe', /outside/],
    ['dot segments out of the folder', 'https://updates.corp.example/tessera/../evil/a.exe', /outside/],
    ['encoded dot segments', 'https://updates.corp.example/tessera/%2e%2e/evil/a.exe', /outside/],
    // A server that decodes %2F before it resolves `..` serves /other/a.exe for these.
    [
      'an encoded slash after a dot segment',
      'https://updates.corp.example/tessera/..%2Fother/a.exe',
      /encoded slash/,
    ],
    ['a lower-case encoded slash', 'https://updates.corp.example/tessera/..%2fother/a.exe', /encoded slash/],
    [
      'an encoded backslash',
      'https://updates.corp.example/tessera/..%5Cother/a.exe',
      /encoded slash or backslash/,
    ],
    ['credentials', 'https://user:pw@updates.corp.example/tessera/a.exe', /credentials/],
    ['a user name alone', 'https://user@updates.corp.example/tessera/a.exe', /credentials/],
    ['a password alone', 'https://:pw@updates.corp.example/tessera/a.exe', /credentials/],
    ['file:', 'file:///tmp/tessera/a.exe', /not https/],
    ['a relative URL', '/tessera/a.exe', /not an absolute URL/],
  ])('refuses %s', (_name, url, problem) => {
    expect(checkFeedUrl(url, FEED)).toMatch(problem);
  });
});

describe('checkUpdateFiles()', () => {
  it('accepts metadata whose files resolve inside the feed folder', () => {
    const info = {
      files: [
        { url: 'Tessera-2.0.0-x86_64.AppImage' },
        { url: 'https://updates.corp.example/tessera/b.deb' },
      ],
      path: 'Tessera-2.0.0-x86_64.AppImage',
    };
    expect(checkUpdateFiles(info, FEED)).toEqual([]);
  });

  it('names a file listed with an encoded slash that leaves the folder once decoded', () => {
    expect(
      checkUpdateFiles({ files: [{ url: '..%2Fother%2FTessera-9.0.0-x86_64.AppImage' }] }, FEED),
    ).toEqual(['..%2Fother%2FTessera-9.0.0-x86_64.AppImage has an encoded slash or backslash in its path']);
  });

  it('names every file that points to another host, to http or out of the folder', () => {
    const info = {
      files: [
        { url: 'Tessera-2.0.0-x86_64.AppImage' },
        { url: 'https://cdn.evil.example/Tessera-2.0.0-x86_64.AppImage' },
        { url: 'http://updates.corp.example/tessera/x.AppImage' },
        { url: '../x.AppImage' },
        { url: '//cdn.evil.example/tessera/x.AppImage' },
      ],
      packages: { x64: { path: 'https://cdn.evil.example/tessera-2.0.0-x64.nsis.7z' } },
    };
    const problems = checkUpdateFiles(info, FEED);
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/cdn\.evil\.example\/Tessera.*not on the configured update server/);
    expect(problems.join('\n')).toMatch(/http:\/\/updates.*not https/);
    expect(problems.join('\n')).toMatch(/\.\.\/x\.AppImage is outside/);
    expect(problems.join('\n')).toMatch(/nsis\.7z is on cdn\.evil\.example/);
  });

  it('refuses metadata without files', () => {
    expect(checkUpdateFiles({ files: [] }, FEED)).toEqual(['the update metadata lists no files']);
  });
});

describe('requestUrl()', () => {
  it('rebuilds the URL from the options electron-updater builds', () => {
    expect(requestUrl({ protocol: 'https:', hostname: 'h.example', path: '/a/b.yml?x=1' })).toBe(
      'https://h.example/a/b.yml?x=1',
    );
    expect(requestUrl({ protocol: 'http:', hostname: '127.0.0.1', port: 8080, path: '/x' })).toBe(
      'http://127.0.0.1:8080/x',
    );
    expect(requestUrl({ path: '/x' })).toBeNull();
  });
});

/**
 * Stands in for electron-updater's ElectronHttpExecutor, which sends through Electron's `net` (not
 * available here): the same builder-util-runtime HttpExecutor (its redirect following, downloads and
 * errors), sending with Node's http/https and trusting the test server's self-signed certificate.
 */
class NodeExecutor extends HttpExecutor<ClientRequest> {
  constructor(private readonly ca: string) {
    super();
  }
  createRequest(options: object, callback: (response: IncomingMessage) => void): ClientRequest {
    const send = (options as { protocol?: string }).protocol === 'http:' ? httpRequest : httpsRequest;
    return send({ ...options, ca: this.ca }, callback);
  }
}

const YML = [
  'version: 2.0.0',
  'files:',
  '  - url: Tessera-2.0.0-x86_64.AppImage',
  '    sha512: c2hhNTEy',
  '    size: 16',
  'path: Tessera-2.0.0-x86_64.AppImage',
  'sha512: c2hhNTEy',
  "releaseDate: '2026-01-01T00:00:00.000Z'",
  '',
].join('\n');

describe('guardUpdateRequests() with a local https update server', () => {
  const tls = selfSignedCertificate();
  let feedServer: Server;
  let elsewhere: Server;
  let feed = '';
  let feedOrigin = '';
  let elsewherePort = 0;
  const elsewhereHits: string[] = [];
  const feedHits: string[] = [];

  beforeAll(async () => {
    elsewhere = createHttpServer((request, response) => {
      elsewhereHits.push(request.url ?? '');
      response.end(YML);
    });
    elsewhere.listen(0, '127.0.0.1');
    await once(elsewhere, 'listening');
    elsewherePort = (elsewhere.address() as AddressInfo).port;

    feedServer = createHttpsServer(tls, (request, response) => {
      const path = (request.url ?? '').replace(/\?.*$/, '');
      feedHits.push(path);
      const redirect = (location: string) => response.writeHead(302, { location }).end();
      // Channel files: `<channel>-linux[-arch].yml` (electron-updater adds the platform suffix).
      const channel = /^\/feed\/(\w+)-linux(-\w+)?\.yml$/.exec(path)?.[1];
      if (channel === 'latest') return void response.end(YML);
      if (channel === 'moved') return void redirect('/feed/latest-linux.yml');
      if (channel === 'away') return void redirect(`http://localhost:${elsewherePort}/feed/latest-linux.yml`);
      if (channel === 'plain')
        return void redirect(`http://127.0.0.1:${elsewherePort}/feed/latest-linux.yml`);
      if (channel === 'outside') return void redirect('/elsewhere/latest-linux.yml');
      if (channel === 'elsewhere') {
        return void response.end(
          YML.replace(/(url|path): Tessera/g, `$1: http://localhost:${elsewherePort}/Tessera`),
        );
      }
      if (path === '/feed/Tessera-2.0.0-x86_64.AppImage') return void response.end('AppImage payload');
      if (path === '/feed/jump.AppImage')
        return void redirect(`http://localhost:${elsewherePort}/evil.AppImage`);
      response.writeHead(404).end();
    });
    feedServer.listen(0, '127.0.0.1');
    await once(feedServer, 'listening');
    feedOrigin = `https://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    feed = `${feedOrigin}/feed/`;
  });

  afterAll(async () => {
    await Promise.all(
      [feedServer, elsewhere].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  });

  function guarded() {
    const executor = new NodeExecutor(tls.cert);
    const refused: string[] = [];
    expect(guardUpdateRequests(executor, feed, (url, problem) => refused.push(`${url} ${problem}`))).toBe(
      true,
    );
    return { executor, refused };
  }

  /** electron-updater's real generic provider reading `<channel>-linux.yml` from the feed. */
  function provider(executor: NodeExecutor, channel: string) {
    const updater = { channel: null, isAddNoCacheQuery: true };
    // The provider only reads `channel` and `isAddNoCacheQuery` of the updater, and sends through
    // `executor` (typed as the Electron one it stands in for).
    const runtime = {
      executor: executor as never,
      platform: 'linux' as const,
      isUseMultipleRangeRequest: false,
    };
    return new GenericProvider({ provider: 'generic', url: feed, channel }, updater as never, runtime);
  }

  it('reads the metadata from the feed, also through a redirect inside the feed folder', async () => {
    const { executor, refused } = guarded();
    await expect(provider(executor, 'latest').getLatestVersion()).resolves.toMatchObject({
      version: '2.0.0',
    });
    const moved = await provider(executor, 'moved').getLatestVersion();
    expect(moved.version).toBe('2.0.0');
    expect(checkUpdateFiles(moved, feed)).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('refuses a redirect to another host over http, and never contacts that host', async () => {
    const { executor, refused } = guarded();
    await expect(provider(executor, 'away').getLatestVersion()).rejects.toThrow(/update request refused/);
    await expect(provider(executor, 'plain').getLatestVersion()).rejects.toThrow(/update request refused/);
    expect(refused).toEqual([
      expect.stringMatching(/^http:\/\/localhost:\d+\/feed\/latest-linux\.yml uses http, not https$/),
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/feed\/latest-linux\.yml uses http, not https$/),
    ]);
    expect(elsewhereHits).toEqual([]);
  });

  it('refuses a redirect out of the feed folder on the same server', async () => {
    const { executor, refused } = guarded();
    await expect(provider(executor, 'outside').getLatestVersion()).rejects.toThrow(/outside/);
    expect(refused).toEqual([expect.stringContaining('/elsewhere/latest-linux.yml is outside')]);
    expect(feedHits).not.toContain('/elsewhere/latest-linux.yml');
  });

  it('flags metadata that points the download to another host', async () => {
    const { executor } = guarded();
    const info = await provider(executor, 'elsewhere').getLatestVersion();
    expect(checkUpdateFiles(info, feed)).toEqual([
      expect.stringMatching(/localhost:\d+\/Tessera-2\.0\.0-x86_64\.AppImage uses http, not https$/),
      expect.stringMatching(/localhost:\d+\/Tessera-2\.0\.0-x86_64\.AppImage uses http, not https$/),
    ]);
  });

  it('downloads files from the feed and refuses a download redirected off it', async () => {
    const { executor, refused } = guarded();
    const token = () => ({ cancellationToken: new CancellationToken(), headers: null });
    const file = await executor.downloadToBuffer(new URL(`${feed}Tessera-2.0.0-x86_64.AppImage`), token());
    expect(file.toString()).toBe('AppImage payload');
    await expect(executor.downloadToBuffer(new URL(`${feed}jump.AppImage`), token())).rejects.toThrow(
      /update request refused: http:\/\/localhost:\d+\/evil\.AppImage uses http/,
    );
    await expect(
      executor.downloadToBuffer(new URL(`http://localhost:${elsewherePort}/direct.AppImage`), token()),
    ).rejects.toThrow(/update request refused/);
    expect(refused).toHaveLength(2);
    expect(elsewhereHits).toEqual([]);
  });
});

/**
 * Stands in for Electron's net ClientRequest (Electron cannot run here): an emitter with `abort()`, on
 * which the guard's listener must run before the caller's (the differential downloader calls
 * `followRedirect()` from its own listener).
 */
class FakeClientRequest extends EventEmitter {
  aborted = false;
  followed = false;
  abort(): void {
    this.aborted = true;
  }
  followRedirect(): void {
    if (!this.aborted) this.followed = true;
  }
}

describe("guardUpdateRequests() with Electron's redirect event", () => {
  function setup() {
    const made: Array<{ options: Record<string, unknown>; request: FakeClientRequest }> = [];
    const executor = {
      createRequest(options: Record<string, unknown>, _callback: (response: unknown) => void): unknown {
        const request = new FakeClientRequest();
        made.push({ options, request });
        return request;
      },
    };
    const refused: string[] = [];
    guardUpdateRequests(executor, FEED, (url) => refused.push(url));
    const open = (options: Record<string, unknown>) => {
      const request = executor.createRequest(options, () => {}) as FakeClientRequest;
      const errors: Error[] = [];
      request.on('error', (error: Error) => errors.push(error));
      // What the differential downloader does: follow every redirect.
      request.on('redirect', () => request.followRedirect());
      return { request, errors };
    };
    return { made, refused, open };
  }
  const fileOptions = { protocol: 'https:', hostname: 'updates.corp.example', path: '/tessera/a.AppImage' };

  it('makes Electron wait for followRedirect() on requests without a redirect policy', () => {
    const { made, open } = setup();
    open({ ...fileOptions });
    open({ ...fileOptions, redirect: 'manual' });
    expect(made.map(({ options }) => options.redirect)).toEqual(['manual', 'manual']);
  });

  it('aborts a redirect off the feed before the caller can follow it, and fails the request', () => {
    const { open, refused } = setup();
    const { request, errors } = open({ ...fileOptions });
    request.emit('redirect', 302, 'GET', 'https://cdn.evil.example/a.AppImage', {});
    expect(request.aborted).toBe(true);
    expect(request.followed).toBe(false);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(
        /^update request refused: redirect to https:\/\/cdn\.evil\.example\/a\.AppImage is on/,
      ),
    ]);
    expect(refused).toEqual(['https://cdn.evil.example/a.AppImage']);
  });

  it('lets a redirect inside the feed folder (relative too) be followed', () => {
    const { open, refused } = setup();
    const { request, errors } = open({ ...fileOptions });
    request.emit('redirect', 302, 'GET', '/tessera/2.0.0/a.AppImage', {});
    expect(request).toMatchObject({ aborted: false, followed: true });
    expect(errors).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('never creates a request to a URL off the feed, or one with a Host header', async () => {
    const { made, open, refused } = setup();
    const offFeed = open({
      protocol: 'http:',
      hostname: 'updates.corp.example',
      path: '/tessera/a.AppImage',
    });
    const hostHeader = open({ ...fileOptions, headers: { Host: 'cdn.evil.example' } });
    (offFeed.request as unknown as { end(): void }).end();
    (hostHeader.request as unknown as { end(): void }).end();
    await new Promise((resolve) => process.nextTick(resolve));
    expect(made).toEqual([]);
    expect(offFeed.errors[0]?.message).toMatch(/uses http, not https/);
    expect(hostHeader.errors[0]?.message).toMatch(/sets a Host header/);
    expect(refused).toHaveLength(2);
  });

  it('reports that it cannot guard something that is not an HTTP client', () => {
    expect(guardUpdateRequests(undefined, FEED, () => {})).toBe(false);
    expect(guardUpdateRequests({}, FEED, () => {})).toBe(false);
  });
});
