import { z } from 'zod';
import { parseUpdateUrl, updateChannelName } from '../../updates/update-policy';
import {
  normaliseBypassList,
  proxyBypassListProblem,
  proxyPacUrlProblem,
  proxyServerProblem,
} from '../network/proxy-config';
import { redactText } from '../redact';
import { httpUrlProblem } from './http-url';

/** Longest accepted API base URL; anything longer is a mistake, not a real endpoint. */
const MAX_URL_LENGTH = 2048;
const MAX_PATH_LENGTH = 1024;

/**
 * The API base URL: http(s) only, https unless loopback, no credentials, query or fragment.
 * Normalised to origin + path without a trailing slash, so equal APIs compare equal.
 */
export const apiBaseUrlSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  // The URL parser silently strips surrounding spaces and inner tabs/newlines: refuse them instead.
  .regex(/^[^\s\p{Cc}]+$/u, 'must be a URL without spaces or control characters')
  // Checked on the raw text because the parser drops an empty `?` or `#`.
  .refine((raw) => !raw.includes('?') && !raw.includes('#'), 'must not contain a query (?) or fragment (#)')
  .transform((raw, ctx) => {
    const url = URL.parse(raw);
    const problem = httpUrlProblem(url, 'https://api.example.com');
    if (url === null || problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem ?? 'is invalid' });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  });

/**
 * The message of a JSON type check. A policy file (or an MDM's JSON) most often writes a number or a
 * flag as text, `"20000"` or `"true"`: that is said, with the value as it should be written.
 */
function typeMessage(expected: 'a number' | 'true or false', asText: (text: string) => string | null) {
  return (issue: { input?: unknown }): string => {
    const { input } = issue;
    const plain = typeof input === 'string' && input.length <= 32 ? asText(input) : null;
    if (plain !== null) return `must be ${expected}, without quotes: ${plain}, not ${JSON.stringify(input)}`;
    if (expected === 'true or false' && (input === 1 || input === 0))
      return `must be ${expected}, not ${input}`;
    return `must be ${expected}`;
  };
}

/** A number given as text: that number, as JSON writes it. */
const numberText = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? String(Number(text)) : null);
/** A flag given as text: true or false. */
const booleanText = (text: string) => (/^\s*(true|false)\s*$/i.test(text) ? text.trim().toLowerCase() : null);

/** An on/off setting. */
export const booleanSchema = z.boolean({ error: typeMessage('true or false', booleanText) });

/** How many accounts may be signed in at once. */
export const maxAccountsSchema = z
  .number({ error: typeMessage('a number', numberText) })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(20, 'must be at most 20');

/**
 * An origin as written: scheme, `//`, host and port, at most a `/` after it (no path, query, fragment
 * or backslash, which the URL parser would read as a path).
 */
const ORIGIN_TEXT = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+\/?$/i;

/**
 * The API origins accounts may use: origins separated by spaces (each an http(s) origin, https unless
 * loopback, without a path), each normalised as the URL parser does apiBaseUrl's (lower-case host, no
 * default port, an IDN host in its xn-- form), one space between them; empty allows any.
 */
