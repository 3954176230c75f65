import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

/** An X display for Electron windows: the machine's own, or a private Xvfb. */
export type DisplayResult =
  | { ok: true; display: string | undefined; stop(): void }
  | { ok: false; reason: string };

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Returns the display to use; on headless Linux starts Xvfb (the xvfb-run way, without the wrapper). */
export async function ensureDisplay(): Promise<DisplayResult> {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) {
    return { ok: true, display: undefined, stop() {} };
  }
  if (!onPath('Xvfb')) {
    return {
      ok: false,
      reason:
        'electron host: no DISPLAY and no Xvfb on PATH (install the xvfb package, or run under xvfb-run)',
    };
  }
  // -displayfd: Xvfb picks a free display number and writes it to fd 3 once it accepts connections.
  const child: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  const display = await new Promise<string | null>((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(null), 10_000);
    child.stdio[3]?.on('data', (chunk) => {
      text += String(chunk);
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (display === null) {
    child.kill();
    return { ok: false, reason: 'electron host: Xvfb did not start within 10 s' };
  }
  return { ok: true, display, stop: () => child.kill() };
}
