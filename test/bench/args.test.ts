// `npm run bench` options: --help answers instead of crashing, and a wrong option names the options.
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, USAGE } from '../../bench/args';

describe('parseBenchArgs', () => {
  it('takes --help and -h (strict parsing refused them before)', () => {
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
    expect(parseBenchArgs([]).help).toBe(false);
  });

  it('reads the run options, with the soak default', () => {
    expect(parseBenchArgs(['--only', 'handoff,server', '--compare', 'old.json'])).toEqual({
      help: false,
      only: 'handoff,server',
      compare: 'old.json',
      noRun: false,
      soakMinutes: '2',
    });
    expect(parseBenchArgs(['--no-run', '--compare', 'x.json', '--soak-minutes', '5'])).toMatchObject({
      noRun: true,
      soakMinutes: '5',
    });
  });

  it('refuses an unknown option with the usage text', () => {
    expect(() => parseBenchArgs(['--onyl', 'handoff'])).toThrow(/--onyl[\s\S]*Usage: npm run bench/);
  });
});

describe('USAGE', () => {
  it('names every option', () => {
    for (const option of ['--only', '--compare', '--no-run', '--soak-minutes', '--help'])
      expect(USAGE).toContain(option);
  });
});
