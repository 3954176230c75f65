// A throw-away certificate authority made with the openssl CLI: a CA, a server certificate for
// 127.0.0.1 it signed, and one it signed for another address (a name mismatch).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** PEM of the CA certificate: what a client must trust. */
  ca: string;
  /** Certificate and key for IP 127.0.0.1, signed by the CA. */
  leaf: { cert: string; key: string };
  /** Certificate and key for IP 127.0.0.2 only, signed by the CA. */
  otherName: { cert: string; key: string };
}

/** Creates the CA and both server certificates (P-256 keys: fast to generate). */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-ca-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    openssl(
      'req',
      '-x509',
      ...ecKey,
      '-days',
      '2',
      '-subj',
      '/CN=Tessera Fault Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
    );
    const issue = (name: string, ip: string) => {
      writeFileSync(
        file(`${name}.ext`),
        `subjectAltName=IP:${ip}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
      );
      openssl(
        'req',
        ...ecKey,
        '-subj',
        `/CN=${ip}`,
        '-keyout',
        file(`${name}.key`),
        '-out',
        file(`${name}.csr`),
      );
      openssl(
        'x509',
        '-req',
        '-in',
        file(`${name}.csr`),
        '-CA',
        file('ca.pem'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        file(`${name}.ext`),
        '-out',
        file(`${name}.pem`),
      );
      return {
        cert: readFileSync(file(`${name}.pem`), 'utf8'),
        key: readFileSync(file(`${name}.key`), 'utf8'),
      };
    };
    return {
      ca: readFileSync(file('ca.pem'), 'utf8'),
      leaf: issue('leaf', '127.0.0.1'),
      otherName: issue('other', '127.0.0.2'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
