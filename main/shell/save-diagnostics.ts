// Help → Save Diagnostics…: the native save dialog, then the bundle main/diagnostics builds.
import { release, version } from 'node:os';
import { app, BrowserWindow, dialog } from 'electron';
import type { Locale } from '../../common/locale';
import type { Logger } from '../core/logger';
import { createDiagnosticsZipAsync, diagnosticsFileName } from '../diagnostics/bundle';
import { collectDiagnostics, type DiagnosticsContext, type RunningApp } from '../diagnostics/collect';
import { writeOwnerOnlyFile } from '../diagnostics/owner-only-file';
import type { ConfigPorts } from '../effective-settings';
import { diagnosticsNotSavedMessage, saveDiagnosticsDialogText } from './shell-words';

/** The host's part of a bundle: versions, the OS, the log folder. */
export function shellDiagnosticsContext(ports: ConfigPorts, logDir: string): DiagnosticsContext {
  return {
    ...ports,
    version: app.getVersion(),
    platform: process.platform,
    versions: process.versions,
    os: {
      platform: process.platform,
      release: release(),
      arch: process.arch,
      version: version(),
      // `--save-diagnostics` runs before Electron is ready, when getLocale() answers '' (Windows): the
      // process's ICU locale then.
      locale: (app.isReady() ? app.getLocale() : '') || Intl.DateTimeFormat().resolvedOptions().locale,
    },
    logDir,
    now: Date.now,
  };
}

/**
 * Asks where to save the bundle (Downloads by default) and writes it, readable by the person only. The
 * dialog and its error box are in `language` (main/index.ts resolves the setting).
 */
export async function saveDiagnostics(
  context: DiagnosticsContext,
  running: RunningApp,
  logger: Logger,
  language: Locale,
): Promise<void> {
  const text = saveDiagnosticsDialogText(language);
  const options = {
    title: text.title,
    defaultPath: `${app.getPath('downloads')}/${diagnosticsFileName(context.now())}`,
    filters: [{ name: text.filterName, extensions: ['zip'] }],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const answer = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (answer.canceled || !answer.filePath) return;
  try {
    await writeOwnerOnlyFile(
      answer.filePath,
      await createDiagnosticsZipAsync(collectDiagnostics(context, running)),
    );
    logger.info('diagnostics bundle saved');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    logger.error(`could not save the diagnostics bundle (${code})`);
    const box = diagnosticsNotSavedMessage(code, language);
    dialog.showErrorBox(box.title, box.content);
  }
}
