// A loopback stand-in that answers the connect wizard's probe the way Django REST framework SimpleJWT
// documents it (DRF's 400 field errors for an empty POST /api/token/), and 404 to everything else.
// Not a SimpleJWT server: the real one is probed in test/interop/django.test.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The stand-in as specs see it. */
export interface StandInServer {
  url: string;
  /** `METHOD /path` of every request received, in order. */
  requests(): string[];
  stop(): Promise<void>;
}

/** Starts the SimpleJWT-like stand-in on a free loopback port. */
export async function startSimpleJwtStandIn(): Promise<StandInServer> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const token = req.method === 'POST' && req.url === '/api/token/';
      res.writeHead(token ? 400 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          token
            ? { username: ['This field is required.'], password: ['This field is required.'] }
            : { detail: 'Not found.' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
