import type { TrySignInRequest } from '../common/connect';
import { type ErrorInfo, isErrorInfo, TesseraError } from '../common/errors';
import type {
  BridgeTransport,
  Channel,
  GetAccessTokenRequest,
  RequestOf,
  ResponseOf,
  SignInRequest,
  SignOutRequest,
  TesseraBridge,
} from '../common/ipc';
import { formatLocalesFromArgv } from '../common/locale';
import { payloadTooLarge, tooLargeError } from '../common/payload-bounds';
import type { SessionView } from '../common/session';
import type { SettingsPatch } from '../common/settings';

/**
 * Builds the rejection value for a failed call.
 *
 * contextBridge copies an `Error` instance as a bare Error (message only: `code` would be lost),
 * but copies a plain object with all its own enumerable properties. So the value thrown is NOT a
 * native Error: it is an ordinary object whose prototype is `TesseraError.prototype` (so
 * `instanceof TesseraError` holds wherever no bridge copy happens, as in tests and the e2e browser
 * host) and whose `name`, `code`, `message` and `info` are own enumerable properties (so they survive
 * the copy into the page, where the prototype is dropped). Pages must check `code`, never `instanceof`.
 */
export function toBridgeError(info: ErrorInfo): TesseraError {
  const error = Object.create(TesseraError.prototype) as TesseraError;
  return Object.assign(error, {
    name: 'TesseraError',
    code: info.code,
    message: info.message,
    info: { ...info },
  });
}

function internal(message: string): TesseraError {
  return toBridgeError({ code: 'INTERNAL', message });
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : 'unknown failure';
}

/** Unwraps a tagged `Result`; anything that is not one is a bug in main → INTERNAL. */
function unwrap<T>(channel: Channel, answer: unknown): T {
  if (typeof answer === 'object' && answer !== null) {
    const result = answer as { ok?: unknown; value?: unknown; error?: unknown };
    if (result.ok === true && 'value' in result) return result.value as T;
    if (result.ok === false && isErrorInfo(result.error)) throw toBridgeError(result.error);
  }
  throw internal(`Malformed answer from main on ${channel}`);
}

/** Calls one channel and turns every failure (including a transport throw) into a TesseraError. */
async function call<C extends Channel>(
  transport: BridgeTransport,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  // Refused here, before it is sent: main would otherwise have to deserialize all of it first.
  const tooLarge = payloadTooLarge(request);
  if (tooLarge) throw toBridgeError(tooLargeError(channel, tooLarge));
  let answer: unknown;
  try {
    answer = await transport.invoke(channel, request);
  } catch (cause) {
    // ipcRenderer.invoke rejects when main has no handler or its handler threw: a bug, not a result.
    throw internal(`IPC call ${channel} failed: ${describeCause(cause)}`);
  }
  return unwrap<ResponseOf<C>>(channel, answer);
}

/**
 * The page-facing API (`window.tessera`) over a transport: one method per channel, no raw
 * invoke/send passthrough. Requests are rebuilt from known fields only, so the page cannot smuggle
 * extra (or uncloneable) properties through. The returned object is deeply frozen. `argv`: the
 * renderer's command line (`process.argv` in the preload), where main puts the OS's regional formats
 * (`--tessera-format-locales`, see common/locale.ts); only valid locale tags are taken from it.
 */
export function createBridge(
  transport: BridgeTransport,
  options: { argv?: readonly unknown[] } = {},
): TesseraBridge {
  const auth: TesseraBridge['auth'] = {
    signIn: (request: SignInRequest) =>
      call(transport, 'auth:sign-in', {
        username: request?.username,
        password: request?.password,
        ...(request?.apiBaseUrl === undefined ? {} : { apiBaseUrl: request.apiBaseUrl }),
      }),
    signInWithProvider: () => call(transport, 'auth:sign-in-oidc', undefined),
    cancelSignIn: () => call(transport, 'auth:cancel-sign-in', undefined),
    signOut: (request?: SignOutRequest) =>
      call(
        transport,
        'auth:sign-out',
        request === undefined || request === null
          ? undefined
          : {
              ...(request.account === undefined ? {} : { account: request.account }),
              ...(request.all === true ? { all: true as const } : {}),
            },
      ),
    listAccounts: () => call(transport, 'auth:list-accounts', undefined),
    switchAccount: (id: string) => call(transport, 'auth:switch-account', { id }),
    getAccessToken: (request?: GetAccessTokenRequest) =>
      call(
        transport,
        'auth:get-access-token',
        request === undefined
          ? undefined
          : {
              forceRefresh: request?.forceRefresh === true,
              ...(typeof request?.rejectedExpiresAt === 'number'
                ? { rejectedExpiresAt: request.rejectedExpiresAt }
                : {}),
              ...(typeof request?.account === 'string' ? { account: request.account } : {}),
            },
      ),
    getSession: () => call(transport, 'auth:get-session', undefined),
    retryRestore: () => call(transport, 'auth:retry-restore', undefined),
    onSessionChange: (listener: (session: SessionView) => void) => {
      if (typeof listener !== 'function') throw new TypeError('onSessionChange needs a listener function');
      // One listener that throws must not keep the others from the event (an emitter stops at a throw):
      // the API client drops its token on it, so a page error must not leave that token in use.
      let unsubscribe: (() => void) | null = transport.subscribe('session:changed', (view) => {
        try {
          listener(view);
        } catch (error) {
          console.error('a session listener threw', error);
        }
      });
      return () => {
        unsubscribe?.();
        unsubscribe = null;
      };
    },
  };
  const settings: TesseraBridge['settings'] = {
    get: () => call(transport, 'settings:get', undefined),
    update: (patch: SettingsPatch) => call(transport, 'settings:update', { ...patch }),
    probeApi: (url: string) => call(transport, 'settings:probe-api', { url }),
    trySignIn: (request: TrySignInRequest) =>
      call(transport, 'settings:try-sign-in', {
        apiBaseUrl: request?.apiBaseUrl,
        apiProfile: request?.apiProfile,
        authContract: request?.authContract ?? null,
        username: request?.username,
        password: request?.password,
      }),
  };
  const formatLocales = formatLocalesFromArgv(options.argv);
  const system: TesseraBridge['system'] = { formatLocales: () => [...formatLocales] };
  return Object.freeze({
    auth: Object.freeze(auth),
    settings: Object.freeze(settings),
    system: Object.freeze(system),
  });
}
