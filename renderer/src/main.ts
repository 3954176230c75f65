import type { SessionView } from '../../common/session';
import { startApp } from './app';
import { createTranslator, preferredLocales, resolveLocale } from './i18n';
import { errorInfoOf } from './messages/error-messages';
import { createFatalPage } from './views/fatal';

/** Boots the UI: settings and session from the bridge, then render and follow session events. */
async function boot(root: HTMLElement): Promise<void> {
  const bridge = window.tessera;
  const fallbackT = createTranslator(
    resolveLocale('system', navigator.language),
    preferredLocales(bridge, navigator.languages),
  );
  document.documentElement.lang = fallbackT.locale;
  if (!bridge) {
    root.replaceChildren(createFatalPage(fallbackT, fallbackT('fatal.noBridge'), false));
    return;
  }
  // Subscribe before asking, so a change that happens meanwhile is not lost; the newest event wins
  // over the (possibly older) getSession answer.
  let latest: SessionView | null = null;
  let app: ReturnType<typeof startApp> | null = null;
  bridge.auth.onSessionChange((session) => {
    latest = session;
    app?.setSession(session);
  });
  try {
    const [settings, session] = await Promise.all([bridge.settings.get(), bridge.auth.getSession()]);
    app = startApp(root, bridge, { settings, session: latest ?? session });
  } catch (error) {
    // The cause is main's or the browser's English: shown under "Details", never inside the sentence.
    const detail = errorInfoOf(error)?.message ?? (error instanceof Error ? error.message : String(error));
    root.replaceChildren(createFatalPage(fallbackT, fallbackT('fatal.bootFailed'), true, detail));
  }
}

const root = document.getElementById('app');
if (root) void boot(root);
