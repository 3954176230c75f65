import { httpUrlProblem } from '../core/config/http-url';

/** Update-related settings as the config layer resolves them (policy `managed` wins over the user). */
export interface UpdateSettings {
  /** Base URL of a generic update feed (where latest.yml etc. are hosted). No URL, no updates. */
  updateUrl?: string | null;
  /** Feed channel: `latest`, `beta`, … (file `<channel>.yml`). Default `latest`. */
  updateChannel?: string | null;
  /** `false` turns updates off even when a URL is set (IT: `managed.updatesEnabled: false`). */
  updatesEnabled?: boolean;
}

/** How this copy of the app was installed (see install-scope.ts). */
export interface InstallInfo {
  platform: string;
  /** Installed for all users (Program Files, a root-owned bundle, a deb/rpm): never updated silently. */
  perMachine: boolean;
  /** Running from an AppImage: the updater replaces that single file. */
  appImage?: boolean;
  /** A copy the updater cannot replace (unpacked folder, portable exe). */
  portable?: boolean;
}

export interface UpdateInput {
  settings: UpdateSettings;
  install: InstallInfo;
  /** `app.isPackaged`: development runs never update. */
  isPackaged: boolean;
}

export interface UpdateFeed {
  provider: 'generic';
  url: string;
  channel: string;
}

export type UpdateOffReason =
  | 'not-packaged'
  | 'disabled'
  | 'no-update-url'
  | 'invalid-update-url'
  | 'invalid-update-channel'
  | 'unsupported-platform'
  | 'unsupported-install';

export type UpdateDecision =
  | { mode: 'off'; reason: UpdateOffReason; detail: string }
  | { mode: 'notify' | 'auto'; feed: UpdateFeed; allowDowngrade: false };

const SUPPORTED_PLATFORMS = new Set(['win32', 'darwin', 'linux']);
/**
 * An update channel name as the feed file names it (`<channel>.yml`, `<channel>-mac.yml`): lower-case
 * letters, digits, - and _ only, at most 32.
 */
const UPDATE_CHANNEL = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * The channel a written value names, or null when it cannot be one. Case does not matter to a person
 * but does to the feed's web server, and electron-builder writes the files in lower case
 * (`1.5.0-beta.1` gives `beta.yml`), so `Beta` reads `beta.yml`, never `Beta.yml`. The one rule: the
 * settings schema (`updateChannelSchema`) normalises and validates with it too.
 */
export function updateChannelName(raw: string): string | null {
  const channel = raw.trim().toLowerCase();
  return UPDATE_CHANNEL.test(channel) ? channel : null;
}

function off(reason: UpdateOffReason, detail: string): UpdateDecision {
  return { mode: 'off', reason, detail };
}

/**
 * Parses an update feed URL: the settings' http(s) URL rule (`httpUrlProblem`: no user name or
 * password, no port 0) with https only, even on loopback, and no query or fragment (the updater
 * appends `<channel>.yml` to it). Returns it with a trailing slash so the file resolves inside its
 * folder. The one rule for update URLs: the settings schema (`updateUrlSchema`) validates with it too.
 */
export function parseUpdateUrl(raw: string): { ok: true; url: string } | { ok: false; problem: string } {
  const url = URL.parse(raw.trim());
  const problem = httpUrlProblem(url, 'https://updates.example.com/tessera/', 'never');
  if (url === null || problem !== null) return { ok: false, problem: problem ?? 'is invalid' };
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    return { ok: false, problem: 'must not contain a query or fragment' };
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { ok: true, url: url.href };
}

/**
 * Decides whether and how the app updates itself. Off unless a valid https `updateUrl` is configured;
 * per-machine installs only notify (an admin or the software-distribution tool installs the update);
 * per-user installs may install updates themselves (`auto`), and do so only when the build can verify
 * them (install-trust.ts; run-updates.ts only notifies otherwise). Downgrades are never allowed.
 */
export function decideUpdates({ settings, install, isPackaged }: UpdateInput): UpdateDecision {
  if (!isPackaged) return off('not-packaged', 'development runs never update');
  if (settings.updatesEnabled === false) return off('disabled', 'updatesEnabled is false');
  const rawUrl = settings.updateUrl?.trim() ?? '';
  if (rawUrl === '') return off('no-update-url', 'no updateUrl is configured');
  const parsed = parseUpdateUrl(rawUrl);
  if (!parsed.ok) return off('invalid-update-url', `updateUrl ${parsed.problem}`);
  const channel = updateChannelName(settings.updateChannel?.trim() || 'latest');
  if (channel === null) {
    return off('invalid-update-channel', 'updateChannel must be letters, digits, - or _ (at most 32)');
  }
  if (!SUPPORTED_PLATFORMS.has(install.platform)) {
    return off('unsupported-platform', `no updater for platform ${install.platform}`);
  }
  if (install.portable) return off('unsupported-install', 'a portable or unpacked copy cannot update itself');

  // On Linux only the AppImage is the user's own file; deb/rpm belong to the package manager.
  const userOwned = !install.perMachine && (install.platform !== 'linux' || install.appImage === true);
  return {
    mode: userOwned ? 'auto' : 'notify',
    feed: { provider: 'generic', url: parsed.url, channel },
    allowDowngrade: false,
  };
}
