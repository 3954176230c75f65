// Shared fixtures of the main/core specs (STYLE.md #9: fixtures in one place).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionView } from '../../common/session';
import type { Settings } from '../../common/settings';
import type { Session } from '../../main/core/contracts';
import { defaultSettings } from './default-settings';

/** The keychain service the tests write to (set by scripts/with-keyring.mjs). */
export const TEST_SERVICE = process.env.TESSERA_TEST_KEYCHAIN_SERVICE ?? 'Tessera-test';

/** The development users the reference server seeds. */
export const DEMO = { username: 'demo', password: 'demo-password' } as const;
export const ADMIN = { username: 'admin', password: 'admin-password' } as const;

/** Settings pointing at `apiBaseUrl` with the reference server's paths (other keys: the defaults). */
export function testSettings(apiBaseUrl: string, overrides: Partial<Settings> = {}): Settings {
  return {
    ...defaultSettings(),
    apiBaseUrl,
    loginPath: '/login',
    refreshPath: '/token/refresh',
    logoutPath: '/logout',
    mePath: '/api/user/me',
    requestTimeoutMs: 5_000,
    staySignedIn: true,
    ...overrides,
  };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned, structurally valid JWT with the given payload (for parsing tests; no server accepts it). */
export function fakeJwt(payload: Record<string, unknown> = { sub: 'u1' }): string {
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}.c2lnbmF0dXJl`;
}

/** Resolves with the first view (current or emitted later) that satisfies `predicate`. */
export function waitForView(
  core: Session,
  predicate: (view: SessionView) => boolean,
  timeoutMs = 15_000,
): Promise<SessionView> {
  return new Promise((resolve, reject) => {
    const current = core.getView();
    if (predicate(current)) {
      resolve(current);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching session view within ${timeoutMs} ms: ${JSON.stringify(core.getView())}`));
    }, timeoutMs);
    const unsubscribe = core.onChange((view) => {
      if (!predicate(view)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(view);
    });
  });
}

/** A self-signed certificate for 127.0.0.1, made with openssl (for the TLS failure tests). */
export function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ]),
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
