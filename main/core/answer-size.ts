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
 * Wraps a fetch so that no answer body is read past `maxBytes`: the body stream fails with an
 * AnswerTooLargeError there and the rest is cancelled, instead of a huge (or endlessly inflating,
 * gzip-bombed) answer being collected whole in main's memory.
 */
export function limitAnswerSize(fetch: FetchLike, maxBytes = MAX_ANSWER_BYTES): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
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