export const allowedOriginsSchema = z
  .string({ error: 'must be a string' })
  .max(4096, 'must be at most 4096 characters')
  .transform((raw, ctx) => {
    const origins: string[] = [];
    for (const item of raw.split(/\s+/).filter(Boolean)) {
      const url = URL.parse(item);
      const problem = httpUrlProblem(url, 'https://api.example.com');
      if (url === null || problem !== null || !ORIGIN_TEXT.test(item)) {
        ctx.addIssue({
          code: 'custom',
          // Redacted before it is cut: a password in the item's user info is hidden whatever its length.
          message: `${redactText(item).slice(0, 80)}: must be an origin such as https://api.example.com`,
        });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins.join(' ');
  });

/**
 * An endpoint path on the API host. Backslashes, tabs and a leading `//` would let the URL parser
 * turn it into another host (`/\evil.example` resolves to `https://evil.example/`), so they are refused.
 */
export const endpointPathSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`)
  .regex(/^\/(?![/\\])/, 'must start with a single / (a path on the API host, like /login)')
  .regex(/^[^\s\p{Cc}\\?#]*$/u, 'must not contain spaces, control characters, \\, ? or #')
  .refine(
    (path) => new URL(path, 'https://api.invalid').origin === 'https://api.invalid',
    'must stay on the API host',
  );

/** The profile endpoint: a path like the others, or empty when the API has none (claims are used then). */
export const optionalEndpointPathSchema = z.union([z.literal(''), endpointPathSchema], {
  error: 'must be empty or start with a single / (a path on the API host, like /api/user/me)',
});

/** Per-request timeout in ms: long enough for a slow link, short enough to notice a dead one. */
export const requestTimeoutSchema = z
  .number({ error: typeMessage('a number', numberText) })
  .int('must be a whole number of milliseconds')
  .min(1000, 'must be at least 1000 (1 s)')
  .max(120_000, 'must be at most 120000 (2 min)');

/**
 * An update feed URL: empty (no updates) or what the updater accepts (`parseUpdateUrl`: https without
 * credentials, query, fragment or port 0), so a value the updater would refuse is rejected when it is set.
 */
export const updateUrlSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .superRefine((raw, ctx) => {
    const parsed = raw === '' ? null : parseUpdateUrl(raw);
    if (parsed !== null && !parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
  });

/** An update channel, in lower case: the updater's rule (`updateChannelName`), since it becomes a feed file name. */
export const updateChannelSchema = z
  .string({ error: 'must be a string' })
  // The rule's own length, said here too so the Group Policy text box stops where the rule does.
  .max(32, 'must be at most 32 characters')
  .transform((raw, ctx) => {
    const channel = updateChannelName(raw);
    if (channel !== null) return channel;
    ctx.addIssue({ code: 'custom', message: 'must be a channel name like latest or beta' });
    return z.NEVER;
  });

/**
 * An OpenID Provider issuer: empty (not configured) or https (http only on loopback), no credentials,
 * query or fragment. Kept exactly as written: discovery compares it character for character with the
 * `issuer` the provider publishes (Auth0's ends in `/`, Keycloak's and Entra ID's do not).
 */
export const issuerUrlSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  // Nor format characters: a right-to-left override would make the confirmation dialog show another URL.
  .regex(/^[^\s\p{Cc}\p{Cf}]*$/u, 'must be a URL without spaces, control or format characters')
  .refine((raw) => !raw.includes('?') && !raw.includes('#'), 'must not contain a query (?) or fragment (#)')
  .superRefine((raw, ctx) => {
    if (raw === '') return;
    const problem = httpUrlProblem(URL.parse(raw), 'https://login.example.com/realms/main');
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An OAuth client ID (RFC 6749 VSCHAR without spaces); empty = not configured. */
export const clientIdSchema = z
  .string({ error: 'must be a string' })
  .max(256, 'must be at most 256 characters')
  .regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces');

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Space-separated OAuth scopes including `openid`; extra spaces are dropped. */
export const scopesSchema = z
  .string({ error: 'must be a string' })
  .max(1024, 'must be at most 1024 characters')
  .transform((raw) => raw.trim().split(/ +/).filter(Boolean).join(' '))
  .refine(
    (scopes) => scopes.split(' ').every((token) => SCOPE_TOKEN.test(token)),
    'must be scope names separated by spaces (no quotes or backslashes)',
  )
  .refine((scopes) => scopes.split(' ').includes('openid'), 'must include openid');

/** An API identifier (Auth0 audience, RFC 8707 resource); empty = none. */
export const audienceSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .regex(/^[^\s\p{Cc}]*$/u, 'must not contain spaces or control characters');

/** A display name for the provider ("Sign in with …"); empty = the issuer's host. */
export const providerNameSchema = z
  .string({ error: 'must be a string' })
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
  .transform((raw) => raw.trim());

/** A proxy server in Chromium's rule syntax (`proxy-config.ts`), `direct`, or empty (the system's proxy). */
export const proxyServerSchema = z
  .string({ error: 'must be a string' })
  .max(1024, 'must be at most 1024 characters')
  .transform((raw) => raw.trim())
  .superRefine((value, ctx) => {
    const problem = proxyServerProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A PAC file URL (http, https or file), or empty. */
export const proxyPacUrlSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .transform((raw) => raw.trim())
  .superRefine((value, ctx) => {
    const problem = proxyPacUrlProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Hosts reached without the proxy (Chromium's bypass rules), normalised to a comma-separated list. */
export const proxyBypassListSchema = z
  .string({ error: 'must be a string' })
  .max(4096, 'must be at most 4096 characters')
  .superRefine((value, ctx) => {
    const problem = proxyBypassListProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normaliseBypassList);

/** Log history kept on disk across rotations, in MiB. */
export const logHistorySchema = z
  .number({ error: typeMessage('a number', numberText) })
  .int('must be a whole number of MiB')
  .min(1, 'must be at least 1 (MiB)')
  .max(1024, 'must be at most 1024 (MiB)');

/** Decoders from the text of env variables and CLI flags to the JSON type a setting's schema expects. */
export const TEXT_DECODERS = {
  string: z.string(),
  integer: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform((text) => Number(text)),
  boolean: z.stringbool({
    truthy: ['true', '1'],
    falsy: ['false', '0'],
    error: 'must be true, false, 1 or 0',
  }),
  /** JSON text (an object setting such as authContract); at most 16 KiB. */
  json: z
    .string()
    .max(16 * 1024, 'must be at most 16 KiB of JSON')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON text (an object, or null)' });
        return z.NEVER;
      }
    }),
} as const;

export type TextKind = keyof typeof TEXT_DECODERS;
