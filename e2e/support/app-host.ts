import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Settings } from '../../common/settings';
import { USER_SETTINGS_FILE } from '../../main/core/config/settings-store';
import type { KeytarLike } from '../../main/core/vault';

/**
 * The user settings file (settings.json) a test's app starts with: the layer the Settings view edits,
 * so nothing in it is locked. The fixtures write `{ apiBaseUrl: server.url }` and a spec's `userSettings` over it.
 */
export type UserSettingsFile = Partial<Settings>;

/** An IT policy file: `managed` keys are locked, `defaults` are starting values (docs/it-guide.md). */
export interface PolicyFile {
  managed?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
}

/**
 * A keychain module in place of the OS's, and the keychain timeout to use with it (shortened so a test
 * need not wait 5 s): e.g. test/support/prompted-keychain.ts, whose read waits on a "prompt".
 */
export interface KeychainStandIn {
  loadKeytar: () => Promise<KeytarLike>;
  timeoutMs: number;
}

/** One native confirmation main showed. */
export interface ConnectionPrompt {
  message: string;
  detail: string;
}

/** The running app, whichever host runs it. */
export interface AppHost {
  readonly kind: 'browser' | 'electron';
  /** The app's window; a new Page after `restart()` on the electron host. */
  readonly window: Page;
  /** Quits and starts the app again with the same keychain and user data; resolves to its window. */
  restart(): Promise<Page>;
  /**
   * Restarts as `restart()` does, with `keychain` in place of the OS keychain module for that run
   * (browser host only: Electron's main loads the real module, and a keychain prompt cannot be
   * produced or answered from a test). A later `restart()` uses the real one again.
   */
  restartWithKeychain(keychain: KeychainStandIn): Promise<Page>;
  /** Installs an IT policy file and restarts the app so it takes effect (browser host only). */
  setPolicy(policy: PolicyFile): Promise<Page>;
  /**
   * Replaces the IT policy file while the app runs, without a restart (browser host only): the app's
   * live policy watcher applies it (the window reloads to show it).
   */
  changePolicy(policy: PolicyFile): Promise<void>;
  /** The access token main holds right now (null when signed out). */
  accessToken(): Promise<string | null>;
  /**
   * Resolves once the keychain calls main asked for have ended: a session writes its refresh token
   * behind it, so the keychain holds a sign-in's (or a refresh's) token a moment after the window shows
   * it. Browser host: exactly (main runs in this process). Electron host: main's calls are out of reach;
   * it waits until the session no longer says its token is "not stored yet" (a sign-in's write).
   */
  keychainSettled(): Promise<void>;
  /**
   * How the person answers main's native confirmation of a server or sign-in-method change from now on
   * (the app starts with "confirm"), standing in for the click a real person makes.
   */
  answerConnectionChanges(answer: 'confirm' | 'cancel'): Promise<void>;
  /** The confirmations main asked for so far: the dialog's message and detail (old → new origin). */
  connectionPrompts(): Promise<ConnectionPrompt[]>;
  /** Everything the app logged so far (main's log lines and the page console). */
  logs(): string;
  /** Quits the app; with `tracePath`, first writes the Playwright trace recorded since launch there. */
  close(options?: { tracePath?: string }): Promise<void>;
}

/** Collects the page console into the log book (it is part of what "no token in logs" covers). */
export function recordPageConsole(page: Page, append: (line: string) => void): void {
  page.on('console', (message) => append(`[page ${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => append(`[page exception] ${error.stack ?? error.message}`));
}

/**
 * Writes `settings` (e.g. `{ apiBaseUrl }`) as a fresh userData's user settings file (the layer the
 * Settings view edits), so a spec can change the API from the page; a relaunch keeps whatever was saved
 * since.
 */
export function seedUserSettings(userDataDir: string, settings: UserSettingsFile): void {
  mkdirSync(userDataDir, { recursive: true });
  const file = join(userDataDir, USER_SETTINGS_FILE);
  if (!existsSync(file)) writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}
