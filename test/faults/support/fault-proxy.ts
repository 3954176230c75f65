// A loopback proxy in front of the reference server for faults its own failNext cannot make: the
// server answers for real (so a refresh really rotates) and the proxy then breaks the answer on its
// way back — cuts the body off mid-way, or rewrites the JSON — or answers in the server's place.

import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll } from 'vitest';

/** How to break the next answer on a path. */
export type ProxyFault =
  /** Status line and headers (with the full Content-Length) go out, then half the body, then a reset. */
  | { kind: 'cutBody' }
  /** The JSON body is passed through `rewrite` (Content-Length fixed up). */
  | { kind: 'rewrite'; rewrite: (body: Record<string, unknown>) => unknown }
  /** The proxy answers itself, as a gateway in front of the server would; the server sees nothing. */
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string };

export interface FaultProxy {
  url: string;
  /** Breaks the next answer to `path` (each queued fault is used once). */
  breakNext(path: string, fault: ProxyFault): void;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 for `target` (an http:// loopback URL). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const queue: Array<{ path: string; fault: ProxyFault }> = [];
  const take = (path: string): ProxyFault | undefined => {
    const index = queue.findIndex((entry) => entry.path === path);
    return index < 0 ? undefined : queue.splice(index, 1)[0]?.fault;
  };

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', target).pathname;
    const fault = take(path);
    const body = await buffer(req);
    if (fault?.kind === 'answer') {
      res.writeHead(fault.status, fault.headers).end(fault.body);
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      async (answer) => {
        const payload = await buffer(answer);
        const headers = { ...answer.headers };
        if (!fault) {
          res.writeHead(answer.statusCode ?? 502, headers).end(payload);
        } else if (fault.kind === 'cutBody') {
          res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(payload.length) });
          res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
        } else {
          const rewritten = Buffer.from(JSON.stringify(fault.rewrite(JSON.parse(payload.toString('utf8')))));
          res
            .writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(rewritten.length) })
            .end(rewritten);
        }
      },
    );
    forward.on('error', () => res.socket?.destroy());
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    breakNext(path, fault) {
      queue.push({ path, fault });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A running proxy as tests see it (its lifetime belongs to useFaultProxy). */
export type ProxyControls = Omit<FaultProxy, 'close'>;

/**
 * A fault proxy in front of `target()` for one test file: started before its tests, closed after.
 * The returned object forwards to the running proxy, so tests use it like a started one.
 */
export function useFaultProxy(target: () => string): ProxyControls {
  let proxy: FaultProxy | undefined;
  const running = (): FaultProxy => {
    if (!proxy) throw new Error('the fault proxy is used before its beforeAll ran');
    return proxy;
  };
  beforeAll(async () => {
    proxy = await startFaultProxy(target());
  });
  afterAll(async () => {
    await proxy?.close();
  });
  return {
    get url() {
      return running().url;
    },
    breakNext: (path, fault) => running().breakNext(path, fault),
  };
}
