// macOS 15 and later ask the person before an app reaches the local network, showing the app's
// NSLocalNetworkUsageDescription; an app without one is refused silently. Read as electron-builder
// reads the configuration (both the release and the e2e build, which extends it).
import { describe, expect, it } from 'vitest';
import { E2E_CONFIG_FILE, loadBuilderConfig, RELEASE_CONFIG_FILE } from '../../scripts/release-config.mjs';

const ROOT = `${import.meta.dirname}/../..`;

describe('the macOS Info.plist additions', () => {
  it.each([RELEASE_CONFIG_FILE, E2E_CONFIG_FILE])('%s explains the local network access', async (file) => {
    const config = await loadBuilderConfig(ROOT, file);
    const text = config.mac?.extendInfo?.NSLocalNetworkUsageDescription;
    expect(typeof text).toBe('string');
    expect(String(text)).toMatch(/local network/);
  });
});
