// Where a figure was measured: every result file carries it.
import { availableParallelism, cpus, loadavg, release } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run started: others share this machine, so figures vary. */
  loadAverage: number;
}

/** CPU model, usable cores, Node version, OS, the time of the run and the machine's load then. */
export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    platform: `${process.platform} ${process.arch} ${release()}`,
    date: new Date().toISOString(),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
