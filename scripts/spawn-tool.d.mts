// Types for spawn-tool.mjs (a plain .mjs so the scripts run with no build step).
import type {
  ChildProcess,
  SpawnOptions,
  SpawnSyncOptions,
  SpawnSyncOptionsWithStringEncoding,
  SpawnSyncReturns,
} from 'node:child_process';

export interface ToolCommand {
  file: string;
  args: string[];
  windowsVerbatimArguments?: true;
}

export interface ToolCommandOptions {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  cwd?: string;
  isFile?: (path: string) => boolean;
}

export declare function resolveWindowsCommand(
  command: string,
  options: { env: Record<string, string | undefined>; cwd: string; isFile: (path: string) => boolean },
): string | null;
export declare function quoteForCmd(arg: string, rounds: number): string;
export declare function toolCommand(
  command: string,
  args: readonly string[],
  options?: ToolCommandOptions,
): ToolCommand;
export declare function spawnTool(
  command: string,
  args: readonly string[],
  options?: SpawnOptions,
): ChildProcess;
export declare function spawnToolSync(
  command: string,
  args: readonly string[],
  options: SpawnSyncOptionsWithStringEncoding,
): SpawnSyncReturns<string>;
export declare function spawnToolSync(
  command: string,
  args: readonly string[],
  options?: SpawnSyncOptions,
): SpawnSyncReturns<Buffer | string>;
