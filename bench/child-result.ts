// What a benchmark's own child process answers: the JSON on the last line of its standard output.
// Used where a figure is measured in a fresh process (silentSignIn, mainStart, loginFlood).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** The JSON value on the last line of `stdout` (earlier lines may be anything the child printed). */
export function lastJsonLine<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;
}

/**
 * Runs `node <args>` with stdin closed and stderr passed through, and resolves with the JSON on the
 * last line it printed; rejects, naming `what`, when it exits with anything but 0.
 */
export async function childResult<T>(args: readonly string[], what: string): Promise<T> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  // 'close', not 'exit': at 'exit' the child's stdout may still hold unread output (its last line).
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${what} exited with ${code}`);
  return lastJsonLine<T>(out);
}
