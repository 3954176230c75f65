import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE_URL = pathToFileURL(join(import.meta.dirname, 'closed-output.ts')).href;

/**
 * A real process, run as main is (Node's console on a piped stdout), whose stdout's reader has gone away
 * (the terminal or `npm start` that read it exited); it then logs a few lines with console.log and
 * console.error. Resolves with its exit code and what it wrote to stderr.
 */
async function logAfterReaderLeft(): Promise<{ code: number | null; stderr: string }> {
  const program = `
    const { ignoreClosedOutput } = await import(${JSON.stringify(MODULE_URL)});
    ignoreClosedOutput();
    process.stdin.once('data', async () => {
      for (let i = 0; i < 20; i += 1) {
        console.log('a line nobody reads ' + i);
        await new Promise((next) => setImmediate(next));
      }
      process.stderr.write('still running');
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = once(child, 'exit');
  child.stdout.destroy();
  await once(child.stdout, 'close');
  child.stdin.write('go\n');
  const [code] = (await exited) as [number | null];
  return { code, stderr };
}

describe('ignoreClosedOutput()', () => {
  it('drops console lines written to a stdout nobody reads, instead of an uncaught EPIPE error', async () => {
    const { code, stderr } = await logAfterReaderLeft();
    expect(stderr).not.toMatch(/EPIPE/);
    expect(stderr).toBe('still running');
    expect(code).toBe(0);
  });
});
