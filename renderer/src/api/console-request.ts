import { isNetworkError, isTimeoutError, NetworkError } from 'ky';
import type { ApiClient } from './client';

/** Methods the console offers. */
export const CONSOLE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** One of the console's methods. */
export type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

/** What the person typed. */
export interface ConsoleInput {
  method: ConsoleMethod;
  path: string;
  body: string;
}

/** A request that passed validation: the body is parsed JSON, or absent. */
export interface ValidRequest {
  method: ConsoleMethod;
  path: string;
  json?: unknown;
  /** Headers the person added (checked by validateHeaders); Authorization is always Tessera's. */
  headers?: Array<[string, string]>;
}

/** Why the input cannot be sent, per field. */
export type ConsoleProblem =
  | { field: 'path'; kind: 'pathInvalid' | 'pathDoubleSlash' | 'pathSpaces' }
  | { field: 'body'; kind: 'bodyInvalid'; detail: string }
  | { field: 'body'; kind: 'bodyNotAllowed' };

/** What came back, ready to show. */
export interface ConsoleResponse {
  status: number;
  statusText: string;
  durationMs: number;
  headers: Array<[string, string]>;
  contentType: string;
  /** Pretty-printed JSON, or the raw text; '' for an empty body. */
  body: string;
  isJson: boolean;
  /** Size of the full body in bytes, as it came, when it was cut to `BODY_LIMIT` characters. */
  truncatedFrom?: number;
}

/** Bodies longer than this are cut for display: a huge text node would freeze the window. */
export const BODY_LIMIT = 200_000;

/** Checks the input: a path on the API (not a URL), JSON for the body, no body on GET. */
export function validateConsoleInput(input: ConsoleInput): ValidRequest | ConsoleProblem {
  const path = input.path.trim();
  if (!path.startsWith('/')) return { field: 'path', kind: 'pathInvalid' };
  // "//host" would be a network-path reference: only paths on the configured API are allowed.
  if (path.startsWith('//')) return { field: 'path', kind: 'pathDoubleSlash' };
  if (/\s/.test(path)) return { field: 'path', kind: 'pathSpaces' };
  const text = input.body.trim();
  if (text === '') return { method: input.method, path };
  if (input.method === 'GET') return { field: 'body', kind: 'bodyNotAllowed' };
  try {
    return { method: input.method, path, json: JSON.parse(text) };
  } catch (error) {
    return {
      field: 'body',
      kind: 'bodyInvalid',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Narrows a validation result. */
export function isProblem(value: ValidRequest | ConsoleProblem): value is ConsoleProblem {
  return 'field' in value;
}

/** Bytes of a body the console keeps in memory; the rest is counted, not kept. */
const READ_LIMIT = 10 * 1024 * 1024;

/** JSON's whitespace, and what ends a literal (a number, true, false, null). */
const JSON_SPACE = new Set([' ', '\t', '\n', '\r']);
const LITERAL_END = new Set([' ', '\t', '\n', '\r', ',', ']', '}', ':']);

/**
 * Valid JSON indented by two spaces, with every token as the server wrote it: parsing and
 * serialising again would round a big number (12345678901234567890 → …000) and drop a repeated key.
 * A scan by hand, not a regular expression: one over a string of megabytes (a base64 image)
 * overflows V8's stack.
 */
function reindent(text: string): string {
  const parts: string[] = [];
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    let next = i + 1;
    if (c === '"') {
      // The text is valid JSON: the string ends at the first quote that is not escaped.
      while (text[next] !== '"') next += text[next] === '\\' ? 2 : 1;
      next += 1;
      parts.push(text.slice(i, next));
    } else if (c === '{' || c === '[') {
      let after = next;
      while (JSON_SPACE.has(text[after] as string)) after += 1;
      const close = c === '{' ? '}' : ']';
      // An empty object or array stays on one line, as JSON.stringify writes it.
      if (text[after] === close) {
        parts.push(c, close);
        next = after + 1;
      } else {
        depth += 1;
        parts.push(c, newline());
      }
    } else if (c === '}' || c === ']') {
      depth -= 1;
      parts.push(newline(), c);
    } else if (c === ',') parts.push(',', newline());
    else if (c === ':') parts.push(': ');
    else if (!JSON_SPACE.has(c)) {
      while (next < text.length && !LITERAL_END.has(text[next] as string)) next += 1;
      parts.push(text.slice(i, next));
    }
    i = next;
  }
  return parts.join('');
}

function pretty(text: string, contentType: string): { body: string; isJson: boolean } {
  if (text === '' || !/[/+]json\b/i.test(contentType)) return { body: text, isJson: false };
  try {
    JSON.parse(text);
  } catch {
    return { body: text, isJson: false }; // labelled JSON but is not (or cut): show what was sent
  }
  return { body: reindent(text), isJson: true };
}

/** The first READ_LIMIT bytes of the body, and its whole size. */
async function readBody(response: Response): Promise<{ bytes: Uint8Array; size: number }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), size: 0 };
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (kept < READ_LIMIT) {
      const part = value.subarray(0, READ_LIMIT - kept);
      chunks.push(part);
      kept += part.byteLength;
    }
  }
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, size };
}

