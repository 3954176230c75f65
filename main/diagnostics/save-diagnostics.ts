// `tessera --save-diagnostics <file>`: the diagnostics bundle without a window (like
// --print-effective-settings: before the single-instance lock, so it works while the app runs).
import { resolve } from 'node:path';
import { createDiagnosticsZip } from './bundle';
import { collectDiagnostics, type DiagnosticsContext } from './collect';
import { writeOwnerOnlyFileSync } from './owner-only-file';

/** The command-line flag. */
export const SAVE_DIAGNOSTICS_FLAG = '--save-diagnostics';

/** The file named after the flag (`--save-diagnostics out.zip` or `--save-diagnostics=out.zip`), or null. */
export function saveDiagnosticsTarget(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith(`${SAVE_DIAGNOSTICS_FLAG}=`))
      return arg.slice(SAVE_DIAGNOSTICS_FLAG.length + 1) || null;
    if (arg === SAVE_DIAGNOSTICS_FLAG) {
      const next = argv[i + 1];
      return next === undefined || next.startsWith('--') ? null : next;
    }
  }
  return null;
}

/** Writes the bundle `argv` names; returns the exit code (0 saved, 2 no file named, 1 not written). */
export function saveDiagnosticsCommand(
  context: DiagnosticsContext & { cwd: string; write: (text: string) => void; error: (text: string) => void },
): number {
  const target = saveDiagnosticsTarget(context.argv);
  if (target === null) {
    context.error(
      `tessera ${SAVE_DIAGNOSTICS_FLAG}: name the file to write, e.g. ${SAVE_DIAGNOSTICS_FLAG} diagnostics.zip\n`,
    );
    return 2;
  }
  const file = resolve(context.cwd, target);
  try {
    writeOwnerOnlyFileSync(file, createDiagnosticsZip(collectDiagnostics(context)));
  } catch (error) {
    context.error(
      `tessera ${SAVE_DIAGNOSTICS_FLAG}: could not write ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`,
    );
    return 1;
  }
  context.write(`${file}\n`);
  return 0;
}
