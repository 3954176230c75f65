// Reading an answer's body without trusting its size: used where only the start of a body decides
// something (the connect probe's checks, the API client's "is this 401 an expired token?").

/** The body's text, at most `limit` characters of it; the rest is never read (the stream is cancelled). */
export async function boundedText(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}
