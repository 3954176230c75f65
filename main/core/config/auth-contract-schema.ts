// Validation of the API contract: the `authContract` setting on its own (a complete contract, or
// changes to a preset, every field typed), and the effective contract once it is laid over its preset
// (complete, defaults filled in). Every message names the exact field, never a value.
import { z } from 'zod';
import {
  type AuthContract,
  type AuthContractSetting,
  type ContractSettings,
  contractSource,
} from '../../../common/auth-contract';
import type { Result } from '../../../common/errors';
import { httpUrlProblem } from './http-url';

const MAX_URL_LENGTH = 2048;
/** Longest accepted JSON text of the setting (env variable, command-line flag). */
export const MAX_CONTRACT_TEXT = 16 * 1024;

/** Keys that would reach an object's prototype instead of a field. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An error callback: "is required" when the field is missing, `message` when it has the wrong shape. */
const shaped = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message),
});

/** Like `shaped`, for a record: only its own type is described; a bad key or value keeps its message. */
const shapedRecord = (message: string) => ({
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code !== 'invalid_type' ? undefined : issue.input === undefined ? 'is required' : message,
});

/**
 * An endpoint: a path on the API host (`/login`, `/auth/v1/token?grant_type=password`) or an absolute
 * https URL on another host (http only on loopback); never credentials or a fragment.
 */
const endpointSchema = z
  .string(shaped('must be a path like /login or an https URL'))
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .regex(/^[^\s\p{Cc}\\#]+$/u, 'must not contain spaces, control characters, \\ or #')
  .superRefine((raw, ctx) => {
    if (raw.startsWith('/')) {
      if (raw.startsWith('//') || new URL(raw, 'https://api.invalid').origin !== 'https://api.invalid')
        ctx.addIssue({ code: 'custom', message: 'must start with a single / (a path on the API host)' });
      return;
    }
    const problem = httpUrlProblem(URL.parse(raw), 'https://auth.example.com/token');
    if (problem !== null)
      ctx.addIssue({
        code: 'custom',
        message: `must start with / or be a URL that ${problem.replace(/^must /, '')}`,
      });
  });

/** A request field name (`username`, `refresh_token`). */
const fieldNameSchema = z
  .string(shaped('must be a field name'))
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[^\s\p{Cc}]+$/u, 'must be a field name without spaces or control characters')
  .refine((name) => !RESERVED_KEYS.has(name), 'must not be __proto__, constructor or prototype');

/** A dot path into a JSON answer (`data.access_token`, `errors.0.extensions.code`). */
const dotPathSchema = z
  .string(shaped('must be a dot path like data.access_token'))
  .max(256, 'must be at most 256 characters')
  .regex(/^[^.\s\p{Cc}]+(\.[^.\s\p{Cc}]+)*$/u, 'must be a dot path like data.access_token')
  .refine(
    (path) => path.split('.').every((step) => !RESERVED_KEYS.has(step)),
    'must not step through __proto__, constructor or prototype',
  );

const encodingSchema = z.enum(['json', 'form'], shaped('must be "json" or "form"'));

const fieldValueSchema = z.union(
  [
    z
      .string()
      .max(1024, 'must be at most 1024 characters')
      .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
  ],
  { error: 'must be a string, a number or true/false' },
);

/**
 * Names that say they carry a secret (`client_secret`, `X-Client-Secret`, `password`, `passwd`,
 * `client_assertion`). The contract is a setting, kept in settings.json in plain text, shown to the page
 * and in `--print-effective-settings`: Tessera is a public client and sends only the person's password
 * and its tokens, from where they are kept. A public key under another name (Supabase's `apikey`) is
 * not refused: no name-based rule can tell it from a private one.
 */
const SECRET_NAME = /secret|passw(?:or)?d|^client_assertion$/i;
const SECRET_NAME_MESSAGE =
  'must not carry a secret (a client secret or a password): the contract is stored and shown in plain text, and Tessera signs in as a public client';

/** Adds an issue under each key of `record` whose name says it carries a secret. */
function refuseSecretNames(record: Record<string, unknown>, ctx: z.RefinementCtx) {
  for (const name of Object.keys(record))
    if (SECRET_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: SECRET_NAME_MESSAGE });
}

const extraFieldsSchema = z
  .record(fieldNameSchema, fieldValueSchema, shapedRecord('must be an object of field names and values'))
  .refine((fields) => Object.keys(fields).length <= 32, 'must have at most 32 fields')
  .superRefine(refuseSecretNames);

/** Headers the app sets itself, or that carry credentials: never from the contract. */
const REFUSED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
]);

// RFC 9110 §5.1: field-name = token.
const headerNameSchema = z
  .string()
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, 'must be a header name (letters, digits and -)')
  .refine(
    (name) => !REFUSED_HEADERS.has(name.toLowerCase()),
    'must not be Authorization, Cookie or a header the app sets itself',
  );

