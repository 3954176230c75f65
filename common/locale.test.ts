import { describe, expect, it } from 'vitest';
import {
  canonicalLocaleTags,
  FORMAT_LOCALES_SWITCH,
  formatLocalesArguments,
  formatLocalesFromArgv,
} from './locale';

describe("the OS's regional formats on the preload's command line", () => {
  it('keeps valid tags only, canonical, in order, each once, at most eight', () => {
    expect(canonicalLocaleTags(['en-gb', 'EN-GB', 'en_GB', '', 7, null, 'ko-kr'])).toEqual([
      'en-GB',
      'ko-KR',
    ]);
    const many = ['en-GB', 'en-US', 'en-AU', 'en-CA', 'en-IE', 'en-NZ', 'en-ZA', 'en-IN', 'en-SG', 'fr-FR'];
    expect(canonicalLocaleTags(many)).toEqual(many.slice(0, 8));
    expect(canonicalLocaleTags(['x'.repeat(65), 'en-GB'])).toEqual(['en-GB']);
  });

  it('passes main’s list through the switch and back unchanged', () => {
    const args = formatLocalesArguments(['en-GB', 'en-US']);
    expect(args).toEqual([`${FORMAT_LOCALES_SWITCH}=en-GB,en-US`]);
    expect(formatLocalesFromArgv(['/opt/Tessera/tessera', '--type=renderer', ...args])).toEqual([
      'en-GB',
      'en-US',
    ]);
  });

  it('adds no switch when nothing is valid, and finds none where there is none', () => {
    expect(formatLocalesArguments(['', 'en_GB.UTF-8'])).toEqual([]);
    expect(formatLocalesFromArgv(['--type=renderer'])).toEqual([]);
    expect(formatLocalesFromArgv(undefined)).toEqual([]);
    expect(formatLocalesFromArgv([`${FORMAT_LOCALES_SWITCH}=`])).toEqual([]);
  });

  it('reads a garbled switch as the tags it still holds: nothing else comes through', () => {
    const argv = [`${FORMAT_LOCALES_SWITCH}=en-GB,--no-sandbox,,<b>,ko-KR`, 42];
    expect(formatLocalesFromArgv(argv)).toEqual(['en-GB', 'ko-KR']);
    // A switch that only starts like ours is not ours.
    expect(formatLocalesFromArgv([`${FORMAT_LOCALES_SWITCH}x=en-GB`])).toEqual([]);
  });
});