/**
 * The body as a browser decodes a page: by its byte order mark, else by the Content-Type's charset
 * (EUC-KR, ISO-8859-1, …), else as UTF-8. `Response.text()` would read every body as UTF-8.
 */
function decodeBody(bytes: Uint8Array, contentType: string): string {
  const bom =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? 'utf-8'
      : bytes[0] === 0xff && bytes[1] === 0xfe
        ? 'utf-16le'
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? 'utf-16be'
          : null;
  const charset = /;\s*charset\s*=\s*"?([^";,\s]+)/i.exec(contentType)?.[1];
  for (const label of [bom, charset]) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // Not an encoding the browser knows: UTF-8 below.
    }
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Sends the request through the app's ky client (bearer + one token retry) and reads the answer
 * itself, whatever its status: 4xx/5xx are answers to show, not errors, and their bodies are shown as
 * they came (ky would parse an error's JSON, drop a body that is not the JSON it claims, and read no
 * more than 10 MiB). At most READ_LIMIT bytes are kept; network, timeout and bridge failures throw.
 */
export async function sendConsoleRequest(
  api: ApiClient,
  request: ValidRequest,
  now: () => number = () => performance.now(),
  signal?: AbortSignal,
): Promise<ConsoleResponse> {
  const started = now();
  const response = await api(request.path, {
    method: request.method,
    throwHttpErrors: false,
    ...(request.json === undefined ? {} : { json: request.json }),
    ...(request.headers && request.headers.length > 0 ? { headers: request.headers } : {}),
    ...(signal ? { signal } : {}),
  });
  const { bytes, size } = await readBody(response).catch((error: unknown) => {
    // The person's cancel stays one; a connection dropped while the body came is a network failure.
    if (!(error instanceof Error) || error.name === 'AbortError') throw error;
    throw new NetworkError(new Request(response.url, { method: request.method }), { cause: error });
  });
  const durationMs = now() - started;
  const contentType = response.headers.get('content-type') ?? '';
  const text = decodeBody(bytes, contentType);
  const shown = size > bytes.byteLength ? { body: text, isJson: false } : pretty(text, contentType);
  const result: ConsoleResponse = {
    status: response.status,
    statusText: response.statusText,
    durationMs,
    headers: [...response.headers.entries()],
    contentType,
    body: shown.body,
    isJson: shown.isJson,
  };
  if (result.body.length > BODY_LIMIT || size > bytes.byteLength) {
    result.truncatedFrom = size;
    result.body = result.body.slice(0, BODY_LIMIT);
  }
  return result;
}

/** Why a console request ended without an answer: each gets its own words (a slow server is no dead one). */
export type FailureKind = 'timeout' | 'network' | 'cancelled' | 'other';

/** Sorts what `sendConsoleRequest` threw: ky's timeout, a network failure, the person's cancel, or other. */
export function failureKind(error: unknown): FailureKind {
  if (isTimeoutError(error)) return 'timeout';
  if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
  if (isNetworkError(error)) return 'network';
  return 'other';
}
