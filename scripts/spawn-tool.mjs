// Spawns npm, npx and the tools of node_modules/.bin the same way on every OS. On Windows those are
// .cmd shims: a bare name ("npx") is not found without PATHEXT (spawn ENOENT), and since the April 2024
// security releases (CVE-2024-27980) Node refuses to run a .cmd or .bat without a shell (spawn EINVAL).
// So on Windows the name is resolved through PATH and PATHEXT, and a batch file runs through cmd.exe
// with every argument quoted for the C runtime and caret-escaped for cmd — twice, because the shim
// hands `%*` to a second round of cmd parsing. Elsewhere it is a plain spawn, unchanged.
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { win32 } from 'node:path';

/** cmd.exe's special characters, escaped with a caret (the set cross-spawn and qntm.org/cmd use). */
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** An environment variable, by name in any case (Windows names are case-insensitive). */
function envValue(env, name) {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function isFileOnDisk(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Where Windows finds `command`: itself (with a path), or the first PATH folder holding it with one of
 * PATHEXT's extensions (the name as given first when it already has one). Null when nowhere.
 * @param {string} command
 * @param {{ env: Record<string, string | undefined>, cwd: string, isFile: (path: string) => boolean }} options
 */
export function resolveWindowsCommand(command, { env, cwd, isFile }) {
  const extensions = (envValue(env, 'PATHEXT') ?? DEFAULT_PATHEXT)
    .split(';')
    .filter(Boolean)
    .map((ext) => ext.toLowerCase());
  const hasExtension = extensions.includes(win32.extname(command).toLowerCase());
  const names = [...(hasExtension ? [command] : []), ...extensions.map((ext) => `${command}${ext}`)];
  const folders = /[\\/]/.test(command)
    ? [cwd]
    : (envValue(env, 'PATH') ?? '')
        .split(';')
        .map((dir) => dir.replace(/^"(.*)"$/, '$1'))
        .filter(Boolean);
  for (const folder of folders) {
    for (const name of names) {
      const candidate = win32.resolve(folder, name);
      if (isFile(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * One argument for a C-runtime program (CommandLineToArgvW rules: backslashes double only before a
 * quote or the end), then caret-escaped for cmd.exe `rounds` times.
 * @param {string} arg
 * @param {number} rounds
 */
export function quoteForCmd(arg, rounds) {
  let quoted = `"${String(arg)
    .replace(/(\\*)"/g, '$1$1\\"')
    .replace(/(\\*)$/, '$1$1')}"`;
  for (let i = 0; i < rounds; i++) quoted = quoted.replace(CMD_META, '^$1');
  return quoted;
}

/**
 * How to spawn `command args` on `platform`: the file, its arguments and whether Node must pass them
 * verbatim. Pure (the file system is asked through `isFile`), so the Windows rules are tested anywhere.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ platform?: NodeJS.Platform, env?: Record<string, string | undefined>, cwd?: string, isFile?: (path: string) => boolean }} [options]
 * @returns {{ file: string, args: string[], windowsVerbatimArguments?: true }}
 */
export function toolCommand(command, args, options = {}) {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') return { file: command, args: [...args] };
  const env = options.env ?? process.env;
  const resolved = resolveWindowsCommand(command, {
    env,
    cwd: options.cwd ?? process.cwd(),
    isFile: options.isFile ?? isFileOnDisk,
  });
  // Not found: spawn the name as given and let it fail with ENOENT, which callers report.
  if (resolved === null) return { file: command, args: [...args] };
  if (!/\.(cmd|bat)$/i.test(resolved)) return { file: resolved, args: [...args] };
  // cmd /s strips the outer quotes; the shim's path is quoted (a path holds no quote), the arguments
  // are escaped for cmd's two rounds: this line, then the shim's own `%*`.
  const line = [`"${resolved}"`, ...args.map((arg) => quoteForCmd(arg, 2))].join(' ');
  return {
    file: envValue(env, 'COMSPEC') ?? 'cmd.exe',
    args: ['/d', '/s', '/c', `"${line}"`],
    windowsVerbatimArguments: true,
  };
}

function prepare(command, args, options) {
  const plan = toolCommand(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd === undefined ? process.cwd() : String(options.cwd),
  });
  const spawnOptions = plan.windowsVerbatimArguments
    ? { ...options, windowsVerbatimArguments: true }
    : options;
  return [plan.file, plan.args, spawnOptions];
}

/**
 * `child_process.spawn` for a tool that may be a .cmd shim on Windows (npm, npx, vitest, playwright…).
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function spawnTool(command, args, options = {}) {
  return spawn(...prepare(command, args, options));
}

/**
 * `child_process.spawnSync` for a tool that may be a .cmd shim on Windows.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
export function spawnToolSync(command, args, options = {}) {
  return spawnSync(...prepare(command, args, options));
}
