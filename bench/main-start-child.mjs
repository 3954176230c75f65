// One evaluation of main's built bundle (out/main/index.js) in a fresh Node process, for
// bench/main-start.ts: `node bench/main-start-child.mjs`, with TESSERA_BENCH_USER_DATA naming an empty
// folder. `electron` resolves to bench/electron-stub.mjs (Electron cannot be launched here), whose
// `app.whenReady()` never settles, so the import below ends where main waits for Electron to be ready.
// Prints one JSON line: how long the import took (reading, compiling and running the bundle up to that
// point) and whether Node's fetch implementation (undici) had been loaded by then.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier === 'electron') return { url: ${JSON.stringify(new URL('./electron-stub.mjs', import.meta.url).href)}, shortCircuit: true };
      return next(specifier, context);
    }`)}`,
);

const bundle = new URL('../out/main/index.js', import.meta.url).href;
const started = performance.now();
await import(bundle);
const ms = performance.now() - started;
const undiciLoaded = process.moduleLoadList.some((name) => name.includes('undici'));
console.log(JSON.stringify({ ms, undiciLoaded }));
// The keychain warm-up main starts first thing is still under way; this process has measured what it is for.
process.exit(0);
