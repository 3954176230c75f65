// Where and on what a figure was measured: every result file carries it.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { resolve } from 'node:path';

/** The 1-, 5- and 15-minute load averages (os.loadavg), two decimals. */
export type LoadAverage = [number, number, number];

export interface MachineInfo {
  cpu: string;
  /** Logical CPUs the OS reports. */
  cpuCount: number;
  /** Cores this process may use (os.availableParallelism: a container limit shows here). */
  cores: number;
  node: string;
  platform: string;
  /** When the run started (ISO 8601, UTC). */
  date: string;
  /**
   * Load averages when the run started and when it ended: others may share the machine, and a load
   * above the core count means the figures include waiting for a CPU.
   */
  loadAverage: { before: LoadAverage; after?: LoadAverage };
  /** The commit measured (`git rev-parse HEAD` when the run started); "unknown" without git; absent in older files. */
  commit?: string;
  /**
   * Whether the tree differed from that commit (`git status --porcelain`, untracked files included,
   * the result files the harness itself writes left out); absent when not known.
   */
  dirty?: boolean;
}

/** The files a run writes: changes to them are not changes to the code measured. */
const HARNESS_OUTPUTS = ['bench/results.json', 'bench/soak-results.json'];

/** Runs git in `cwd`: its exit status and output (null status when git could not be run). */
export type GitRunner = (args: string[], cwd: string) => { status: number | null; stdout: string };

const runGit: GitRunner = (args, cwd) => {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { status: run.error ? null : run.status, stdout: run.stdout ?? '' };
};

/** The commit checked out in `cwd` and whether the tree has changes: `{ commit: 'unknown' }` without git or a repository. */
export function gitState(
  cwd = resolve(import.meta.dirname, '..'),
  git: GitRunner = runGit,
): Pick<MachineInfo, 'commit' | 'dirty'> {
  const head = git(['rev-parse', 'HEAD'], cwd);
  const commit = head.stdout.trim();
  if (head.status !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) return { commit: 'unknown' };
  const status = git(
    ['status', '--porcelain', '--', '.', ...HARNESS_OUTPUTS.map((path) => `:(top,exclude)${path}`)],
    cwd,
  );
  return status.status === 0 ? { commit, dirty: status.stdout.trim() !== '' } : { commit };
}

/** "at commit abc1234", "at commit abc1234 with local changes", "commit unknown (no git)", "commit not recorded". */
export function describeCommit(machine: Pick<MachineInfo, 'commit' | 'dirty'>): string {
  if (machine.commit === undefined) return 'commit not recorded';
  if (machine.commit === 'unknown') return 'commit unknown (no git)';
  const changes =
    machine.dirty === true
      ? ' with local changes'
      : machine.dirty === undefined
        ? ' (local changes not known)'
        : '';
  return `at commit ${machine.commit.slice(0, 7)}${changes}`;
}

/** The machine's load averages now. */
export function currentLoad(): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const r = (value: number) => Math.round(value * 100) / 100;
  return [r(one), r(five), r(fifteen)];
}

/** CPU model and count, usable cores, Node version, OS, the time of the run, the machine's load then and the commit. */
export function machineInfo(): MachineInfo {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cpuCount: all.length,
    cores: availableParallelism(),
    node: process.version,
    platform: `${process.platform} ${process.arch} ${release()}`,
    date: new Date().toISOString(),
    loadAverage: { before: currentLoad() },
    ...gitState(),
  };
}

/**
 * "load 1.20 / 0.90 / 0.70 → 1.50 / 1.00 / 0.80 (1, 5, 15 min)"; result files from before the
 * before/after record held the 1-minute figure at the start only.
 */
export function describeLoad(load: MachineInfo['loadAverage'] | number): string {
  if (typeof load === 'number') return `load ${load.toFixed(2)} (1 min, at the start)`;
  const f = (l: LoadAverage) => l.map((v) => v.toFixed(2)).join(' / ');
  return `load ${f(load.before)}${load.after ? ` → ${f(load.after)}` : ''} (1, 5, 15 min)`;
}
