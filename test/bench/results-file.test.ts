// A `--only` run keeps the other benchmarks' figures with the facts of the run that measured them, and
// the tables say which rows an earlier run measured; older files (one machine for all) read as before.
import { describe, expect, it } from 'vitest';
import type { HandoffResult } from '../../bench/handoff';
import type { LoginFloodResult } from '../../bench/login-flood';
import type { MachineInfo } from '../../bench/machine';
import { renderReadmeTable, renderTable } from '../../bench/report';
import { measuredBy, type Results, resultsOfRun } from '../../bench/results-file';
import type { RoundFigure } from '../../bench/stats';
import { testMachine } from './test-machine';

const run = (date: string, load: number, commit?: string): MachineInfo =>
  testMachine({
    date,
    loadAverage: { before: [load, load, load], after: [load, load, load] },
    ...(commit ? { commit, dirty: false } : {}),
  });
const full = run('2026-11-30T08:00:00.000Z', 0.2, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
const partial = run('2026-12-02T09:00:00.000Z', 3.5, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
const later = run('2026-12-03T10:00:00.000Z', 0.9, 'cccccccccccccccccccccccccccccccccccccccc');

const fig = (median: number): RoundFigure => ({ median, min: median, max: median, rounds: [median] });
const handoff = (p99: number): HandoffResult => ({
  p50Us: fig(2),
  p99Us: fig(p99),
  meanUs: fig(2),
  iterations: 100,
  rounds: 5,
});
const loginFlood: LoginFloodResult = {
  unloadedP50Ms: 1,
  unloadedP99Ms: 1,
  floodP50Ms: 1,
  floodP99Ms: 1.5,
  p99Ratio: fig(1.5),
  p50Ratio: fig(1),
  meRequestsUnloaded: 10,
  meRequestsFlood: 10,
  meFailures: 0,
  logins: { invalidCredentials: 0, serverBusy: 0, other: 0 },
  floodConcurrency: 120,
  secondsPerPhase: 3,
  rounds: 9,
};

/** A file as `npm run bench` wrote it before `measured`: one machine for all. */
const olderFullFile: Results = { machine: full, handoff: handoff(6), loginFlood, totalSeconds: 480 };

describe('resultsOfRun', () => {
  it('gives each benchmark the facts of the run that measured it: a --only run keeps the others own', () => {
    const written = resultsOfRun({
      machine: partial,
      figures: { handoff: handoff(7) },
      only: ['handoff'],
      totalSeconds: 20,
      kept: olderFullFile,
    });
    expect(written.machine).toBe(partial);
    expect(written.handoff?.p99Us.median).toBe(7);
    expect(written.loginFlood).toEqual(loginFlood);
    expect(written.measured).toEqual({
      handoff: { definition: 1, machine: partial },
      loginFlood: { definition: 1, machine: full },
    });
    expect(measuredBy(written, 'handoff')).toEqual({ run: 'newest', machine: partial });
    expect(measuredBy(written, 'loginFlood')).toEqual({ run: 'earlier', machine: full });
    expect(written.only).toEqual(['handoff']);
  });

  it('keeps those facts through a second --only run', () => {
    const first = resultsOfRun({
      machine: partial,
      figures: { handoff: handoff(7) },
      only: ['handoff'],
      totalSeconds: 20,
      kept: olderFullFile,
    });
    const second = resultsOfRun({
      machine: later,
      figures: { handoff: handoff(8) },
      only: ['handoff'],
      totalSeconds: 20,
      kept: first,
    });
    expect(second.measured?.loginFlood?.machine).toBe(full);
    expect(measuredBy(second, 'handoff')?.run).toBe('newest');
  });

  it('says the facts are not recorded for figures an older --only file had kept', () => {
    const olderPartialFile: Results = { ...olderFullFile, machine: partial, only: ['handoff'] };
    expect(measuredBy(olderPartialFile, 'loginFlood')).toEqual({ run: 'earlier', machine: undefined });
    expect(measuredBy(olderPartialFile, 'handoff')).toEqual({ run: 'newest', machine: partial });
    const written = resultsOfRun({
      machine: later,
      figures: { handoff: handoff(8) },
      only: ['handoff'],
      totalSeconds: 20,
      kept: olderPartialFile,
    });
    expect(written.measured?.loginFlood).toEqual({ definition: 1 });
    expect(measuredBy(written, 'loginFlood')).toEqual({ run: 'earlier', machine: undefined });
  });

  it('reads an older full run as measured by its one machine', () => {
    expect(measuredBy(olderFullFile, 'loginFlood')).toEqual({ run: 'newest', machine: full });
    expect(measuredBy(olderFullFile, 'soakHeap')).toBeUndefined();
  });
});

describe('the tables of a file a --only run wrote', () => {
  const written = resultsOfRun({
    machine: partial,
    figures: { handoff: handoff(7) },
    only: ['handoff'],
    totalSeconds: 20,
    kept: olderFullFile,
  });

  it('name the newest run at the top, mark the rows an earlier run measured and say which run that was', () => {
    const table = renderReadmeTable(written);
    expect(table.split('\n')[0]).toContain('2026-12-02, load 3.5 → 3.5 at commit bbbbbbb;');
    expect(table).toContain('| `loginFlood` ¹ |');
    expect(table).toContain('| `handoff` |');
    expect(table).toContain(
      '¹ Measured in an earlier run than the others: Test CPU, 2 cores, Node v20.20.2, 2026-11-30, load 0.2 → 0.2 at commit aaaaaaa.',
    );
    const printed = renderTable(written);
    expect(printed).toMatch(/^loginFlood ¹ /m);
    expect(printed).toContain('¹ Measured in an earlier run than the others: Test CPU, 2 cores (2 CPUs)');
  });

  it('say so when the earlier run was not recorded (an older --only file)', () => {
    const table = renderReadmeTable({ ...olderFullFile, machine: partial, only: ['handoff'] });
    expect(table).toContain('| `loginFlood` ¹ |');
    expect(table).toContain(
      '¹ Measured in an earlier run than the others, whose machine, date, load and commit were not recorded.',
    );
  });

  it('mark nothing for a full run', () => {
    expect(renderReadmeTable(olderFullFile)).not.toMatch(/earlier run|¹/);
  });
});
