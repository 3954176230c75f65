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
    expect(tracker.current()).toContain('connect-src https://api.other.example');
    expect(tracker.update()).toBe(false);
  });
});
