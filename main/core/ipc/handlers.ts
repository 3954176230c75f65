import type { z } from 'zod';
import type { ErrorCode, Result } from '../../../common/errors';
import type { Channel, ResponseOf } from '../../../common/ipc';
import { payloadTooLarge, tooLargeError } from '../../../common/payload-bounds';
import type { AccountSummary, SessionView } from '../../../common/session';
import type { AccountRegistry } from '../accounts/registry';
import type { ConnectService } from '../config/connect-service';
import type { Session, SettingsStore } from '../contracts';
import { createLogPacer, pacedMessage } from '../log-pacing';
import { REQUEST_SCHEMAS, type WireRequest } from './request-schemas';
import { describeSender, type InvokeEventLike, isTrustedSender } from './sender';
import {
  mapResult,
  toWireAccount,
  toWireCancelSignIn,
  toWireGrant,
  toWireProbeResult,
  toWireSessionView,
  toWireSettingsView,
  toWireSignOut,
  toWireTrySignIn,
} from './wire-values';

/** Where refused and failed calls are reported. */
export interface IpcLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** One channel's handler: untrusted event and payload in, a tagged result out, never a throw. */
export type IpcHandler<C extends Channel> = (
  event: InvokeEventLike,
  payload: unknown,
) => Promise<Result<ResponseOf<C>>>;

/** The whole handler table, one entry per channel of the contract. */
export type IpcHandlers = { readonly [C in Channel]: IpcHandler<C> };

/** What the handlers are built from. */
export interface IpcHandlerDeps {
  /** The session the page sees: the account registry in the app; a plain session in some tests. */
  session: Session | AccountRegistry;
  settings: SettingsStore;
  /** The connect wizard's probe and trial sign-in (main/core/config/connect-service.ts). */
  connect: ConnectService;
  /** True for URLs of the app's own page: main/security's `isAppUrl` (the composition root passes it). */
  isAppUrl: (url: string) => boolean;
  logger: IpcLogger;
  /** The clock of the refusal warnings' pacing (log-pacing.ts; tests); default Date.now. */
  now?: () => number;
}

/** A plain session (no account registry) as an account list: itself while signed in, under the id `session`. */
function soleAccount(view: SessionView): AccountSummary[] {
  if (view.state === 'signedOut') return [];
  const username = view.user?.username ?? '';
  return [
    {
      id: 'session',
      name: view.user?.name || username,
      username,
      apiBaseUrl: view.apiBaseUrl ?? view.apiOrigin,
      state: view.state,
      offline: view.offline,
      reason: view.reason,
      active: true,
    },
  ];
}

/** Shown to the page for a bug in main; the details go to the log only. */
const INTERNAL_MESSAGE = 'Something went wrong inside the app. Please try again.';

function failure(
  code: ErrorCode,
  message: string,
): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

/**
 * Builds the IPC handler table over the core. Each handler checks the sender (the app's own top-level
 * frame only), then the payload (zod, per channel), then calls the core; answers are rebuilt so only
 * contract fields cross IPC, which keeps the refresh token in main.
 */
