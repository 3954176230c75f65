// bench/child-result.ts: how a benchmark reads the figure its fresh child process printed.
import { describe, expect, it } from 'vitest';
import { childResult, lastJsonLine } from '../../bench/child-result';

describe('childResult', () => {
  it('resolves with the JSON of the last line the child printed, whatever came before', async () => {
    const script = "console.log('warming up'); console.log(JSON.stringify({ ms: 12.5, ok: true }));";
    expect(await childResult(['-e', script], 'the test child')).toEqual({ ms: 12.5, ok: true });
  });

  it('waits for the output to end, not only for the child to exit', async () => {
    // The child exits at once; a process it started, holding the same stdout, prints the line 200 ms
    // later. At 'exit' nothing has been printed yet; the output ends ('close') after the line.
    const late = 'setTimeout(() => console.log(JSON.stringify({ late: true })), 200)';
    const script = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(late)}], { stdio: ['ignore', 'inherit', 'inherit'] }).unref(); process.exit(0);`;
    expect(await childResult(['-e', script], 'the test child')).toEqual({ late: true });
  });

  it('rejects, naming the child, when it exits with anything but 0', async () => {
    const script = 'console.log(JSON.stringify({ ms: 1 })); process.exit(3);';
    await expect(childResult(['-e', script], 'the test child')).rejects.toThrow(
      'the test child exited with 3',
    );
  });
});

describe('lastJsonLine', () => {
  it('reads the last line, and fails on a last line that is not JSON', () => {
    expect(lastJsonLine('a\nb\n{"x":1}\n')).toEqual({ x: 1 });
    expect(() => lastJsonLine('{"x":1}\ndone\n')).toThrow(SyntaxError);
  });
});
