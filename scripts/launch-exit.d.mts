// Types for launch-exit.mjs (a plain .mjs so `npm start` needs no build step).
export declare function exitStatus(
  code: number | null,
  signal: NodeJS.Signals | null,
  signals?: Readonly<Record<string, number>>,
): number;

export interface LaunchFailure {
  status: number;
  /** The end of what the app wrote to stderr. */
  stderr: string;
  electronPath: string;
  platform: NodeJS.Platform;
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns is 1. */
  userNamespacesRestricted: boolean;
  signal: NodeJS.Signals | null;
}

export declare function launchFailureHelp(failure: LaunchFailure): string | null;
