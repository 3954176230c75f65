// A fetch that keeps a record of what crosses the wire: the tokens in every answer, so a suite can prove
// none of them reached a log line or a view, and, where asked, every request as it was sent.

/** String values of these JSON fields are secrets: the reference server's tokens and OAuth's. */
const TOKEN_FIELDS = /"(?:accessToken|refreshToken|access_token|refresh_token|id_token)"\s*:\s*"([^"]+)"/g;

/** One request as the server got it. */
export interface SentRequest {
  method: string;
  url: string;
  authorization: string | null;
  body: string;
}

export interface RecordingOptions {
  /** The fetch that really sends (default: Node's). */
  inner?: typeof fetch;
  /** Receives every token found in an answer's body (read before the answer is handed on). */
  secrets?: Set<string>;
  /** Receives every request, in order, before it is sent. */
  sent?: SentRequest[];
  /**
   * Read answers in the background instead of before handing them on, ignoring a body that fails:
   * a cut-off body must reach the caller as the same failure it would be without this wrapper.
   */
  background?: boolean;
}

/** Wraps `inner` to record into `secrets` and `sent`; the caller gets the answer unchanged. */
export function recordingFetch({
  inner = fetch,
  secrets,
  sent,
  background,
}: RecordingOptions = {}): typeof fetch {
  return async (input, init) => {
    let response: Response;
    if (sent) {
      const request = new Request(input, init);
      sent.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.get('authorization'),
        body: await request.clone().text(),
      });
      response = await inner(request);
    } else {
      response = await inner(input, init);
    }
    if (secrets) {
      const record = (text: string) => {
        for (const match of text.matchAll(TOKEN_FIELDS)) if (match[1]) secrets.add(match[1]);
      };
      if (background)
        void response
          .clone()
          .text()
          .then(record, () => {});
      else record(await response.clone().text());
    }
    return response;
  };
}
