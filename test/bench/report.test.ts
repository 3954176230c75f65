import { describe, expect, it } from 'vitest';
import type { AuthOverheadResult } from '../../bench/auth-overhead';
import type { ChromiumOverheadResult } from '../../bench/auth-overhead-chromium';
import type { LoginFloodResult } from '../../bench/login-flood';
import type { MachineInfo } from '../../bench/machine';
import {
  BENCHES,
  flatFigures,
  README_END,
  README_START,
  type Results,
  renderComparison,
  renderReadmeTable,
  renderTable,
  rows,
  withReadmeTable,
} from '../../bench/report';
import type { RoundFigure } from '../../bench/stats';
import { testMachine } from './test-machine';

const machine = testMachine({
  cpuCount: 4,
  date: '2026-11-30T12:00:00.000Z',
  loadAverage: { before: [0.5, 0.4, 0.3], after: [1.25, 0.5, 0.3] },
});

const fig = (median: number, min = median, max = median): RoundFigure => ({
  median,
  min,
  max,
  rounds: [min, median, max],
});

function results(ratio: RoundFigure, flood = fig(1.2)): Results {
  const side = (r: number) => ({ ratio: fig(r), p50Ms: 1, p99Ms: 2 });
  return {
    machine,
    authOverhead: {
      ratio,
      meanRatio: fig(1.1),
      p50Ms: 0.6,
      p99Ms: 3,
      baselineP50Ms: 0.5,
      baselineP99Ms: 2.5,
      bareKy: side(1.1),
      ratioVsKy: fig(1.02),
      peers: { naiveKy: side(1.15), axiosAuthRefresh: side(1.3) },
      rounds: 5,
      requestsPerSide: 100,
      requests: 1500,
      failures: 0,
    },
    loginFlood: {
      unloadedP50Ms: 1,
      unloadedP99Ms: 5,
      floodP50Ms: 1,
      floodP99Ms: 6,
      p99Ratio: flood,
      p50Ratio: fig(1),
      meRequestsUnloaded: 10,
      meRequestsFlood: 10,
      meFailures: 0,
      logins: { invalidCredentials: 1, serverBusy: 2, other: 0 },
      floodConcurrency: 120,
      secondsPerPhase: 3,
      rounds: 3,
    },
  };
}

describe('rows', () => {
  it('shows the median with its range, the peers of the same run and whether the target is met', () => {
    const [overhead, flood] = rows(results(fig(1.08, 1.05, 1.12), fig(2.5, 1.5, 3)));
    expect(overhead).toMatchObject({
      bench: 'authOverhead',
      value: '1.08 (1.05–1.12)',
      peers: 'bare ky 1.10; ky afterResponse 1.15; axios-auth-refresh 1.30',
      target: '≤ 1.10',
      met: true,
    });
    expect(flood).toMatchObject({ bench: 'loginFlood', value: '2.50 (1.50–3.00)', met: false });
  });
});

describe('the Chromium authOverhead row', () => {
  const chromiumResult = (overrides: Partial<ChromiumOverheadResult>): ChromiumOverheadResult => ({
    ratio: fig(1.06, 1.04, 1.09),
    bareKyRatio: fig(1.07),
    ratioVsKy: fig(0.99),
    appMs: 2.1,
    fetchMs: 2,
    bareKyMs: 2.1,
    rounds: 9,
    requestsPerSide: 1000,
    batch: 50,
    failures: 0,
    browser: 'Chromium 150',
    ...overrides,
  });

  it('measured as p50s (definition 2): judged against the ≤ 1.10 target, on the unrounded median', () => {
    const chromium = (ratio: RoundFigure): Results => ({
      ...results(fig(1.15)),
      authOverheadChromium: chromiumResult({
        ratio,
        peers: { naiveKy: fig(1.2), axiosAuthRefresh: fig(1.3) },
      }),
      measured: { authOverheadChromium: { definition: 2, machine } },
    });
    const [node, met] = rows(chromium(fig(1.05, 1.03, 1.08)));
    expect(node).toMatchObject({ bench: 'authOverhead', met: false });
    expect(met).toMatchObject({
      bench: 'authOverheadChromium',
      what: 'Chromium (where the renderer runs): p50 ÷ plain fetch p50 (2 ms)',
      value: '1.05 (1.03–1.08)',
      peers: 'bare ky 1.07; ky afterResponse 1.20; axios-auth-refresh 1.30',
      target: '≤ 1.10',
      met: true,
    });
    // 1.1004 shows as 1.10 but is not ≤ 1.10.
    const over = rows(chromium({ ...fig(1.1, 1.09, 1.12), unroundedMedian: 1.1004 }))[1];
    expect(over).toMatchObject({ value: '1.10 (1.09–1.12)', met: false });
    expect(renderReadmeTable(chromium(fig(1.05, 1.03, 1.08)))).toContain(
      '| `authOverheadChromium` | Chromium (where the renderer runs): p50 ÷ plain fetch p50 (2 ms) | 1.05 (1.03–1.08) | bare ky 1.07; ky afterResponse 1.20; axios-auth-refresh 1.30 | ≤ 1.10 |',
    );
  });

  it('measured as means (definition 1, older files): shows the ratio with bare ky beside it and judges no target with it', () => {
    const withChromium: Results = {
      ...results(fig(1.15)),
      authOverheadChromium: chromiumResult({ fetchMs: 4.24 }),
    };
    const [node, chromium] = rows(withChromium);
    expect(node).toMatchObject({ bench: 'authOverhead', met: false });
    expect(chromium).toMatchObject({
      bench: 'authOverheadChromium',
      what: 'Chromium: mean ÷ plain fetch mean (4.24 ms); a mean, not judged against the p50 target',
      value: '1.06 (1.04–1.09)',
      peers: 'bare ky 1.07',
      // The ≤ 1.10 target is a ratio of p50s: a mean ratio neither meets nor misses it.
      target: '',
      met: null,
    });
    expect(flatFigures(withChromium).has('authOverheadChromium.batch')).toBe(false);
    expect(renderReadmeTable(withChromium)).toContain(
      '| `authOverheadChromium` | Chromium: mean ÷ plain fetch mean (4.24 ms); a mean, not judged against the p50 target | 1.06 (1.04–1.09) | bare ky 1.07 | — |',
    );
  });
});

