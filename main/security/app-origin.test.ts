import { describe, expect, it } from 'vitest';
import { httpOrigin, isAppUrl } from './app-origin';

describe('isAppUrl()', () => {
  it('accepts pages on app://tessera', () => {
    expect(isAppUrl('app://tessera/index.html')).toBe(true);
    expect(isAppUrl('app://tessera/')).toBe(true);
  });

  it.each([
    'app://tessera.evil/index.html',
    'app://tessera@evil/index.html',
    'app://user:pw@tessera/index.html',
    'app://other/index.html',
    'https://tessera/index.html',
    'file:///index.html',
    'not a url',
    '',
  ])('rejects %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isAppUrl() with an explicit origin', () => {
  it('accepts any page of the app origin', () => {
    expect(isAppUrl('app://tessera/index.html')).toBe(true);
    expect(isAppUrl('app://tessera/')).toBe(true);
    expect(isAppUrl('app://tessera')).toBe(true);
  });

  it('rejects lookalike origins', () => {
    for (const url of [
      'app://tessera.evil/',
      'app://tessera@evil/',
      'app://evil/tessera',
      'app://tessera:8080/',
      'app://tessera./',
      'app:tessera',
      'https://tessera/',
      'blob:app://tessera/1',
      'file:///tessera/index.html',
      'not a url',
      '',
    ])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('matches a dev-server origin exactly, port included', () => {
    expect(isAppUrl('http://localhost:5173/src/index.html', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
  });
});

describe('httpOrigin()', () => {
  it('returns the origin of http and https URLs only', () => {
    expect(httpOrigin('https://api.example.com/v1/')).toBe('https://api.example.com');
    expect(httpOrigin('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(httpOrigin('app://tessera/')).toBeNull();
    expect(httpOrigin('nonsense')).toBeNull();
  });
});