const headersSchema = z
  .record(
    headerNameSchema,
    z
      .string('must be text')
      .max(1024, 'must be at most 1024 characters')
      .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII (no line breaks)'),
    shapedRecord('must be an object of header names and values'),
  )
  .refine((headers) => Object.keys(headers).length <= 16, 'must have at most 16 headers')
  .superRefine(refuseSecretNames);

const jsonRuleSchema = z.strictObject(
  {
    jsonPath: dotPathSchema,
    equals: z
      .array(z.string('must be text').min(1).max(256), shaped('must be a list of values'))
      .min(1, 'must list at least one value')
      .max(16, 'must list at most 16 values'),
  },
  shaped('must be an object { jsonPath, equals }, or null'),
);

/** The `expired` rule: a JSON rule, and the statuses it applies to (401 and/or 403; default 401). */
const expiredRuleSchema = z.strictObject(
  {
    ...jsonRuleSchema.shape,
    status: z
      .array(
        z.union([z.literal(401), z.literal(403)], { error: 'must list 401 and/or 403 only' }),
        shaped('must be a list of HTTP statuses: 401 and/or 403'),
      )
      .min(1, 'must list 401 and/or 403')
      .refine((statuses) => new Set(statuses).size === statuses.length, 'must not list a status twice')
      .optional(),
  },
  shaped('must be an object { jsonPath, equals, status? }, or null'),
);

const sectionError = (what: string) => shaped(`must be an object${what}`);

// ---- the fields of each section, without defaults (the setting holds only what it was given) -----

const loginFields = {
  path: endpointSchema,
  encoding: encodingSchema,
  usernameField: fieldNameSchema,
  passwordField: fieldNameSchema,
  extraFields: extraFieldsSchema,
};

const tokensFields = {
  accessToken: dotPathSchema,
  refreshToken: dotPathSchema.nullable(),
  expiresIn: dotPathSchema.nullable(),
  expiresInUnit: z.enum(['s', 'ms'], shaped('must be "s" or "ms"')),
  refreshExpiresIn: dotPathSchema.nullable(),
  tokenType: dotPathSchema.nullable(),
};

const refreshFields = {
  path: endpointSchema,
  encoding: encodingSchema,
  tokenField: fieldNameSchema,
  send: z.enum(['body', 'bearer'], shaped('must be "body" or "bearer"')),
  extraFields: extraFieldsSchema,
  refused: jsonRuleSchema.nullable(),
};

const logoutFields = {
  path: endpointSchema,
  encoding: encodingSchema,
  tokenField: fieldNameSchema.nullable(),
  sendBearer: z.boolean(shaped('must be true or false')),
  extraFields: extraFieldsSchema,
};

/** The profile endpoint: a path on the API only (the page fetches it too, and may reach no other host). */
const profilePathSchema = endpointSchema.refine(
  (path) => path.startsWith('/'),
  'must be a path on the API host, like /users/me',
);

const profileFields = {
  path: profilePathSchema,
  sub: dotPathSchema.nullable(),
  username: dotPathSchema,
  name: dotPathSchema.nullable(),
  role: dotPathSchema.nullable(),
};

// ---- the complete contract (defaults filled in) ------------------------------------------------

const profileSchema = z.strictObject(
  {
    ...profileFields,
    sub: profileFields.sub.default(null),
    name: profileFields.name.default(null),
    role: profileFields.role.default(null),
  },
  sectionError(', or null for none'),
);

const loginSchema = z.strictObject(
  {
    ...loginFields,
    encoding: loginFields.encoding.default('json'),
    usernameField: loginFields.usernameField.default('username'),
    passwordField: loginFields.passwordField.default('password'),
    extraFields: loginFields.extraFields.default({}),
  },
  sectionError(''),
);

const tokensSchema = z.strictObject(
  {
    ...tokensFields,
    refreshToken: tokensFields.refreshToken.default(null),
    expiresIn: tokensFields.expiresIn.default(null),
    expiresInUnit: tokensFields.expiresInUnit.default('s'),
    refreshExpiresIn: tokensFields.refreshExpiresIn.default(null),
    tokenType: tokensFields.tokenType.default(null),
  },
  sectionError(''),
);

const refreshSchema = z.strictObject(
  {
    ...refreshFields,
    encoding: refreshFields.encoding.default('json'),
    tokenField: refreshFields.tokenField.default('refreshToken'),
    send: refreshFields.send.default('body'),
    extraFields: refreshFields.extraFields.default({}),
    refused: refreshFields.refused.default(null),
  },
  sectionError(', or null for none'),
);

