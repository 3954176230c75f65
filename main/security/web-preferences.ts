import { formatLocalesArguments } from '../../common/locale';

/**
 * The only webPreferences any window gets. Every security-relevant switch is set explicitly,
 * even where it matches Electron's default, so a future default change cannot weaken it.
 * `formatLocales` (the OS's regional format and preferred languages) reaches the preload as the one
 * command-line switch `additionalArguments` may carry: only valid locale tags, nothing else.
 */
export function secureWebPreferences(
  preloadPath: string | null,
  options: { javascript?: boolean; formatLocales?: readonly unknown[] } = {},
) {
  const additionalArguments = formatLocalesArguments(options.formatLocales ?? []);
  return {
    // For the preload only (a window without one gets none).
    ...(preloadPath === null || additionalArguments.length === 0 ? {} : { additionalArguments }),
    // A window without a preload (the proxy sign-in prompt) gets no bridge at all.
    ...(preloadPath === null ? {} : { preload: preloadPath }),
    // Off for a window whose page is a plain form (the proxy prompt): nothing there needs a script.
    ...(options.javascript === false ? { javascript: false } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } as const;
}