describe('flatFigures', () => {
  it('lists every number by its path, a per-round figure by its median', () => {
    const figures = flatFigures(results(fig(1.08, 1.05, 1.12)));
    expect(figures.get('authOverhead.ratio')).toBe(1.08);
    expect(figures.get('authOverhead.peers.axiosAuthRefresh.ratio')).toBe(1.3);
    expect(figures.get('loginFlood.logins.serverBusy')).toBe(2);
    expect([...figures.keys()].some((key) => key.startsWith('machine'))).toBe(false);
  });
});

describe('renderComparison', () => {
  it('prints each figure of both runs with its change in percent', () => {
    const earlier = { ...results(fig(1.2)), machine: { ...machine, date: '2026-11-29T12:00:00.000Z' } };
    const text = renderComparison(earlier, results(fig(1.08)), 'old.json');
    expect(text).toContain('Change against old.json');
    expect(text).toMatch(/authOverhead\.ratio\s+1\.2\s+1\.08\s+-10\.0 %/);
    expect(text).toMatch(/authOverhead\.p50Ms\s+0\.6\s+0\.6\s+±0 %/);
  });
});

describe('the README table', () => {
  it('states the machine and load, and has one row per figure', () => {
    const table = renderReadmeTable(results(fig(1.08)));
    expect(table).toContain(
      'on Test CPU, 2 cores, Node v20.20.2, 2026-11-30, load 0.5 → 1.3, commit not recorded;',
    );
    const measured = table
      .split('\n')
      .filter((line) => line.startsWith('| `') && !line.includes('not in the'));
    expect(measured).toHaveLength(2);
  });

  it('names the commit measured, or says the file recorded none', () => {
    const commit = '0123456789abcdef0123456789abcdef01234567';
    const at = (extra: Partial<MachineInfo>) =>
      renderReadmeTable({ ...results(fig(1.08)), machine: { ...machine, ...extra } }).split('\n')[0];
    expect(at({ commit, dirty: false })).toContain('load 0.5 → 1.3 at commit 0123456;');
    expect(at({ commit, dirty: true })).toContain('load 0.5 → 1.3 at commit 0123456 with local changes;');
    expect(at({})).toContain('load 0.5 → 1.3, commit not recorded;');
    expect(renderTable({ ...results(fig(1.08)), machine: { ...machine, commit } }).split('\n')[0]).toContain(
      'at commit 0123456',
    );
  });

  it('shows a benchmark of a full run that the file lacks as not in the recorded run', () => {
    const table = renderReadmeTable(results(fig(1.08)));
    const missing = BENCHES.filter((bench) => bench !== 'authOverhead' && bench !== 'loginFlood');
    for (const bench of missing)
      expect(table).toContain(`| \`${bench}\` | not in the recorded run | — | — | — |`);
    expect(table).not.toContain('| `authOverhead` | not in the recorded run');
    expect(renderTable(results(fig(1.08)))).toMatch(/^mainStart\s+not in the recorded run$/m);
  });

  it('says how many rounds the figures are medians of, naming each benchmark that ran another number', () => {
    const base = results(fig(1.08));
    const withFlood = (rounds: number) =>
      renderReadmeTable({ ...base, loginFlood: { ...(base.loginFlood as LoginFloodResult), rounds } });
    expect(withFlood(9)).toContain('each figure the median (min–max) of its rounds (5; `loginFlood` 9).');
    expect(withFlood(5)).toContain('each figure the median (min–max) of its 5 rounds.');
    const both = renderReadmeTable({
      ...base,
      authOverhead: { ...(base.authOverhead as AuthOverheadResult), rounds: 7 },
      loginFlood: { ...(base.loginFlood as LoginFloodResult), rounds: 9 },
    });
    expect(both).toContain('of its rounds (5; `authOverhead` 7, `loginFlood` 9).');
  });

  it('replaces only what is between the markers', () => {
    const readme = `# T\n\n${README_START}\nold\n${README_END}\n\nafter\n`;
    const updated = withReadmeTable(readme, results(fig(1.08)));
    expect(updated.startsWith(`# T\n\n${README_START}\nMeasured by`)).toBe(true);
    expect(updated.endsWith(`${README_END}\n\nafter\n`)).toBe(true);
    expect(updated).not.toContain('\nold\n');
    expect(withReadmeTable(updated, results(fig(1.08)))).toBe(updated);
  });

  it('fails clearly without the markers', () => {
    expect(() => withReadmeTable('# T\n', results(fig(1)))).toThrow(/markers/);
  });
});
