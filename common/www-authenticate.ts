// The one reader of `WWW-Authenticate` (RFC 9110 §11.6.1), shared by main and the renderer: a header is
// a comma-separated list of challenges, each an auth-scheme followed by either a token68 or a
// comma-separated list of auth-params (`name=token` or `name="quoted string"`). Rules that look at a
// challenge's parameters (RFC 6750's `error="invalid_token"`) read them from the parsed challenge of
// their own scheme, so a parameter of another challenge, or text inside a quoted value, never counts.

/** One challenge: its scheme and parameter names lower-cased (both are case-insensitive). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;
const OWS = /^[ \t]*/;

/**
 * The challenges of a `WWW-Authenticate` header, in order. A syntax error ends the reading: the
 * challenges (and the parameters of the current one) read before it are kept, nothing after it.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  if (!header) return challenges;
  let rest = header;
  const skip = (pattern: RegExp): string => {
    const found = pattern.exec(rest)?.[0] ?? '';
    rest = rest.slice(found.length);
    return found;
  };
  const skipListSeparators = () => {
    while (rest.length > 0 && (rest[0] === ',' || rest[0] === ' ' || rest[0] === '\t')) rest = rest.slice(1);
  };
  /** A quoted-string's value with its quoted-pairs undone, or null when it does not close. */
  const quotedString = (): string | null => {
    let value = '';
    for (let index = 1; index < rest.length; index += 1) {
      const char = rest[index];
      if (char === '"') {
        rest = rest.slice(index + 1);
        return value;
      }
      if (char === '\\') index += 1;
      if (index >= rest.length) return null;
      value += rest[index];
    }
    return null;
  };
  /** An `name = value` auth-param at the start of `rest`, or null (and `rest` untouched) when there is none. */
  const authParam = (): [string, string] | null | 'error' => {
    const before = rest;
    const name = skip(TOKEN);
    skip(OWS);
    if (!name || rest[0] !== '=') {
      rest = before;
      return null;
    }
    rest = rest.slice(1);
    skip(OWS);
    const value = rest[0] === '"' ? quotedString() : skip(TOKEN) || null;
    return value === null ? 'error' : [name.toLowerCase(), value];
  };
  const atItemEnd = () => {
    skip(OWS);
    return rest.length === 0 || rest[0] === ',';
  };

  skipListSeparators();
  while (rest.length > 0) {
    const scheme = skip(TOKEN);
    if (!scheme) return challenges;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    if (skip(/^ +/) && rest.length > 0 && rest[0] !== ',') {
      const before = rest;
      const token68 = skip(TOKEN68);
      if (token68 && atItemEnd()) {
        challenge.token68 = token68;
      } else {
        rest = before;
        // auth-params until the list ends or an item is not one (the next challenge's scheme).
        for (let param = authParam(); param !== null; param = authParam()) {
          if (param === 'error') return challenges;
          const [name, value] = param;
          if (!Object.hasOwn(challenge.params, name)) challenge.params[name] = value;
          if (!atItemEnd()) return challenges;
          skipListSeparators();
        }
        if (Object.keys(challenge.params).length === 0) return challenges;
        continue;
      }
    }
    if (!atItemEnd()) return challenges;
    skipListSeparators();
  }
  return challenges;
}
