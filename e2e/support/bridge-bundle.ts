import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./page-bridge.ts', import.meta.url));

/**
 * Bundles the real preload bridge (`preload/bridge.ts`) with the browser host's transport into one
 * IIFE for `page.addInitScript`. esbuild is already installed (a dependency of tsx/vite).
 */
export async function bundlePageBridge(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output for the page bridge');
  return output.text;
}
