// scripts/spawn-tool.mjs: how npm, npx and node_modules/.bin tools are spawned. Windows cannot run
// here, so its rules are tested as the pure function they are — resolution through PATH/PATHEXT, and
// the cmd.exe line decoded by a model of cmd's two parsing rounds and the C runtime's argv rules —
// while on this machine real shims run through the helper and through the scripts that use it.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteForCmd, spawnToolSync, toolCommand } from '../../scripts/spawn-tool.mjs';

const WIN_ENV = {
  Path: 'C:\\Windows\\system32;"C:\\Program Files\\nodejs";C:\\work\\node_modules\\.bin',
  PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS',
  ComSpec: 'C:\\Windows\\system32\\cmd.exe',
};
const WIN_FILES = new Set([
  'C:\\Windows\\system32\\cmd.exe',
  'C:\\Program Files\\nodejs\\node.exe',
  'C:\\Program Files\\nodejs\\npm.cmd',
  'C:\\Program Files\\nodejs\\npx.cmd',
  'C:\\work\\node_modules\\.bin\\vitest.cmd',
  'C:\\work\\node_modules\\.bin\\playwright.cmd',
  'C:\\work\\tools\\build.bat',
]);
const onWindows = (command: string, args: string[]) =>
  toolCommand(command, args, {
    platform: 'win32',
    env: WIN_ENV,
    cwd: 'C:\\work',
    isFile: (path) => WIN_FILES.has(path),
  });

/** Arguments that break naive quoting: spaces, quotes, backslashes, and every cmd.exe special. */
const TRICKY = [
  'plain',
  'with space',
  '',
  'a"b',
  'a\\"b',
  'trailing\\',
  'C:\\Program Files\\dir\\',
  '\\\\server\\share',
  '&calc',
  'a&b|c<d>e',
  '"quoted & evil"',
  'x" & echo injected & "',
  '^caret^',
  '%PATH%',
  '!bang!',
  '(paren) [bracket]',
  'semi;colon,comma=eq',
  'tab\there',
  'ünïcode ✓',
  '--grep=wrong password',
];

/** Phase 1 of cmd /c: %NAME% is replaced when NAME is set (here: PATH); anything else stays. */
function expandPercent(line: string, env: Record<string, string>): string {
  return line.replace(/%([^%]+)%/g, (match, name: string) => env[name.toUpperCase()] ?? match);
}

/**
 * Phase 2 of cmd's parsing: outside quotes a caret takes the next character literally and an unescaped
 * & | < > would end the command (an injection: the model refuses it); quotes toggle quoting and stay.
 */
function cmdPhase2(line: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '^') {
      i++;
      out += line.charAt(i);
      continue;
    } else if (!quoted && '&|<>'.includes(c)) throw new Error(`cmd would run a second command at "${c}"`);
    out += c;
  }
  return out;
}

/** The C runtime's argv (CommandLineToArgvW rules, with `""` inside quotes as a literal quote). */
function crtArgv(line: string): string[] {
  const argv: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    while (i < line.length) {
      const c = line.charAt(i);
      if (c === '\\') {
        let n = 0;
        while (line[i + n] === '\\') n++;
        if (line[i + n] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) {
            arg += '"';
            i += n + 1;
          } else i += n;
        } else {
          arg += '\\'.repeat(n);
          i += n;
        }
      } else if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i++;
        }
      } else if (!quoted && (c === ' ' || c === '\t')) break;
      else {
        arg += c;
        i++;
      }
    }
    argv.push(arg);
  }
  return argv;
}

/**
 * What the program behind a .cmd shim receives: `cmd /d /s /c "<line>"` strips the outer quotes,
 * expands and parses the line; the shim's own line `"node" "tool.js" %*` parses the rest once more;
 * node's C runtime splits it into argv.
 */
function argvThroughShim(plan: { file: string; args: string[] }): { shim: string; argv: string[] } {
  expect(plan.args.slice(0, 3)).toEqual(['/d', '/s', '/c']);
  const wrapped = plan.args[3] ?? '';
  expect(wrapped.startsWith('"') && wrapped.endsWith('"')).toBe(true);
  const line = cmdPhase2(expandPercent(wrapped.slice(1, -1), { PATH: 'C:\\Windows' }));
  const match = line.match(/^"([^"]+)" ?(.*)$/s);
  if (!match) throw new Error(`no quoted shim path at the start of ${line}`);
  const [, shim = '', rest = ''] = match;
  return { shim, argv: crtArgv(cmdPhase2(rest)) };
}

