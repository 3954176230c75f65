import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    // npx runs tsx which runs node: signal the whole process group so nothing is left behind, also
    // when the group's first process has ended (`npm run server` killed, its server possibly not).
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, ipc = false) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
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

/** `node --import tsx server/cli.ts …`: the server itself, with no npx, tsx or shell in between. */
const CLI = ['--import', 'tsx', 'server/cli.ts'];

/** A loopback port that was free a moment ago (for a server whose banner cannot be read). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True while something answers /health at `url`. */
async function answers(url: string | undefined): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

describe('npm run server: stopping', () => {
  it('closes cleanly on SIGHUP (a closed terminal)', async () => {
    const server = run(process.execPath, [...CLI, '--port', '0', '--db', ':memory:', '--no-seed']);
    await server.waitFor(/listening on/);
    server.child.kill('SIGHUP');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toContain('SIGHUP: closing');
  });

  it('closes when its launcher closes the IPC channel (npm start stopping it, or ending in any way)', async () => {
    const server = run(process.execPath, [...CLI, '--port', '0', '--db', ':memory:', '--no-seed'], {}, true);
    const [, url] = await server.waitFor(/listening on (https?:\/\/\S+)/);
    server.child.disconnect();
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toContain('disconnected: closing');
    expect(await answers(url)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')(
    'stops when the npm process of `npm run server` is killed (npm → sh → node)',
    async () => {
      const npm = run('npm', [
        'run',
        '--silent',
        'server',
        '--',
        '--port',
        '0',
        '--db',
        ':memory:',
        '--no-seed',
      ]);
      const [, url] = await npm.waitFor(/listening on (https?:\/\/\S+)/);
      npm.child.kill('SIGTERM');
      await npm.exited;
      // npm is gone at once; the server (whose stdout is the same pipe) notices that its parent went.
      await expect.poll(() => answers(url), { timeout: 10_000, interval: 200 }).toBe(false);
      await expect
        .poll(() => npm.output().stdout, { timeout: 5_000 })
        .toMatch(/(SIGTERM|parent process ended): closing/);
    },
  );

  it('keeps serving, without an EPIPE crash, when whoever read its output has gone', async () => {
    const port = await freePort();
    const server = run(process.execPath, [...CLI, '--port', String(port), '--db', ':memory:', '--no-seed']);
    // As when `npm start` is stopped by Ctrl+C while its server starts: the banner goes to a closed pipe.
    server.child.stdout?.destroy();
    const url = `http://127.0.0.1:${port}`;
    await expect.poll(() => answers(url), { timeout: 20_000, interval: 200 }).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().stderr).not.toContain('EPIPE');
  });
});

describe('npm run server: a database it cannot open', () => {
  it('names the file and the likely cause (a folder that is not writable)', async (context) => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-ro-'));
    const db = join(dir, 'x.db');
    writeFileSync(db, '');
    // root writes through file modes: there, the immutable attribute makes the folder read-only.
    const root = process.getuid?.() === 0;
    const locked = root
      ? spawnSync('chattr', ['+i', dir]).status === 0
      : spawnSync('chmod', ['555', dir]).status === 0;
    try {
      const probe = join(dir, 'probe');
      let writable = true;
      try {
        writeFileSync(probe, '');
      } catch {
        writable = false;
      }
      if (!locked || writable) {
        console.log(
          '[cli.test] skipped: cannot make a folder read-only here (chattr +i / chmod 555 had no effect)',
        );
        context.skip();
      }
      const server = run(process.execPath, [...CLI, '--port', '0', '--db', db, '--no-seed']);
      expect(await server.exited).toBe(1);
      const { stderr } = server.output();
      expect(stderr).toContain(`cannot open the database ${db}`);
      expect(stderr).toContain('folder missing or not writable');
    } finally {
      if (root) spawnSync('chattr', ['-i', dir]);
      else spawnSync('chmod', ['755', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
