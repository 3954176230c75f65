import { describe, expect, it } from 'vitest';
import { isSettingKey, SETTING_KEYS } from './settings';

describe('isSettingKey()', () => {
  it.each(SETTING_KEYS)('knows %s', (key) => {
    expect(isSettingKey(key)).toBe(true);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'APIBASEURL', 'apiBaseUrl '])(
    'refuses %j',
    (key) => {
      expect(isSettingKey(key)).toBe(false);
    },
  );
});
