import { describe, expect, it } from 'vitest';
import { appPages, httpOrigin, isAppUrl } from './app-origin';

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

describe('isAppUrl() with an explicit origin (the dev server)', () => {
  const DEV = 'http://localhost:5173';

  it('accepts any page of that origin, and no longer the default one', () => {
    expect(isAppUrl('http://localhost:5173/src/index.html', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5173', DEV)).toBe(true);
    expect(isAppUrl('app://tessera/index.html', DEV)).toBe(false);
  });

  it('rejects lookalikes of that origin: user info, another port, host or scheme', () => {
    for (const url of [
      'http://u:p@localhost:5173/',
      'http://u@localhost:5173/',
      'http://localhost:5174/',
      'http://localhost/',
      'http://localhost:5173.evil.example/',
      'http://evil.example/localhost:5173',
      'https://localhost:5173/',
      'ws://localhost:5173/',
      'blob:http://localhost:5173/1',
      'not a url',
      '',
    ])
      expect(isAppUrl(url, DEV), url).toBe(false);
  });

  it('accepts nothing when the origin has no host', () => {
    expect(isAppUrl('app://tessera/', 'app:')).toBe(false);
  });
});

describe('appPages()', () => {
  const window = (url: string) => ({ url, webContents: { getURL: () => url } });

  it('keeps the windows on the app’s page and leaves the proxy prompt (a data: page) and others out', () => {
    const app = window('app://tessera/index.html#/settings');
    const second = window('app://tessera/index.html');
    const prompt = window('data:text/html;charset=utf-8,%3Cform%3E');
    const blank = window('');
    const lookalike = window('app://tessera.evil/index.html');
    expect(appPages([app, prompt, blank, second, lookalike]).map((w) => w.url)).toEqual([
      app.url,
      second.url,
    ]);
  });

  it('uses the origin it is given (the dev server)', () => {
    const dev = window('http://localhost:5173/');
    expect(appPages([dev], 'http://localhost:5173')).toEqual([dev]);
    expect(appPages([dev])).toEqual([]);
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
