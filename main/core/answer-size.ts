import type { FetchLike } from './auth-client';

/**
 * The most bytes of an answer main reads from the auth server or the identity provider (after any
 * Content-Encoding is undone). Token, profile, discovery and JWKS answers are a few KiB.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** An answer whose body went past MAX_ANSWER_BYTES: the rest was not read. */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';

  constructor(limit: number) {
    super(`answered with more than ${limit / (1024 * 1024)} MiB`);
  }
}

/**
 * Whether the answer's own framing already keeps it within `maxBytes`: a Content-Length that fits and
 * no Content-Encoding (an encoded body is counted after decoding, which its length does not bound).
 * Such an answer (the usual small token or profile JSON) is handed on as it is: wrapping its body in a
 * counting stream costs a fresh process several milliseconds of first use, on the way to signed in.
 */
function framedWithin(headers: Headers, maxBytes: number): boolean {
  const length = headers.get('content-length');
  const encoding = headers.get('content-encoding');
  if (length === null || !/^\d+$/.test(length.trim())) return false;
  return (encoding === null || encoding.trim().toLowerCase() === 'identity') && Number(length) <= maxBytes;
}

/**
 * Wraps a fetch so that no answer body is read past `maxBytes`: the body stream fails with an
 * AnswerTooLargeError there and the rest is cancelled, instead of a huge (or endlessly inflating,
 * gzip-bombed) answer being collected whole in main's memory.
 */
export function limitAnswerSize(fetch: FetchLike, maxBytes = MAX_ANSWER_BYTES): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null || framedWithin(response.headers, maxBytes)) return response;
    let seen = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new AnswerTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * The answer's body as text (UTF-8, a leading BOM dropped, as `Response.text()` reads it), failing with
 * `signal`'s reason once it aborts: a body that stops arriving half way cannot hold the read for ever.
 * The body is read here rather than by `text()` so that the read can be cancelled, which also closes
 * the connection; a signal handed to the fetch alone does not reliably reach a body already under way
 * (ky joins signals with AbortSignal.any, which holds the joined signal weakly).
 */
export async function readAnswerText(response: Response, signal: AbortSignal): Promise<string> {
  if (signal.aborted) throw signal.reason;
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // A cancel ends a pending read as if the body had ended: it did not.
      if (signal.aborted) throw signal.reason;
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
