// A corporate API whose certificate a private CA issued, reached through Chromium's network stack (what
// the app's net.fetch is), with the CA trusted the way docs/it-guide.md tells Linux administrators: in
// the user's NSS database ~/.pki/nssdb, made with certutil. tls.test.ts covers the same failure with
// Node's fetch; this one proves the guide's Linux commands against Debian's Chromium.
//
// Why a vitest with Playwright's Chromium launcher and not the e2e browser host: the browser host runs
// main's core with Node's fetch and sends the page's API calls through Playwright's route.fetch (Node
// too), so neither would touch Chromium's certificate verifier. Here Chromium is launched with a HOME
// this test owns, and the app's core, built by its composition root (bench/app-path.ts), gets a network
// port that runs every request in that Chromium (test/support/chromium-fetch.ts), as net.fetch runs
// requests in Electron's Chromium. Electron itself cannot be launched here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPath, createAppPath } from '../../bench/app-path';
import type { RunningServer } from '../../server';
import { CHROMIUM_LAUNCH } from '../support/chromium';
import { chromiumFetch } from '../support/chromium-fetch';
import { DEMO, TEST_SERVICE } from '../support/fixtures';
import { startQuietServer } from '../support/test-server';
import { createTestCa, type TestCa } from './support/test-ca';

const CA_NICKNAME = 'Corp Root CA';

let ca: TestCa;
let https: RunningServer;
let work = '';
const browsers: Browser[] = [];
const apps: AppPath[] = [];

beforeAll(async () => {
  ca = createTestCa();
  https = await startQuietServer({ tls: ca.leaf });
  work = mkdtempSync(join(tmpdir(), 'tessera-nss-'));
  writeFileSync(join(work, 'corp-root.pem'), ca.ca);
});

afterAll(async () => {
  for (const app of apps) app.dispose();
  for (const browser of browsers) await browser.close();
  await https?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A home folder whose NSS database holds the CA (or not), made with the guide's commands. */
function homeWithNssDb(name: string, trustCa: boolean): string {
  const home = join(work, name);
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  const db = `sql:${home}/.pki/nssdb`;
  try {
    execFileSync('certutil', ['-d', db, '-N', '--empty-password']);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      'certutil is not installed: apt-get install libnss3-tools (docs/development.md, "Tests")',
    );
  }
  if (trustCa) {
    execFileSync('certutil', [
      '-d',
      db,
      '-A',
      '-t',
      'C,,',
      '-n',
      CA_NICKNAME,
      '-i',
      join(work, 'corp-root.pem'),
    ]);
  }
  const listing = execFileSync('certutil', ['-d', db, '-L'], { encoding: 'utf8' });
  expect(listing.includes(CA_NICKNAME)).toBe(trustCa);
  return home;
}

/** The app's core with Chromium (launched with `home` as HOME) as its network stack. */
async function appThroughChromium(home: string): Promise<AppPath> {
  const browser = await chromium.launch({
    ...CHROMIUM_LAUNCH,
    env: { ...process.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
  });
  browsers.push(browser);
  const page = await browser.newPage();
  const app = createAppPath({
    apiBaseUrl: https.url,
    fetch: chromiumFetch(page),
    keychainService: TEST_SERVICE,
  });
  apps.push(app);
  await app.start();
  return app;
}

describe('an API certified by a private CA, through Chromium', () => {
  it('signs in when the CA is in the user’s NSS database', async () => {
    expect(https.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const app = await appThroughChromium(homeWithNssDb('trusted', true));
    https.clearRequests();
    const view = await app.openWindow().bridge.auth.signIn({ ...DEMO });
    expect(view).toMatchObject({ state: 'active', user: { username: DEMO.username } });
    expect(https.requests('/login')).toHaveLength(1);
    await app.session.signOut();
  });

  it('fails with a clear certificate error, before anything is sent, when the CA is not there', async () => {
    const app = await appThroughChromium(homeWithNssDb('untrusted', false));
    https.clearRequests();
    const failure = await app
      .openWindow()
      .bridge.auth.signIn({ ...DEMO })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({
      code: 'TLS',
      message: expect.stringMatching(/certificate was not accepted \(net::ERR_CERT_AUTHORITY_INVALID\)/),
    });
    expect(https.requests()).toEqual([]);
    expect(app.session.getView()).toMatchObject({ state: 'signedOut' });
  });
});
