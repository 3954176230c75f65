// Where a figure was measured: every result file carries it.
import { availableParallelism, cpus, loadavg, release } from 'node:os';

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
}

/** The machine's load averages now. */
export function currentLoad(): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const r = (value: number) => Math.round(value * 100) / 100;
  return [r(one), r(five), r(fifteen)];
}

/** CPU model and count, usable cores, Node version, OS, the time of the run and the machine's load then. */
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
