import { z } from 'zod';
import type { Channel, RequestOf } from '../../../common/ipc';
import { isPlainObject } from '../../../common/payload-bounds';
import { isWellFormedText } from '../../../common/unicode';

/** Longest accepted user name and password: far beyond real ones, small enough to refuse abuse. */
export const MAX_USERNAME_LENGTH = 1024;
export const MAX_PASSWORD_LENGTH = 4096;
/** Longest URL the connect wizard may ask about (the apiBaseUrl rule's own limit). */
const MAX_URL_LENGTH = 2048;
/** Longest account id or API address accepted (ids are 25 characters; URLs are settings-bounded later). */
const MAX_ID_OR_URL_LENGTH = 2048;
/** More keys than any settings change needs; the store validates each key and value. */
const MAX_PATCH_KEYS = 64;

/**
 * What each handler receives once its payload passed the edge check: the contract's request type,
 * except settings patches, which stay loose here so the store can answer INVALID_CONFIG naming the key.
 */
export type WireRequest<C extends Channel> = C extends 'settings:update'
  ? Record<string, unknown>
  : RequestOf<C>;

/**
 * A user name: it names the person's keychain entry and goes to the server, so it must be text both
 * can hold (no half of a UTF-16 pair on its own, which the entry name's encoding would throw on).
 */
const username = z
  .string()
  .min(1)
  .max(MAX_USERNAME_LENGTH)
  .refine(isWellFormedText, 'must be well-formed text (no half of a UTF-16 pair)');

/** A password: text a server can be sent (half a UTF-16 pair cannot be encoded in a request). */
const password = z
  .string()
  .min(1)
  .max(MAX_PASSWORD_LENGTH)
  .refine(isWellFormedText, 'must be well-formed text (no half of a UTF-16 pair)');

/** Channels without a payload accept `undefined`, and `null` too since some transports send it for "nothing". */
const nothing = z.union([z.undefined(), z.null()]).transform(() => undefined);

/** One schema per channel, typed from the contract so a schema that drifts from it fails the type check. */
export const REQUEST_SCHEMAS: { readonly [C in Channel]: z.ZodType<WireRequest<C>> } = {
  'auth:sign-in': z.strictObject({
    username,
    password,
    // Checked as a setting by the account registry (INVALID_CONFIG naming apiBaseUrl).
    apiBaseUrl: z.string().min(1).max(MAX_ID_OR_URL_LENGTH).optional(),
  }),
  'auth:sign-in-oidc': nothing,
  'auth:cancel-sign-in': nothing,
  'auth:sign-out': z.union([
    nothing,
    z
      .strictObject({
        account: z.string().min(1).max(MAX_ID_OR_URL_LENGTH).optional(),
        all: z.literal(true).optional(),
      })
      .refine((request) => (request.account === undefined) !== (request.all === undefined), {
        message: 'name one account, or all',
      }),
  ]),
  'auth:list-accounts': nothing,
  'auth:switch-account': z.strictObject({ id: z.string().min(1).max(MAX_ID_OR_URL_LENGTH) }),
  'auth:get-access-token': z.union([
    nothing,
    z.strictObject({
      forceRefresh: z.boolean().optional(),
      rejectedExpiresAt: z.number().finite().nonnegative().optional(),
      account: z.string().min(1).max(MAX_ID_OR_URL_LENGTH).optional(),
    }),
  ]),
  'auth:get-session': nothing,
  'auth:retry-restore': nothing,
  'settings:get': nothing,
  'settings:update': z
    .custom<Record<string, unknown>>(isPlainObject, 'must be an object of settings')
    .refine((patch) => Object.keys(patch).length <= MAX_PATCH_KEYS, `at most ${MAX_PATCH_KEYS} keys`)
    .refine((patch) => Object.keys(patch).every((key) => key.length <= 64), 'a key is too long')
    // Own keys only, copied as data: a key named __proto__ stays a key the store refuses by name
    // (z.record dropped it without a word, and saved the rest of the patch).
    .transform((patch) => Object.fromEntries(Object.entries(patch))),
  // The URL's own rule (apiBaseUrl) is applied by the probe, which answers INVALID_CONFIG naming it.
  'settings:probe-api': z.strictObject({ url: z.string().min(1).max(MAX_URL_LENGTH) }),
  // The candidate's values are checked by their settings' own rules in main (INVALID_CONFIG naming the key).
  'settings:try-sign-in': z
    .strictObject({
      apiBaseUrl: z.string().min(1).max(MAX_URL_LENGTH),
      apiProfile: z.string().max(64),
      authContract: z.unknown(),
      username,
      password,
    })
    .transform((request) => request as RequestOf<'settings:try-sign-in'>),
};
