import { describe, expect, it } from 'vitest';
import { loadBuilderConfig, RELEASE_CONFIG_FILE } from '../scripts/release-config.mjs';
import { APP_USER_MODEL_ID, runStartup, startupFailureMessage } from './startup';

describe('APP_USER_MODEL_ID', () => {
  it("is electron-builder's appId, the ID Windows knows the installed app by", async () => {
    const config = await loadBuilderConfig(`${import.meta.dirname}/..`, RELEASE_CONFIG_FILE);
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });
});

describe('runStartup()', () => {
  function deps() {
    const seen = { logged: [] as string[], boxes: [] as Array<[string, string]>, exits: [] as number[] };
    return {
      seen,
      log: (message: string) => seen.logged.push(message),
      showErrorBox: (title: string, content: string) => seen.boxes.push([title, content]),
      exit: (code: number) => seen.exits.push(code),
      logDir: '/home/u/.config/Tessera/logs',
    };
  }

  it('does nothing more when start-up succeeds', async () => {
    const d = deps();
    await runStartup(async () => {}, d);
    expect(d.seen).toEqual({ logged: [], boxes: [], exits: [] });
  });

  it('logs a failure, shows what failed in an error box, and exits with code 1', async () => {
    const d = deps();
    await runStartup(async () => {
      throw new Error('EACCES: permission denied, open /home/u/.config/Tessera/settings.json');
    }, d);
    expect(d.seen.logged).toEqual([expect.stringContaining('[tessera] start-up failed: Error: EACCES')]);
    expect(d.seen.boxes).toEqual([
      [
        'Tessera could not start',
        'Tessera could not start: EACCES: permission denied, open /home/u/.config/Tessera/settings.json.\n\n' +
          'Try starting it again. If this keeps happening, give this message and the log in ' +
          '/home/u/.config/Tessera/logs to your IT department.',
      ],
    ]);
    expect(d.seen.exits).toEqual([1]);
  });

  it('keeps anything token-shaped out of the box and the log', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWc';
    const d = deps();
    await runStartup(async () => {
      throw new Error(`bad token ${jwt}`);
    }, d);
    expect(JSON.stringify(d.seen)).not.toContain(jwt);
    expect(d.seen.exits).toEqual([1]);
  });

  it('words a thrown non-error too', () => {
    expect(startupFailureMessage('').content).toMatch(/^Tessera could not start: an unexpected error\./);
  });
});