const logoutSchema = z.strictObject(
  {
    ...logoutFields,
    encoding: logoutFields.encoding.default('json'),
    tokenField: logoutFields.tokenField.default('refreshToken'),
    sendBearer: logoutFields.sendBearer.default(false),
    extraFields: logoutFields.extraFields.default({}),
  },
  sectionError(', or null for none'),
);

const nullableSection = <T extends z.ZodType>(schema: T) =>
  z.union([z.null(), schema], {
    error: (issue) => (issue.input === undefined ? 'is required (an object, or null for none)' : undefined),
  });

const completeSchema = z
  .strictObject(
    {
      login: loginSchema,
      tokens: tokensSchema,
      refresh: nullableSection(refreshSchema),
      logout: nullableSection(logoutSchema),
      expired: expiredRuleSchema.nullable().default(null),
      headers: headersSchema.default({}),
      profile: profileSchema.nullable().default(null),
    },
    shaped('must be an object'),
  )
  .superRefine((contract, ctx) => {
    if (contract.login.usernameField === contract.login.passwordField)
      ctx.addIssue({
        code: 'custom',
        path: ['login', 'passwordField'],
        message: 'must differ from usernameField',
      });
    if (contract.refresh !== null && contract.tokens.refreshToken === null)
      ctx.addIssue({
        code: 'custom',
        path: ['tokens', 'refreshToken'],
        message: 'is needed by refresh (or set refresh to null)',
      });
    // A refresh token with nowhere to send it: kept in the keychain, and the session would end at the
    // first refresh as if the server had refused it. Without a refresh, nothing is kept.
    if (contract.refresh === null && contract.tokens.refreshToken !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['refresh'],
        message:
          'is needed to use the refresh token tokens.refreshToken names (or set tokens.refreshToken to null)',
      });
  });

// ---- the setting: a complete contract or changes to a preset ---------------------------------------

const partialRule = jsonRuleSchema.partial();

/** A section of the setting: any of its fields, none filled in (a preset's value must show through). */
const partialSection = <T extends z.core.$ZodLooseShape>(fields: T, what: string) =>
  z.strictObject(fields, sectionError(what)).partial();

const settingSchema = z.strictObject(
  {
    login: partialSection(loginFields, '').optional(),
    tokens: partialSection(tokensFields, '').optional(),
    refresh: partialSection({ ...refreshFields, refused: partialRule.nullable() }, ', or null for none')
      .nullable()
      .optional(),
    logout: partialSection(logoutFields, ', or null for none').nullable().optional(),
    expired: expiredRuleSchema.partial().nullable().optional(),
    headers: headersSchema.optional(),
    profile: partialSection(profileFields, ', or null for none').nullable().optional(),
  },
  shaped('must be an object with login, tokens, refresh, logout, expired, headers and profile'),
);

/** One issue as text: the field's dot path, then what is wrong (never the value). */
function describeIssue(issue: z.core.$ZodIssue, root: string): string {
  const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key.slice(0, 64))).join(', ');
    return `${path} has an unknown field ${keys}`;
  }
  // A bad record key: its own rule says what is wrong (the key is the field's name, not a value).
  if (issue.code === 'invalid_key' && issue.issues[0]) return `${path} ${issue.issues[0].message}`;
  return `${path} ${issue.message}`;
}

/**
 * The `authContract` setting: null (none), or an object whose every field is checked; unknown fields
 * are refused. Missing fields are fine here: they come from the preset (or, for custom, are checked
 * when the contract is put together).
 */
export const authContractSettingSchema: z.ZodType<AuthContractSetting | null> = z
  .unknown()
  .transform((raw, ctx): AuthContractSetting | null => {
    if (raw === null) return null;
    const parsed = settingSchema.safeParse(raw);
    if (parsed.success) return parsed.data as AuthContractSetting;
    const first = parsed.error.issues[0];
    ctx.addIssue({ code: 'custom', message: first ? `field ${describeIssue(first, '')}` : 'is invalid' });
    return z.NEVER;
  });

/**
 * The effective contract of the settings, complete and valid, or INVALID_CONFIG naming the field
 * (`authContract.tokens.accessToken is required`). The preset is what the profile names; `custom`
 * needs the whole contract in `authContract`.
 */
export function effectiveContract(settings: ContractSettings): Result<AuthContract> {
  const source = contractSource(settings);
  if (source === null)
    return {
      ok: false,
      error: {
        code: 'INVALID_CONFIG',
        key: 'authContract',
        message: 'apiProfile custom needs an authContract (login, tokens, refresh, logout)',
      },
    };
  const parsed = completeSchema.safeParse(source);
  if (parsed.success) return { ok: true, value: parsed.data as AuthContract };
  const first = parsed.error.issues[0];
  return {
    ok: false,
    error: {
      code: 'INVALID_CONFIG',
      key: 'authContract',
      message: `The API contract is not valid: ${first ? describeIssue(first, 'authContract') : 'authContract is invalid'}`,
    },
  };
}
