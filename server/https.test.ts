import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { type ConnectionOptions, connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { call, fileTempDir, startTestServer, useTestServers } from './test-support';

useTestServers();

const dir = fileTempDir('tessera-tls-');

/**
 * A self-signed certificate for 127.0.0.1: EC by default (EC keys generate much faster than RSA);
 * RSA where a suite needs an RSA key (static-RSA CBC suites would otherwise fail for the wrong reason).
 */
function selfSignedCert(type: 'ec' | 'rsa' = 'ec'): { cert: string; key: string } {
  const certFile = join(dir, `${type}-cert.pem`);
  const keyFile = join(dir, `${type}-key.pem`);
  const keyArgs =
    type === 'ec'
      ? ['ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']
      : ['rsa', '-pkeyopt', 'rsa_keygen_bits:2048'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      ...keyArgs,
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

function get(
  url: string,
  ca?: string,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS', () => {
  it('serves /health over TLS with the given certificate', async () => {
    const tls = selfSignedCert();
    const server = await startTestServer({ tls });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const answer = await get(`${server.url}/health`, tls.cert);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
    // Without the CA the self-signed certificate is refused: the connection really is TLS.
    await expect(get(`${server.url}/health`)).rejects.toThrow(/self-signed|self signed/);
  });

  it('sends Strict-Transport-Security on every answer over TLS, and not over plain HTTP', async () => {
    const tls = selfSignedCert();
    const server = await startTestServer({ tls });
    for (const path of ['/health', '/api/user/me', '/no-such-route']) {
      const answer = await get(`${server.url}${path}`, tls.cert);
      expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
    const plain = await startTestServer();
    expect((await call(plain, '/health')).headers.get('strict-transport-security')).toBeNull();
  });
});

/** Handshakes with the server; resolves with the negotiated protocol and suite, or the error message. */
function handshake(port: number, ca: string, options: ConnectionOptions) {
  return new Promise<{ ok: true; protocol: string | null; cipher: string } | { ok: false; error: string }>(
    (resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ca, ...options }, () => {
        resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name });
        socket.end();
      });
      socket.on('error', (err) => resolve({ ok: false, error: err.message }));
    },
  );
}

describe('TLS settings', () => {
  const rsa = selfSignedCert('rsa');

  it.each([
    ['static-RSA CBC (AES128-SHA)', 'AES128-SHA'],
    ['forward-secret but CBC (ECDHE-RSA-AES128-SHA)', 'ECDHE-RSA-AES128-SHA'],
    ['non-ECDHE GCM (AES128-GCM-SHA256)', 'AES128-GCM-SHA256'],
  ])('refuses a TLS 1.2 client offering only %s', async (_what, ciphers) => {
    const server = await startTestServer({ tls: rsa });
    const result = await handshake(server.port, rsa.cert, { ciphers, maxVersion: 'TLSv1.2' });
    expect(result.ok).toBe(false);
  });

  it('refuses TLS 1.1', async () => {
    const server = await startTestServer({ tls: rsa });
    const result = await handshake(server.port, rsa.cert, {
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(result.ok).toBe(false);
  });

  it('accepts ECDHE with AES-GCM over TLS 1.2, and TLS 1.3', async () => {
    const server = await startTestServer({ tls: rsa });
    expect(
      await handshake(server.port, rsa.cert, {
        ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
        maxVersion: 'TLSv1.2',
      }),
    ).toEqual({ ok: true, protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(await handshake(server.port, rsa.cert, {})).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
  });
});