describe('toolCommand() on Windows', () => {
  it('resolves npx through PATH and PATHEXT to its .cmd shim and runs it through cmd.exe', () => {
    const plan = onWindows('npx', ['electron-vite', 'build']);
    expect(plan.file).toBe('C:\\Windows\\system32\\cmd.exe');
    expect(plan.windowsVerbatimArguments).toBe(true);
    expect(argvThroughShim(plan)).toEqual({
      shim: 'C:\\Program Files\\nodejs\\npx.cmd',
      argv: ['electron-vite', 'build'],
    });
  });

  it('finds the tools of node_modules/.bin that npm puts on PATH (vitest, playwright)', () => {
    expect(argvThroughShim(onWindows('vitest', ['run'])).shim).toBe(
      'C:\\work\\node_modules\\.bin\\vitest.cmd',
    );
    expect(argvThroughShim(onWindows('playwright', ['test'])).shim).toBe(
      'C:\\work\\node_modules\\.bin\\playwright.cmd',
    );
  });

  it('passes every argument through both cmd rounds and the C runtime unchanged, with no injection', () => {
    expect(argvThroughShim(onWindows('npm', TRICKY)).argv).toEqual(TRICKY);
  });

  it('is what the model catches: arguments escaped for one cmd round only break through the shim', () => {
    const once = TRICKY.map((arg) => quoteForCmd(arg, 1)).join(' ');
    expect(() => crtArgv(cmdPhase2(cmdPhase2(once)))).toThrow(/second command/);
  });

  it('runs an .exe directly, with its arguments as they are', () => {
    expect(onWindows('node', ['-e', 'x & y'])).toEqual({
      file: 'C:\\Program Files\\nodejs\\node.exe',
      args: ['-e', 'x & y'],
    });
  });

  it('resolves a relative path against the working folder and a name that has its extension', () => {
    expect(argvThroughShim(onWindows('tools\\build', ['a b'])).shim).toBe('C:\\work\\tools\\build.bat');
    expect(argvThroughShim(onWindows('npm.cmd', [])).shim).toBe('C:\\Program Files\\nodejs\\npm.cmd');
  });

  it('leaves a name found nowhere to fail as ENOENT, which the scripts report', () => {
    expect(onWindows('dbus-send', ['--session'])).toEqual({ file: 'dbus-send', args: ['--session'] });
  });
});

describe('toolCommand() elsewhere', () => {
  it.each(['linux', 'darwin'] as const)('is a plain spawn on %s', (platform) => {
    expect(toolCommand('npx', ['a b', '&c'], { platform, env: WIN_ENV })).toEqual({
      file: 'npx',
      args: ['a b', '&c'],
    });
  });
});

describe('spawning real shims on this machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-spawn-tool-'));
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const script = join(dir, 'echo-args.js');
  writeFileSync(script, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
  // A shim as npm writes it on POSIX systems: a shell script handing "$@" to node.
  const shim = join(bin, 'echo-args');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  chmodSync(shim, 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a node_modules/.bin shim found on PATH with every argument intact', () => {
    const result = spawnToolSync('echo-args', TRICKY, { env, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(TRICKY);
  });

  it('is what scripts/with-keyring.mjs runs its command with', () => {
    const result = spawnSync(process.execPath, ['scripts/with-keyring.mjs', 'echo-args', ...TRICKY], {
      env: { ...env, TESSERA_KEYRING_READY: '1' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(TRICKY);
  });

  it('is used by every script that spawns npm, npx or a tool (none spawns them bare)', () => {
    for (const file of ['scripts/start.mjs', 'scripts/with-keyring.mjs', 'e2e/global-setup.ts']) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).toMatch(/spawnTool(Sync)?\(/);
      expect(code, file).not.toMatch(/\bspawn(Sync)?\(\s*['"](npm|npx|vitest|playwright|tsx)['"]/);
    }
  });
});
