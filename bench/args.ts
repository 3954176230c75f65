// `npm run bench` options (bench/run.ts), parsed apart from the run so `--help` and a wrong option answer
// at once, without loading the benchmarks.
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run bench -- [options]

Runs every benchmark in rounds, prints a table and writes bench/results.json.

Options:
  --only NAME,NAME      measure only these benchmarks; the others' figures stay in bench/results.json
                        from the run that measured them
  --compare FILE        after the run, compare every figure with the same figure in FILE (a saved
                        results file)
  --no-run              measure nothing: compare bench/results.json with the file of --compare
  --soak-minutes N      minutes of the soakHeap soak (default 2; more than 0, at most 120)
  -h, --help            print this and exit
`;

export interface BenchArgs {
  help: boolean;
  only?: string;
  compare?: string;
  noRun: boolean;
  soakMinutes: string;
}

/** The options of `argv` (without node and the script); an unknown option or a missing value throws, naming --help. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        only: { type: 'string' },
        compare: { type: 'string' },
        'no-run': { type: 'boolean', default: false },
        'soak-minutes': { type: 'string', default: '2' },
      },
    });
    return {
      help: values.help,
      only: values.only,
      compare: values.compare,
      noRun: values['no-run'],
      soakMinutes: values['soak-minutes'],
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${USAGE}`);
  }
}
