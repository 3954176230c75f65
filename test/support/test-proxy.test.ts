// The test proxy of test/faults/chromium-proxy.test.ts must survive what clients do to it: Chromium
// resets a tunnel's connection after a 407 at times, and an uncaught ECONNRESET from that failed a CI run.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from './test-proxy';

let proxy: TestProxy;
beforeAll(async () => {
  proxy = await startTestProxy({ username: 'alice', password: 'proxy-Pw-7' });
});
afterAll(() => proxy.close());

/** Sends a CONNECT without credentials and resets the connection at once, as a client may. */
function connectAndReset(): Promise<void> {
  return new Promise((done) => {
    const socket = connect(proxy.port, '127.0.0.1', () => {
      socket.write('CONNECT api.corp.test:443 HTTP/1.1\r\nHost: api.corp.test:443\r\n\r\n');
      setImmediate(() => {
        socket.resetAndDestroy();
        done();
      });
    });
    socket.on('error', () => {});
  });
}

describe('the test proxy', () => {
  it('takes CONNECTs reset by the client without an uncaught error, and keeps answering', async () => {
    // Before the fix every one of these was an uncaught ECONNRESET (vitest fails the run on those).
    for (let i = 0; i < 50; i++) await connectAndReset();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await new Promise<string>((done, fail) => {
      const socket = connect(proxy.port, '127.0.0.1', () => {
        socket.write('CONNECT api.corp.test:443 HTTP/1.1\r\nHost: api.corp.test:443\r\n\r\n');
      });
      socket.once('data', (chunk) => {
        done(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.on('error', fail);
    });
    expect(answer).toBe('HTTP/1.1 407 Proxy Authentication Required');
    expect(proxy.seen.filter((entry) => entry.status === 407).length).toBeGreaterThanOrEqual(1);
  });
});
