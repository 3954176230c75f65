// `--compare`: figures are set side by side only where that means something.
import { describe, expect, it } from 'vitest';
import type { HandoffResult } from '../../bench/handoff';
import type { MachineInfo } from '../../bench/machine';
import { renderComparison } from '../../bench/report';
import { definitionOf, type Results, resultsOfRun } from '../../bench/results-file';
import type { FreshProcessStarts, SilentSignInResult } from '../../bench/silent-sign-in';
import type { RoundFigure } from '../../bench/stats';
import { testMachine } from './test-machine';

const machine = (date: string): MachineInfo =>
  testMachine({ date, loadAverage: { before: [0.5, 0.5, 0.5], after: [0.5, 0.5, 0.5] } });
const monday = machine('2026-11-30T08:00:00.000Z');
const tuesday = machine('2026-12-01T08:00:00.000Z');
const wednesday = machine('2026-12-02T08:00:00.000Z');

const fig = (median: number): RoundFigure => ({ median, min: median, max: median, rounds: [median] });
const handoff = (p99: number, rounds = 5): HandoffResult => ({
  p50Us: fig(2),
  p99Us: fig(p99),
  meanUs: fig(2),
  iterations: 20000,
  rounds,
});
const starts = (p50Ms: number): FreshProcessStarts => ({
  starts: 15,
  p50Ms,
  minMs: p50Ms,
  maxMs: p50Ms,
  samplesMs: [],
  failures: 0,
});
const silentSignIn = (freshP50: number, cold?: number): SilentSignInResult => ({
  freshProcess: starts(freshP50),
  ...(cold === undefined ? {} : { freshProcessCold: starts(cold) }),
  p50Ms: fig(8),
  p99Ms: 12,
  meanMs: 9,
  iterations: 10,
  rounds: 5,
  failures: 0,
});

/** The line of `figure` in a comparison, its cells split on runs of spaces. */
const lineOf = (text: string, figure: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(`${figure} `))
    ?.split(/\s{2,}/);

describe('renderComparison', () => {
  it('says a figure whose definition changed is not comparable instead of giving a percent', () => {
    // silentSignIn.freshProcess.p50Ms meant a cold start through Node's fetch before version 2.
    const before: Results = { machine: monday, silentSignIn: silentSignIn(80) };
    const after = resultsOfRun({
      machine: tuesday,
      figures: { silentSignIn: silentSignIn(28, 45) },
      totalSeconds: 1,
    });
    expect(definitionOf(before, 'silentSignIn')).toBe(1);
    expect(definitionOf(after, 'silentSignIn')).toBe(2);
    const text = renderComparison(before, after, 'old.json');
    expect(lineOf(text, 'silentSignIn.freshProcess.p50Ms')).toEqual([
      'silentSignIn.freshProcess.p50Ms',
      '80',
      '28',
      'not comparable (definition changed)',
    ]);
    expect(text).not.toMatch(/freshProcess\.p50Ms.*%/);
    expect(text).toContain('silentSignIn: definition 1 → 2');
  });

  it('reads an older file with the cold start as measured under the current silentSignIn definition', () => {
    const before: Results = { machine: monday, silentSignIn: silentSignIn(30, 45) };
    const after = resultsOfRun({
      machine: tuesday,
      figures: { silentSignIn: silentSignIn(27, 45) },
      totalSeconds: 1,
    });
    expect(lineOf(renderComparison(before, after, 'old.json'), 'silentSignIn.freshProcess.p50Ms')?.[3]).toBe(
      '-10.0 %',
    );
  });

  it('names the round count when it differs', () => {
    const before: Results = { machine: monday, handoff: handoff(6, 5) };
    const after: Results = { machine: tuesday, handoff: handoff(5, 9) };
    expect(lineOf(renderComparison(before, after, 'old.json'), 'handoff.p99Us')).toEqual([
      'handoff.p99Us',
      '6',
      '5',
      '-16.7 %',
      'rounds 5 → 9',
    ]);
  });

  it('marks a figure a --only run kept from the earlier file "(not re-run)", not ±0 %', () => {
    const before: Results = { machine: monday, handoff: handoff(6) };
    const after = resultsOfRun({
      machine: tuesday,
      figures: { silentSignIn: silentSignIn(28, 45) },
      only: ['silentSignIn'],
      totalSeconds: 1,
      kept: before,
    });
    const text = renderComparison(before, after, 'old.json');
    expect(lineOf(text, 'handoff.p99Us')?.[3]).toBe('(not re-run)');
    expect(text).not.toContain('±0 %');
  });

  it('says so when the newer figure was kept from a run between the two files', () => {
    const before: Results = { machine: monday, handoff: handoff(6) };
    const between: Results = { machine: tuesday, handoff: handoff(7) };
    const after = resultsOfRun({
      machine: wednesday,
      figures: { silentSignIn: silentSignIn(28, 45) },
      only: ['silentSignIn'],
      totalSeconds: 1,
      kept: between,
    });
    expect(lineOf(renderComparison(before, after, 'old.json'), 'handoff.p99Us')).toEqual([
      'handoff.p99Us',
      '6',
      '7',
      '+16.7 %',
      'not re-run: kept from an earlier run',
    ]);
  });

  it('lists the figures only the earlier file holds as gone, and those only the newer holds as new', () => {
    const before: Results = { machine: monday, handoff: handoff(6), silentSignIn: silentSignIn(30, 45) };
    const { freshProcessCold: _dropped, ...withoutCold } = silentSignIn(29, 45);
    const after: Results = { machine: tuesday, silentSignIn: withoutCold };
    const text = renderComparison(before, after, 'old.json');
    expect(lineOf(text, 'handoff.p99Us')).toEqual(['handoff.p99Us', '6', '—', 'gone']);
    expect(lineOf(text, 'silentSignIn.freshProcessCold.p50Ms')).toEqual([
      'silentSignIn.freshProcessCold.p50Ms',
      '45',
      '—',
      'gone',
    ]);
    const reverse = renderComparison(after, before, 'new.json');
    expect(lineOf(reverse, 'handoff.p99Us')).toEqual(['handoff.p99Us', '—', '6', 'new']);
  });
});
