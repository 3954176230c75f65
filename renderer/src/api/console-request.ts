import { HTTPError, isNetworkError, isTimeoutError } from 'ky';
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
  | { field: 'path'; kind: 'pathInvalid' }
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
  /** Size of the full body in bytes when it was cut to `BODY_LIMIT` characters. */
  truncatedFrom?: number;
}

/** Bodies longer than this are cut for display: a huge text node would freeze the window. */
export const BODY_LIMIT = 200_000;

/** Checks the input: a path on the API (not a URL), JSON for the body, no body on GET. */
export function validateConsoleInput(input: ConsoleInput): ValidRequest | ConsoleProblem {
  const path = input.path.trim();
  // "//host" would be a network-path reference: only paths on the configured API are allowed.
  if (!path.startsWith('/') || path.startsWith('//') || /\s/.test(path))
    return { field: 'path', kind: 'pathInvalid' };
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

function pretty(text: string, contentType: string): { body: string; isJson: boolean } {
  if (text === '' || !/[/+]json\b/i.test(contentType)) return { body: text, isJson: false };
  try {
    return { body: JSON.stringify(JSON.parse(text), null, 2), isJson: true };
  } catch {
    return { body: text, isJson: false }; // labelled JSON but is not: show what was sent
  }
}

/**
 * Sends the request through the app's ky client (bearer + one token retry) and reads the whole
 * answer. 4xx/5xx are answers to show, not errors (read from the HTTPError ky throws, whose body ky has
 * already read); network, timeout and bridge failures throw.
 */
export async function sendConsoleRequest(
  api: ApiClient,
  request: ValidRequest,
  now: () => number = () => performance.now(),
  signal?: AbortSignal,
): Promise<ConsoleResponse> {
  const started = now();
  let response: Response;
  let text: string;
  try {
    response = await api(request.path, {
      method: request.method,
      ...(request.json === undefined ? {} : { json: request.json }),
      ...(request.headers && request.headers.length > 0 ? { headers: request.headers } : {}),
      ...(signal ? { signal } : {}),
    });
    text = await response.text();
  } catch (error) {
    if (!(error instanceof HTTPError)) throw error;
    response = error.response;
    text = textOf(error.data);
  }
  const durationMs = now() - started;
  const contentType = response.headers.get('content-type') ?? '';
  const shown = pretty(text, contentType);
  const result: ConsoleResponse = {
    status: response.status,
    statusText: response.statusText,
    durationMs,
    headers: [...response.headers.entries()],
    contentType,
    body: shown.body,
    isJson: shown.isJson,
  };
  if (result.body.length > BODY_LIMIT) {
    result.truncatedFrom = new TextEncoder().encode(text).byteLength;
    result.body = result.body.slice(0, BODY_LIMIT);
  }
  return result;
}

/** The body text of an error answer: ky parsed JSON bodies into `data`, and kept others as text. */
function textOf(data: unknown): string {
  if (data === undefined) return '';
  return typeof data === 'string' ? data : JSON.stringify(data);
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