export function createIpcHandlers({
  session,
  settings,
  connect,
  isAppUrl,
  logger,
  now = Date.now,
}: IpcHandlerDeps): IpcHandlers {
  const pace = createLogPacer(now);
  /**
   * Warns of a refused call (a refused sender, a request too large), at most once per
   * PACED_LOG_INTERVAL_MS per channel and kind.
   */
  const warnRefusal = (key: string, message: string): void => {
    const left = pace(key);
    if (left !== null) logger.warn(pacedMessage(message, left));
  };
  const accounts = 'listAccounts' in session ? session : null;
  const noAccount = failure('NOT_FOUND', 'No account with this id is signed in.');
  const calls: { [C in Channel]: (request: WireRequest<C>) => Promise<Result<ResponseOf<C>>> } = {
    'auth:sign-in': async (request) =>
      mapResult(
        accounts
          ? await accounts.addAccount(request)
          : await session.signIn(request.username, request.password),
        toWireSessionView,
      ),
    'auth:sign-in-oidc': async () => mapResult(await session.signInWithProvider(), toWireSessionView),
    'auth:cancel-sign-in': async () => ({ ok: true, value: toWireCancelSignIn(session.cancelSignIn()) }),
    'auth:sign-out': async (request) =>
      accounts
        ? mapResult(await accounts.signOutAccounts(request), toWireSignOut)
        : { ok: true, value: toWireSignOut(await session.signOut()) },
    'auth:list-accounts': async () => ({
      ok: true,
      value: (accounts ? accounts.listAccounts() : soleAccount(session.getView())).map(toWireAccount),
    }),
    'auth:switch-account': async ({ id }) => {
      if (accounts) return mapResult(accounts.switchAccount(id), toWireSessionView);
      return soleAccount(session.getView()).some((account) => account.id === id)
        ? { ok: true, value: toWireSessionView(session.getView()) }
        : noAccount;
    },
    'auth:get-access-token': async (request) => mapResult(await session.getAccessToken(request), toWireGrant),
    'auth:get-session': async () => ({ ok: true, value: toWireSessionView(session.getView()) }),
    'auth:retry-restore': async () => ({ ok: true, value: toWireSessionView(await session.retryRestore()) }),
    'settings:get': async () => ({ ok: true, value: toWireSettingsView(settings.view()) }),
    // The saved values reach the session through the settings-change subscription of the
    // composition root (main/app-services.ts), which the store awaits before it answers.
    'settings:update': async (patch) => mapResult(await settings.update(patch), toWireSettingsView),
    'settings:probe-api': async ({ url }) => mapResult(await connect.probe(url), toWireProbeResult),
    'settings:try-sign-in': async (request) => mapResult(await connect.trySignIn(request), toWireTrySignIn),
  };

  function guard<C extends Channel>(channel: C): IpcHandler<C> {
    const schema: z.ZodType<WireRequest<C>> = REQUEST_SCHEMAS[channel];
    const call = calls[channel];
    return async (event, payload) => {
      try {
        if (!isTrustedSender(event, isAppUrl)) {
          warnRefusal(`${channel} sender`, `IPC ${channel}: refused a call from ${describeSender(event)}`);
          return failure('FORBIDDEN_SENDER', 'This page may not use the app bridge.');
        }
        // Bounded work for any payload, before the schema or the core looks at it.
        const tooLarge = payloadTooLarge(payload);
        if (tooLarge) {
          warnRefusal(`${channel} size`, `IPC ${channel}: refused a request that is too large (${tooLarge})`);
          return { ok: false, error: tooLargeError(channel, tooLarge) };
        }
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue === undefined || issue.path.length === 0 ? '' : ` (${issue.path.join('.')})`;
          return failure('INVALID_REQUEST', `Malformed ${channel} request${where}.`);
        }
        return await call(parsed.data);
      } catch (error) {
        logger.error(
          `IPC ${channel}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return failure('INTERNAL', INTERNAL_MESSAGE);
      }
    };
  }

  return {
    'auth:sign-in': guard('auth:sign-in'),
    'auth:sign-in-oidc': guard('auth:sign-in-oidc'),
    'auth:cancel-sign-in': guard('auth:cancel-sign-in'),
    'auth:sign-out': guard('auth:sign-out'),
    'auth:list-accounts': guard('auth:list-accounts'),
    'auth:switch-account': guard('auth:switch-account'),
    'auth:get-access-token': guard('auth:get-access-token'),
    'auth:get-session': guard('auth:get-session'),
    'auth:retry-restore': guard('auth:retry-restore'),
    'settings:get': guard('settings:get'),
    'settings:update': guard('settings:update'),
    'settings:probe-api': guard('settings:probe-api'),
    'settings:try-sign-in': guard('settings:try-sign-in'),
  };
}
