import { describe, expect, it } from 'vitest';
import { offersClientCertificate } from './client-certificate';

const TRUSTED = [
  'https://api.corp.example/v1',
  'https://login.corp.example:8443/realms/x',
  'http://127.0.0.1:4000',
];

describe('offersClientCertificate()', () => {
  it.each([
    ['api.corp.example:443', true],
    ['API.corp.example:443', true],
    ['login.corp.example:8443', true],
    // Another port, host or a lookalike: no certificate.
    ['api.corp.example:8443', false],
    ['login.corp.example:443', false],
    ['api.corp.example.evil.test:443', false],
    ['evil.test:443', false],
    // A plain-http API has no TLS to present a certificate on; garbage is nobody.
    ['127.0.0.1:4000', false],
    ['', false],
    ['not a host', false],
  ])('%s: %s', (hostAndPort, offered) => {
    expect(offersClientCertificate(hostAndPort, TRUSTED)).toBe(offered);
  });

  it('matches an IPv6 API by its bracketed address and port', () => {
    expect(offersClientCertificate('[::1]:9443', ['https://[::1]:9443/'])).toBe(true);
    expect(offersClientCertificate('[::1]:443', ['https://[::1]:9443/'])).toBe(false);
  });

  it('offers nothing when no server is trusted (or a trusted URL is not one)', () => {
    expect(offersClientCertificate('api.corp.example:443', [])).toBe(false);
    expect(offersClientCertificate('api.corp.example:443', ['', 'garbage'])).toBe(false);
  });
});
