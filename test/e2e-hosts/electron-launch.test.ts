// The electron e2e host's launch options (e2e/support/electron-launch.ts), for every OS: Electron
// cannot run here, so what `_electron.launch` is given is checked as the pure function it is.
import { describe, expect, it } from 'vitest';
import { type ElectronLaunchInput, electronLaunchOptions } from '../../e2e/support/electron-launch';

const base: ElectronLaunchInput = {
  executablePath: '/repo/node_modules/electron/dist/electron',
  packaged: false,
  repoRoot: '/repo',
  userDataDir: '/tmp/tessera-e2e-x/userData',
  keychainService: 'Tessera-e2e-0-1234-1',
  env: { PATH: '/usr/bin', HOME: '/home/dev' },
  platform: 'linux',
  uid: 1000,
};

describe('electronLaunchOptions()', () => {
  it.each(['linux', 'darwin', 'win32'] as const)(
    'pins en-US, the light theme and UTC on %s, like the browser host',
    (platform) => {
      const options = electronLaunchOptions({
        ...base,
        platform,
        uid: platform === 'win32' ? undefined : 501,
      });
      expect(options).toMatchObject({ locale: 'en-US', colorScheme: 'light', timezoneId: 'UTC' });
      expect(options.env?.TZ).toBe('UTC');
    },
  );

  it.each(['linux', 'darwin', 'win32'] as const)(
    "gives the app the test's own userData folder and keychain service on %s",
    (platform) => {
      const { env } = electronLaunchOptions({ ...base, platform });
      expect(env?.TESSERA_USER_DATA_DIR).toBe('/tmp/tessera-e2e-x/userData');
      expect(env?.TESSERA_KEYCHAIN_SERVICE).toBe('Tessera-e2e-0-1234-1');
    },
  );

  it("drops the developer's TESSERA_* settings and ELECTRON_RUN_AS_NODE, keeps the rest", () => {
    const { env } = electronLaunchOptions({
      ...base,
      env: {
        ...base.env,
        TESSERA_API_URL: 'https://api.example.com',
        TESSERA_KEYCHAIN_SERVICE: 'Tessera',
        TESSERA_USER_DATA_DIR: '/home/dev/.config/Tessera',
        ELECTRON_RUN_AS_NODE: '1',
        UNSET: undefined,
      },
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/dev',
      TESSERA_USER_DATA_DIR: '/tmp/tessera-e2e-x/userData',
      TESSERA_KEYCHAIN_SERVICE: 'Tessera-e2e-0-1234-1',
      TZ: 'UTC',
      LC_ALL: 'en_US.UTF-8',
    });
  });

  it("pins the OS's regional format on Linux (main hands it to the page), where the environment sets it", () => {
    const developer = { ...base.env, LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8' };
    expect(electronLaunchOptions({ ...base, env: developer }).env).toMatchObject({
      LANG: 'en_GB.UTF-8',
      LC_ALL: 'en_US.UTF-8',
    });
    // macOS and Windows read the region from their own settings, not the environment: left as it is.
    expect(electronLaunchOptions({ ...base, platform: 'darwin', env: developer }).env?.LC_ALL).toBe(
      'en_GB.UTF-8',
    );
  });

  it('runs the repository (".") with node_modules/electron, a packaged app as it is', () => {
    expect(electronLaunchOptions(base)).toMatchObject({ args: ['.'], cwd: '/repo' });
    expect(
      electronLaunchOptions({ ...base, packaged: true, executablePath: '/dist-e2e/tessera' }).args,
    ).toEqual([]);
  });

  it('adds --no-sandbox only as root on Linux', () => {
    expect(electronLaunchOptions({ ...base, uid: 0 }).args).toEqual(['.', '--no-sandbox']);
    expect(electronLaunchOptions({ ...base, uid: 1000 }).args).toEqual(['.']);
    expect(electronLaunchOptions({ ...base, platform: 'darwin', uid: 0 }).args).toEqual(['.']);
    expect(electronLaunchOptions({ ...base, platform: 'win32', uid: undefined }).args).toEqual(['.']);
  });

  it('points the window at the private X display when there is one', () => {
    expect(electronLaunchOptions({ ...base, display: ':99' }).env?.DISPLAY).toBe(':99');
    expect(electronLaunchOptions(base).env).not.toHaveProperty('DISPLAY');
  });
});
