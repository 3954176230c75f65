import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    // npx runs tsx which runs node: signal the whole process group so nothing is left behind.
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) resolve(match);
      };
      child.stdout?.on('data', check);
      child.on('exit', () => reject(new Error(`exited before printing ${pattern}: ${stdout}${stderr}`)));
      check();
    });
  return { child, exited, output, waitFor };
}

describe('npm run server (server/cli.ts)', () => {
  it('prints the URL and the labelled development users, then answers /health', async () => {
    const server = run('npx', ['tsx', 'server/cli.ts', '--port', '0', '--db', ':memory:']);
    const [, url] = await server.waitFor(/listening on (https?:\/\/\S+)/);
    await server.waitFor(/admin \/ admin-password/);
    const { stdout } = server.output();
    expect(stdout).toMatch(/DEVELOPMENT SEED DATA/);
    expect(stdout).toMatch(/demo \/ demo-password\s+\(role user, "Demo User"\)/);
    expect(stdout).toMatch(/admin \/ admin-password\s+\(role admin, "Admin User"\)/);

    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('closes cleanly with exit code 0 on SIGTERM', async () => {
    // Run node directly (not through npx) so the signal and the exit code are this process's own.
    const server = run(process.execPath, [
      '--import',
      'tsx',
      'server/cli.ts',
      '--port',
      '0',
      '--db',
      ':memory:',
      '--no-seed',
    ]);
    const [, url] = await server.waitFor(/listening on (https?:\/\/\S+)/);
    expect(server.output().stdout).not.toMatch(/demo-password/);
    // The request log is written in batches: a line still queued at SIGTERM comes out before the end.
    expect((await fetch(`${url}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toMatch(/\nGET \/health 200 \d+ms\nSIGTERM: closing\n/);
  });

  it('exits with code 2 and names the flag for an invalid value', async () => {
    const server = run('npx', ['tsx', 'server/cli.ts', '--port', 'eighty']);
    expect(await server.exited).toBe(2);
    expect(server.output().stderr).toContain('--port');
  });

  it('exits with code 2 and names the variable for an invalid env value', async () => {
    const server = run('npx', ['tsx', 'server/cli.ts'], { TESSERA_SERVER_ALG: 'none' });
    expect(await server.exited).toBe(2);
    expect(server.output().stderr).toContain('TESSERA_SERVER_ALG');
  });
});
