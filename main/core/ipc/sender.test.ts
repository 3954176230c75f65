import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../security/app-origin';
import { type InvokeEventLike, isTrustedSender } from './sender';

describe('isTrustedSender()', () => {
  const frame = (url: string, parent: unknown = null): InvokeEventLike => ({ senderFrame: { url, parent } });

  it('trusts the app top-level frame only', () => {
    expect(isTrustedSender(frame('app://tessera/index.html'), isAppUrl)).toBe(true);
  });

  it('rejects a missing frame, a subframe and another origin', () => {
    expect(isTrustedSender({ senderFrame: null }, isAppUrl)).toBe(false);
    expect(isTrustedSender(frame('app://tessera/index.html', { url: 'app://tessera/' }), isAppUrl)).toBe(
      false,
    );
    expect(isTrustedSender(frame('https://evil.example/'), isAppUrl)).toBe(false);
  });

  it('rejects a frame that throws when read, as a disposed Electron frame does', () => {
    const disposed: InvokeEventLike = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(isTrustedSender(disposed, isAppUrl)).toBe(false);
  });
});
