import type { MachineInfo } from '../../bench/machine';

/** The machine facts of a made-up run (a 2-core test box, quiet), with `overrides` for what a test varies. */
export function testMachine(overrides: Partial<MachineInfo> = {}): MachineInfo {
  return {
    cpu: 'Test CPU',
    cpuCount: 2,
    cores: 2,
    node: 'v20.20.2',
    platform: 'linux x64 test',
    date: '2026-12-01T12:00:00.000Z',
    loadAverage: { before: [0.5, 0.4, 0.3], after: [0.5, 0.4, 0.3] },
    ...overrides,
  };
}
