/** The part of a frame the sender check reads (Electron's `WebFrameMain` fits). */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The part of an invoke event the handlers read (Electron's `IpcMainInvokeEvent` fits). */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

/**
 * True when `url` is on exactly `appOrigin`: same scheme and host (with port), no user info.
 * Compared piecewise because `URL.origin` is "null" for custom schemes such as `app:`; lookalikes
 * like `app://tessera.evil` or `app://tessera@evil` (host "evil") differ in `host`.
 */
export function isAppOrigin(url: string, appOrigin = 'app://tessera'): boolean {
  const actual = URL.parse(url);
  const expected = URL.parse(appOrigin);
  if (actual === null || expected === null || expected.host === '') return false;
  return (
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.username === '' &&
    actual.password === ''
  );
}

/** True only for the app's own top-level frame: not a subframe, not another origin, not a vanished frame. */
export function isTrustedSender(event: InvokeEventLike, isAppUrl: (url: string) => boolean): boolean {
  try {
    const frame = event.senderFrame;
    return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
  } catch {
    // Electron throws when the frame was disposed mid-call; a sender we cannot inspect is not trusted.
    return false;
  }
}

/** Scheme and host of the sender, for the log line of a refused call (never the full URL). */
export function describeSender(event: InvokeEventLike): string {
  try {
    const frame = event.senderFrame;
    if (frame === null || frame === undefined) return 'no frame';
    const url = URL.parse(frame.url);
    const where = url === null ? 'an unparsable URL' : `${url.protocol}//${url.host}`;
    return frame.parent === null ? where : `a subframe on ${where}`;
  } catch {
    return 'a disposed frame';
  }
}
