// The test hooks of main/shell/paths.ts: read by development runs and the e2e test build only, never
// by a release build (Electron's app is a stand-in here: only its name, isPackaged and setPath matter).
import { describe, expect, it } from 'vitest';
import { applyPathOverrides, testOverrides } from './paths';

const ENV = { TESSERA_USER_DATA_DIR: '/tmp/tessera-qa', TESSERA_KEYCHAIN_SERVICE: 'Tessera-qa' };

function fakeApp(isPackaged: boolean, name: string) {
  const set: [string, string][] = [];
  return {
    set,
    app: {
      isPackaged,
      getName: () => name,
      setPath: (which: string, path: string) => set.push([which, path]),
    },
  };
}

describe('testOverrides()', () => {
  it('are ignored by a release build: its data folder and keychain service stay fixed', () => {
    expect(testOverrides(ENV, { isPackaged: true, name: 'Tessera' })).toEqual({});
    const { app, set } = fakeApp(true, 'Tessera');
    expect(applyPathOverrides(ENV, app)).toEqual({});
    expect(set).toEqual([]);
  });

  it.each([
    ['a development run (npm start, the e2e host on node_modules/electron)', false, 'Tessera'],
    ['the e2e test build (npm run dist:e2e)', true, 'Tessera E2E'],
  ])('are read by %s', (_, isPackaged, name) => {
    const { app, set } = fakeApp(isPackaged, name);
    expect(applyPathOverrides(ENV, app)).toEqual({
      userDataDir: '/tmp/tessera-qa',
      keychainService: 'Tessera-qa',
    });
    expect(set).toEqual([['userData', '/tmp/tessera-qa']]);
  });

  it('treat an empty variable as unset', () => {
    expect(
      testOverrides(
        { TESSERA_USER_DATA_DIR: '', TESSERA_KEYCHAIN_SERVICE: '' },
        { isPackaged: false, name: 'Tessera' },
      ),
    ).toEqual({});
  });
});
