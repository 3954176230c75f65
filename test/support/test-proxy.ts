// A forward proxy for tests: plain-HTTP requests in absolute form and CONNECT tunnels (https), with
// optional Basic authentication, recording what went through it. Loopback only.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';

/** One request the proxy saw. */
export interface ProxiedRequest {
  /** `GET http://127.0.0.1:4000/login` or `CONNECT 127.0.0.1:4443`. */
  line: string;
  /** 407 when it asked for credentials, else what it relayed (200 for an opened tunnel). */
  status: number;
  /** The user name it accepted, if any. */
  user: string | null;
}

export interface TestProxy {
  url: string;
  port: number;
  seen: ProxiedRequest[];
  close(): Promise<void>;
}

/** Starts the proxy; with `credentials`, anything without the right Proxy-Authorization gets 407. */
export async function startTestProxy(
  credentials?: { username: string; password: string; realm?: string },
  /** Names only this proxy resolves (e.g. `api.corp.test` → 127.0.0.1): reaching one proves the proxy was used. */
  hosts: Readonly<Record<string, string>> = {},
): Promise<TestProxy> {
  const resolveHost = (host: string) => hosts[host] ?? host;
  const seen: ProxiedRequest[] = [];
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    : null;
  const challenge = { 'Proxy-Authenticate': `Basic realm="${credentials?.realm ?? 'Test proxy'}"` };
  const allowed = (header: string | undefined) => expected === null || header === expected;
  const user = () => credentials?.username ?? null;

  const server: Server = createServer((incoming, outgoing) => {
    const line = `${incoming.method} ${incoming.url}`;
    if (!allowed(incoming.headers['proxy-authorization'])) {
      seen.push({ line, status: 407, user: null });
      outgoing.writeHead(407, { ...challenge, 'Content-Length': '0' }).end();
      return;
    }
    const target = URL.parse(incoming.url ?? '');
    if (target === null || target.protocol !== 'http:') {
      outgoing.writeHead(400).end();
      return;
    }
    const headers = { ...incoming.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: resolveHost(target.hostname),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: incoming.method,
        headers,
      },
      (answer) => {
        seen.push({ line, status: answer.statusCode ?? 0, user: user() });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('error', () => outgoing.destroy());
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  server.on('connect', (incoming, socket, head) => {
    // The server hands a CONNECT's socket over with no error listener of its own: a client that resets
    // it (Chromium, after a 407, before the answer is written out) must not be an uncaught ECONNRESET.
    socket.on('error', () => socket.destroy());
    const line = `CONNECT ${incoming.url}`;
    if (!allowed(incoming.headers['proxy-authorization'])) {
      seen.push({ line, status: 407, user: null });
      socket.end(
        `HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${challenge['Proxy-Authenticate']}\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    const [host, port] = (incoming.url ?? '').split(':');
    const upstream = connect(Number(port), resolveHost(host ?? ''), () => {
      seen.push({ line, status: 200, user: user() });
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
