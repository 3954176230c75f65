import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./page-bridge.ts', import.meta.url));

/**
 * Bundles `entry` and what it imports into one IIFE for a Chromium page (`page.addInitScript`,
 * `page.evaluate`). esbuild is already installed (a dependency of tsx/vite).
 */
export async function bundleForPage(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: options.minify ?? false,
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}

/** The real preload bridge (`preload/bridge.ts`) with the browser host's transport, for the page. */
export function bundlePageBridge(): Promise<string> {
  return bundleForPage(ENTRY);
}
