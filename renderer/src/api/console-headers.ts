/** One row of the console's request headers editor, as typed. */
export interface HeaderRow {
  name: string;
  value: string;
}

/** Why a row cannot be sent. */
export type HeaderProblemKind =
  | 'authorization'
  | 'forbidden'
  | 'nameMissing'
  | 'nameInvalid'
  | 'valueInvalid'
  | 'valueCharacters'
  | 'valueForbidden';

/** A problem with the row at `index`. */
export interface HeaderProblem {
  index: number;
  kind: HeaderProblemKind;
}

// RFC 9110 token: the characters a header name may have.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Fetch's forbidden request headers: the browser drops them silently, so the person is told instead.
const FORBIDDEN = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
// Fetch forbids these when their value names a forbidden method: the browser drops them without a word.
const METHOD_OVERRIDES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);
const FORBIDDEN_METHODS = new Set(['connect', 'trace', 'track']);

/** Whether the browser would drop this header: a method override naming CONNECT, TRACE or TRACK. */
function overridesForbiddenMethod(lower: string, value: string): boolean {
  return (
    METHOD_OVERRIDES.has(lower) &&
    value.split(',').some((method) => FORBIDDEN_METHODS.has(method.trim().toLowerCase()))
  );
}

/**
 * Checks the typed headers: rows left empty are skipped; `Authorization` is Tessera's (it adds the
 * access token itself, and a typed one would be replaced or leak a token into the form); names must be
 * header tokens the browser lets a page set; values may not break the header line, and may only hold
 * characters a header can carry (ISO-8859-1); a method override may not name CONNECT, TRACE or TRACK.
 */
export function validateHeaders(rows: readonly HeaderRow[]): {
  headers: Array<[string, string]>;
  problems: HeaderProblem[];
} {
  const headers: Array<[string, string]> = [];
  const problems: HeaderProblem[] = [];
  rows.forEach((row, index) => {
    const name = row.name.trim();
    const value = row.value.trim();
    if (name === '' && value === '') return;
    const lower = name.toLowerCase();
    const kind: HeaderProblemKind | null =
      name === ''
        ? 'nameMissing'
        : !TOKEN.test(name)
          ? 'nameInvalid'
          : lower === 'authorization'
            ? 'authorization'
            : FORBIDDEN.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')
              ? 'forbidden'
              : /[\r\n\0]/.test(value)
                ? 'valueInvalid'
                : // The Fetch API refuses header values outside ISO-8859-1 (Korean, curly quotes, emoji).
                  /[^\t\x20-\x7e\x80-\xff]/.test(value)
                  ? 'valueCharacters'
                  : overridesForbiddenMethod(lower, value)
                    ? 'valueForbidden'
                    : null;
    if (kind) problems.push({ index, kind });
    else headers.push([name, value]);
  });
  return { headers, problems };
}
