// bench/README.md's "The recorded run" block: the run's duration and facts, and which figures an earlier run measured.
import { describe, expect, it } from 'vitest';
import type { MachineInfo } from '../../bench/machine';
import { renderRecordedFigures } from '../../bench/recorded-figures';
import { type Results, resultsOfRun } from '../../bench/results-file';
import type { ServerThroughputResult } from '../../bench/server-throughput';
import type { SilentSignInResult } from '../../bench/silent-sign-in';
import type { RoundFigure } from '../../bench/stats';
import { testMachine } from './test-machine';

const machine = (date: string): MachineInfo =>
  testMachine({ date, loadAverage: { before: [0.2, 0.2, 0.2], after: [0.3, 0.3, 0.3] } });
const fig = (median: number): RoundFigure => ({ median, min: median, max: median, rounds: [median] });
const silentSignIn: SilentSignInResult = {
  freshProcess: { starts: 15, p50Ms: 28.2, minMs: 25, maxMs: 37, samplesMs: [], failures: 0 },
  p50Ms: fig(8.1),
  p99Ms: 12,
  meanMs: 9,
  iterations: 10,
  rounds: 5,
  failures: 0,
};
const server = { meHs256Rps: fig(17318) } as unknown as ServerThroughputResult;

describe('renderRecordedFigures', () => {
  it('says how long the run took and where, and the server throughput of the same run beside the app start', () => {
    const full: Results = {
      machine: machine('2026-12-02T07:00:00.000Z'),
      silentSignIn,
      server,
      totalSeconds: 487.6,
    };
    const text = renderRecordedFigures(full);
    expect(text).toContain(
      '- The run (`npm run bench`, every benchmark the file holds): it took 487.6 s (8.1 minutes), on Test CPU',
    );
    expect(text).toContain('in the same run the reference server answered 17,318 requests/s');
  });

  it('names a --only run and marks the figures an earlier run measured', () => {
    const earlier: Results = {
      machine: machine('2026-12-01T07:00:00.000Z'),
      silentSignIn,
      server,
      totalSeconds: 480,
    };
    const partial = resultsOfRun({
      machine: machine('2026-12-03T07:00:00.000Z'),
      figures: { server },
      only: ['server'],
      totalSeconds: 12,
      kept: earlier,
    });
    const text = renderRecordedFigures(partial);
    expect(text).toContain('- The newest run measured only `server` (`--only`): it took 12 s (0.2 minutes)');
    expect(text).toContain('- `silentSignIn` (measured in an earlier run, on 2026-12-01): app start');
    // The server figure is not of the silent sign-ins' run: not set beside them.
    expect(text).not.toContain('in the same run the reference server');
  });
});
