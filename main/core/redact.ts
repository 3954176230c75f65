/** What replaces a secret in redacted output. */
export const REDACTED = '[redacted]';

/** Object keys whose values are always secrets, whatever they look like (compared lower-case, `_`/`-` removed). */
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'apikey',
  'xapikey',
  'refreshtoken',
  'accesstoken',
  'idtoken',
  'token',
  'authorization',
  'secret',
  'clientsecret',
  'cookie',
  'setcookie',
]);

const SECRET_KEY_NAMES =
  'password|passwd|pwd|pass|api_?key|x-api-key|refresh_?token|access_?token|id_?token|client_?secret|secret|token';

// Order matters: field-shaped secrets first (they keep their key), then header values, then bare shapes.
type Replacement = string | ((match: string, ...groups: string[]) => string);

const PATTERNS: Array<[RegExp, Replacement]> = [
  // "password":"…", refreshToken: '…', access_token=… (JSON text, JS-ish, query strings, key=value logs),
  // also inside a JSON string (a body kept as a log field: {\"refresh_token\":\"…\"}), whose escaped
  // quotes are kept as they were. Within one line ([ \t]): a log read in slices gives the same text.
  [
    new RegExp(
      `((?:\\\\?["'])?\\b(?:${SECRET_KEY_NAMES})(?:\\\\?["'])?[ \\t]*[:=][ \\t]*)(\\\\"(?:[^\\\\\\r\\n]|\\\\(?!"))*\\\\"|"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|[^\\s,&;}\\]]+)`,
      'gi',
    ),
    (_match, key, value) => (value.startsWith('\\"') ? `${key}\\"${REDACTED}\\"` : `${key}"${REDACTED}"`),
  ],
  // Authorization: Basic …, "authorization":"…", Cookie: a=b; c=d, Set-Cookie: …
  [
    /(["']?\b(?:authorization|cookie|set-cookie)["']?[ \t]*[:=][ \t]*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\r\n,}]+)/gi,
    `$1"${REDACTED}"`,
  ],
  // A password in a URL's user info (http://user:secret@proxy.corp:8080, a *_PROXY variable), up to the
  // last @ before the host as a URL parser reads it: an unencoded @ in the password (p@ss) or an e-mail
  // address as the user name (alice@corp.example:pw@proxy) must not leave a piece of the password behind.
  // An apostrophe may stand in a password unencoded (it's-Pw9): only a double quote ends one early.
  // The user name may be empty (http://:secret@proxy). A user name alone may be a key too (some
  // proxies and Git hosts take one as http://KEY@host): hidden as well.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#:"']*:[^\s/?#"]*@/gi, `$1${REDACTED}@`],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#:"'@[\]]+@/gi, `$1${REDACTED}@`],
  // An OAuth authorization code in a URL (?code=… / &code=…); a bare `code` field is an error code.
  [/([?&#]code=)[^&#\s"']+/gi, `$1${REDACTED}`],
  // Bearer <anything token-like>
  [/\bBearer[ \t]+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
  // JWTs (and fragments of them): base64url of '{"' starts with eyJ.
  [/\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}/g, REDACTED],
  // Long base64url / base64 / hex runs: opaque refresh tokens, keys, hashes.
  [/[A-Za-z0-9_+-]{32,}={0,2}/g, REDACTED],
];

/** The shortest sent value `hideSentValues` hides: a shorter one would hide ordinary words. */
const MIN_SENT_VALUE = 4;

/** The length of a sent value's beginning that is hidden on its own (a server that quotes it cut short). */
const SENT_PREFIX = 8;

/** `value` percent-encoded, or nothing when it cannot be (it holds half a UTF-16 pair). */
function percentEncoded(value: string): string[] {
  try {
    return [encodeURIComponent(value)];
  } catch {
    return [];
  }
}

/** `value` in the forms a server may quote it in: raw, URL- or form-encoded, JSON- or HTML-escaped, base64. */
function sentForms(value: string): string[] {
  const html = value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
  const padded = Buffer.from(value, 'utf8').toString('base64');
  const base64 = padded.replace(/=+$/, '');
  return [
    // With its padding too, so no `=` is left behind where the rest was hidden.
    padded,
    value,
    // Half a UTF-16 pair cannot be percent-encoded (encodeURIComponent throws): then it was not sent so.
    ...percentEncoded(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    html,
    html.replaceAll('&#39;', '&#x27;'),
    base64,
    base64.replaceAll('+', '-').replaceAll('/', '_'),
  ];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` without any of `sent` (the password or the tokens a request carried): raw, URL- or
 * form-encoded, JSON- or HTML-escaped or in base64, in any letter case; and, for a value longer than
 * SENT_PREFIX + 3 characters, its first SENT_PREFIX characters with the rest of the word they start
 * (a server that quotes it cut short). A server may quote what it was sent in an error message, and a
 * short opaque refresh token or a password has no shape `redactText` could recognize: only the value
 * itself finds it.
 */
export function hideSentValues(text: string, sent: readonly string[]): string {
  const patterns: string[] = [];
  for (const value of sent) {
    if (value.length < MIN_SENT_VALUE) continue;
    for (const form of new Set(sentForms(value))) patterns.push(escapeRegExp(form));
    if (value.length >= SENT_PREFIX + 4)
      patterns.push(`${escapeRegExp(value.slice(0, SENT_PREFIX))}[^\\s"'<>,;]*`);
  }
  if (patterns.length === 0) return text;
  // The longest first, so a form is hidden whole rather than a shorter one inside it.
  patterns.sort((a, b) => b.length - a.length);
  return text.replace(new RegExp(patterns.join('|'), 'gi'), REDACTED);
}

/** True when `text` holds anything the redactor would hide (a token, a secret field, a code in a URL). */
export function carriesSecret(text: string): boolean {
  return redactText(text) !== text;
}

/** Replaces everything token-shaped in `text` (JWTs, long opaque strings, bearer values, secret fields). */
export function redactText(text: string): string {
  let out = hideBase64Runs(text);
  for (const [pattern, replacement] of PATTERNS)
    out =
      typeof replacement === 'string'
        ? out.replace(pattern, replacement)
        : out.replace(pattern, replacement as (match: string, ...groups: string[]) => string);
  return out;
}

const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
/** A character of a base64url token, which a base64 run may have cut through. */
const TOKEN_CHAR = /[A-Za-z0-9_=-]/;

/**
 * Standard base64 of a token: the run rule in PATTERNS stops at '/', so a long run of the base64
 * alphabet that has a / or + and mixes upper case, lower case and digits is hidden whole (a path has
 * '-', '.' or '_' between its words, and rarely all three kinds of character). The run may also be
 * two base64url tokens joined by a '/' (`/<token>/<token>` in a path) cut at a '-' or '_': the token
 * characters on either side of it go too, so no piece of either token is left behind.
 */
function hideBase64Runs(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(BASE64_RUN)) {
    const run = match[0];
    const at = match.index ?? 0;
    if (at < last) continue;
    if (!(/[+/]/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run))) continue;
    let start = at;
    while (start > last && TOKEN_CHAR.test(text.charAt(start - 1))) start -= 1;
    let end = at + run.length;
    while (end < text.length && TOKEN_CHAR.test(text.charAt(end))) end += 1;
    out += text.slice(last, start) + REDACTED;
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Endings that make a key name a secret whatever comes before them: header and cookie names such as
 * `Proxy-Authorization`, `X-Auth-Token`, `csrftoken`, `sessionToken`, `db_password`, `x-client-secret`.
 * (`tokenType`, `keychain` and the like do not end in one.)
 */
const SECRET_KEY_ENDINGS = [
  'token',
  'secret',
  'password',
  'passwd',
  'authorization',
  'cookie',
  'apikey',
  'jwt',
];

function isSecretKey(key: string): boolean {
  const name = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEYS.has(name) || SECRET_KEY_ENDINGS.some((ending) => name.endsWith(ending));
}

/**
 * A redacted deep copy of `value`: secret-named fields are replaced whole and every string is
 * scanned with `redactText`. Errors keep name, message, code and cause (also redacted).
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = redactValue(code, depth + 1);
    if (value.cause !== undefined) out.cause = redactValue(value.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** Object keys through the redactor too (a settings file's unknown key may be anything). */
function redactKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactText(key), redactKeys(item)]));
}

/**
 * An object as redacted JSON text (the diagnostics bundle's files, `--print-effective-settings`):
 * secret-named fields replaced whole, every string and key scanned. Redacting the JSON text itself
 * could cut a string's closing quote and leave broken JSON.
 */
export function redactedJson(value: unknown): string {
  return `${JSON.stringify(redactKeys(redactValue(value)), null, 2)}\n`;
}
