import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { withSettingsTable } from '../../scripts/readme-settings';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('documents every setting exactly as the settings table defines it', () => {
    expect(readme).toBe(withSettingsTable(readme));
  });

  it('lists every npm script', () => {
    const missing = Object.keys(pkg.scripts).filter(
      (name) =>
        !readme.includes(`\`npm ${name === 'start' || name === 'test' ? '' : 'run '}${name}`) &&
        !readme.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
