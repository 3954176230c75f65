import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from './errors';
import { answeredByHttpLayer, cutPath, escapeControl, rawPath } from './request-log';
import type { UnparsableRequestDeps } from './unparsable-request';

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'RequestHeaderFieldsTooLargeError',
    'The request headers are larger than 16 KiB',
  ],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PayloadTooLargeError', 'The chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'RequestTimeoutError', 'The request did not arrive in time'],
};
const UNREADABLE: [number, string, string] = [400, 'BadRequestError', 'The request cannot be read'];

// The request line at the start of what node had read when it gave up (`rawPacket`), if it is there.
const REQUEST_LINE = /^([!#$%&'*+.^`|~\w-]{1,32}) (\S+) HTTP\/\d\.\d\r?\n/;

/**
 * The server's `clientError` listener: what node's HTTP layer answered itself (a request it cannot
 * parse: 400; headers over 16 KiB: 431; a request too slow to arrive: 408) gets what every other error
 * gets: `{error, message}` as JSON, `Cache-Control: no-store`, `nosniff` (and HSTS under TLS), one log
 * line and an entry in the request record, then the connection is closed, as node closes it. The method
 * and path are those of the request line when node had read it, else `-`. A request the app already
 * has (its body timed out) is logged by the app, as 408. A connection the client reset gets nothing.
 */
export function clientErrorListener(deps: UnparsableRequestDeps) {
  return (err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void => {
    const answer =
      (err.code !== undefined && ANSWERS[err.code]) || (err.code?.startsWith('HPE_') && UNREADABLE);
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
    // As node: nothing is written into an answer already under way, or to a socket that cannot take it.
    if (!answer || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, error, message] = answer;
    const body = JSON.stringify({ error, message } satisfies ErrorBody);
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
      ...deps.headers,
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
    socket.destroy();
    if (inFlight !== undefined) {
      answeredByHttpLayer(socket, status);
      return;
    }
    const line = REQUEST_LINE.exec(err.rawPacket?.subarray(0, 17 * 1024).toString('latin1') ?? '');
    const method = line?.[1] ?? '-';
    const path =
      line?.[2] === undefined
        ? '-'
        : cutPath(rawPath(line[2].startsWith('/') ? `http://x${line[2]}` : line[2]));
    deps.record({ method, path, status });
    deps.log(`${escapeControl(method)} ${escapeControl(path)} ${status} 0ms`);
  };
}
