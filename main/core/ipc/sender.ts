/** The part of a frame the sender check reads (Electron's `WebFrameMain` fits). */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The part of an invoke event the handlers read (Electron's `IpcMainInvokeEvent` fits). */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
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
