import { describe, expect, it } from 'vitest';
import { buildCsp, createCspTracker } from './csp';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('buildCsp()', () => {
  it('allows connections to exactly the configured API origin', () => {
    const csp = directives(buildCsp('https://api.example.com/v1/'));
    expect(csp.get('connect-src')).toBe('https://api.example.com');
  });

  it('keeps scripts and styles same-origin with no inline or eval escape hatches', () => {
    const csp = buildCsp('http://127.0.0.1:4000');
    expect(directives(csp).get('script-src')).toBe("'self'");
    expect(directives(csp).get('style-src')).toBe("'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('denies everything not listed, framing, forms and plugins', () => {
    const csp = directives(buildCsp('https://api.example.com'));
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
  });

  it.each([
    ['http://[::1]:4000/v1', 'http://*:4000'],
    ['http://[::1]', 'http://*:80'],
    ['https://[fd00::12]/api', 'https://*:443'],
    ['https://[fd00::12]:8443', 'https://*:8443'],
  ])('writes the IPv6 API %s, which no CSP source can name, as scheme and port: %s', (api, source) => {
    expect(directives(buildCsp(api)).get('connect-src')).toBe(source);
  });

  it.each([
    ['http://127.0.0.1:4000/v1', 'http://127.0.0.1:4000'],
    ['http://localhost:4000', 'http://localhost:4000'],
    ['https://api.example.com:443/', 'https://api.example.com'],
    ['https://10.1.2.3:8443', 'https://10.1.2.3:8443'],
  ])('keeps every other API (%s) to its exact origin', (api, source) => {
    expect(directives(buildCsp(api)).get('connect-src')).toBe(source);
  });

  it('allows no network at all when the API URL is not a valid http(s) URL', () => {
    expect(directives(buildCsp('javascript:alert(1)')).get('connect-src')).toBe("'none'");
    expect(directives(buildCsp('')).get('connect-src')).toBe("'none'");
  });
});

describe('createCspTracker()', () => {
  it('asks for a reload only when the API origin changes', () => {
    let url = 'https://api.example.com/v1';
    const tracker = createCspTracker(() => url);
    url = 'https://api.example.com/v2';
    expect(tracker.update()).toBe(false);
    url = 'https://api.other.example';
    expect(tracker.update()).toBe(true);
    expect(tracker.forDocument()).toContain('connect-src https://api.other.example');
    expect(tracker.update()).toBe(false);
  });

  it('reloads when an origin is added, not when one is only dropped; the next document gets the narrower policy', () => {
    const a = 'https://a.example';
    const b = 'https://b.example:8443';
    let urls = [a];
    const tracker = createCspTracker(() => urls);
    expect(tracker.forDocument()).toContain(`connect-src ${a};`);
    urls = [a, b];
    expect(tracker.update()).toBe(true);
    expect(tracker.forDocument()).toContain(`connect-src ${a} ${b};`);
    // Signing out of the last account on b: no reload (the next document gets the narrower policy).
    urls = [a];
    expect(tracker.update()).toBe(false);
    // Back to b before any document loaded again: every loaded page still allows b.
    urls = [a, b];
    expect(tracker.update()).toBe(false);
    // Dropped, then a page loads (a reload of its own): it holds only a, so b coming back reloads.
    urls = [a];
    expect(tracker.update()).toBe(false);
    expect(tracker.forDocument()).toContain(`connect-src ${a};`);
    urls = [a, b];
    expect(tracker.update()).toBe(true);
    // Moving to b alone: the loaded pages already allow b (no reload); once a page loads with b only,
    // moving back to a adds a: reload.
    urls = [b];
    expect(tracker.update()).toBe(false);
    tracker.forDocument();
    urls = [a];
    expect(tracker.update()).toBe(true);
    expect(tracker.forDocument()).not.toContain(b);
  });

  it('does not reload for a change to no API at all (connect-src none)', () => {
    let url = 'https://a.example';
    const tracker = createCspTracker(() => url);
    url = 'not a url';
    expect(tracker.update()).toBe(false);
    expect(tracker.forDocument()).toContain("connect-src 'none'");
    url = 'https://a.example';
    expect(tracker.update()).toBe(true);
  });
});
