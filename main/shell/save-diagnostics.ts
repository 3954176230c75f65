// Help → Save Diagnostics…: the native save dialog, then the bundle main/diagnostics builds.
import { release, version } from 'node:os';
import { app, BrowserWindow, dialog } from 'electron';
import type { Logger } from '../core/logger';
import { createDiagnosticsZipAsync, diagnosticsFileName } from '../diagnostics/bundle';
import { collectDiagnostics, type DiagnosticsContext, type RunningApp } from '../diagnostics/collect';
import { writeOwnerOnlyFile } from '../diagnostics/owner-only-file';
import type { ConfigPorts } from '../effective-settings';

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
      locale: app.getLocale(),
    },
    logDir,
    now: Date.now,
  };
}

/** Asks where to save the bundle (Downloads by default) and writes it, readable by the person only. */
export async function saveDiagnostics(
  context: DiagnosticsContext,
  running: RunningApp,
  logger: Logger,
): Promise<void> {
  const options = {
    title: 'Save Diagnostics',
    defaultPath: `${app.getPath('downloads')}/${diagnosticsFileName(context.now())}`,
    filters: [{ name: 'Zip archive', extensions: ['zip'] }],
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
    dialog.showErrorBox('Tessera', `The diagnostics could not be saved (${code}). Try another folder.`);
  }
}
