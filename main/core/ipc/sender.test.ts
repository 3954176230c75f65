import { describe, expect, it } from 'vitest';
import { type InvokeEventLike, isAppOrigin, isTrustedSender } from './sender';

describe('isAppOrigin()', () => {
  it('accepts any page of the app origin', () => {
    expect(isAppOrigin('app://tessera/index.html')).toBe(true);
    expect(isAppOrigin('app://tessera/')).toBe(true);
    expect(isAppOrigin('app://tessera')).toBe(true);
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
      expect(isAppOrigin(url), url).toBe(false);
  });

  it('matches a dev-server origin exactly, port included', () => {
    expect(isAppOrigin('http://localhost:5173/src/index.html', 'http://localhost:5173')).toBe(true);
    expect(isAppOrigin('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppOrigin('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
  });
});

describe('isTrustedSender()', () => {
  const frame = (url: string, parent: unknown = null): InvokeEventLike => ({ senderFrame: { url, parent } });

  it('trusts the app top-level frame only', () => {
    expect(isTrustedSender(frame('app://tessera/index.html'), isAppOrigin)).toBe(true);
  });

  it('rejects a missing frame, a subframe and another origin', () => {
    expect(isTrustedSender({ senderFrame: null }, isAppOrigin)).toBe(false);
    expect(isTrustedSender(frame('app://tessera/index.html', { url: 'app://tessera/' }), isAppOrigin)).toBe(
      false,
    );
    expect(isTrustedSender(frame('https://evil.example/'), isAppOrigin)).toBe(false);
  });

  it('rejects a frame that throws when read, as a disposed Electron frame does', () => {
    const disposed: InvokeEventLike = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(isTrustedSender(disposed, isAppOrigin)).toBe(false);
  });
});
