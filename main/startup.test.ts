import { describe, expect, it } from 'vitest';
import { loadBuilderConfig, RELEASE_CONFIG_FILE } from '../scripts/release-config.mjs';
import { APP_USER_MODEL_ID } from './startup';

describe('APP_USER_MODEL_ID', () => {
  it("is electron-builder's appId, the ID Windows knows the installed app by", async () => {
    const config = await loadBuilderConfig(`${import.meta.dirname}/..`, RELEASE_CONFIG_FILE);
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });
});
