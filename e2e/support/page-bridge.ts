// Runs IN THE PAGE of the browser host (bundled by esbuild into an init script, see bridge-bundle.ts).
// It is the browser host's stand-in for preload/index.ts: the real `createBridge`, over a transport
// whose invoke is a Playwright binding into the main-process core in the test's Node process.
// Plain Chromium has no context isolation, so the binding is taken off `window` before any page
// script runs, and `window.tessera` is made read-only like contextBridge's.
import type { Result } from '../../common/errors';
import type { BridgeTransport, EventName } from '../../common/ipc';
import { createBridge } from '../../preload/bridge';
import { HOST_ARGV_SYMBOL, HOST_EVENT_SYMBOL, INVOKE_BINDING } from './host-names';

type Invoke = (channel: string, payload: unknown) => Promise<Result<unknown>>;
type Listener = (payload: never) => void;

const scope = globalThis as unknown as Record<string | symbol, unknown>;
const binding = scope[INVOKE_BINDING];
delete scope[INVOKE_BINDING];
// What main would have put on the preload's command line (the OS's regional formats), if anything.
const argv = scope[Symbol.for(HOST_ARGV_SYMBOL)];
delete scope[Symbol.for(HOST_ARGV_SYMBOL)];

if (typeof binding !== 'function') {
  // Without the binding the page must fail like a window without its preload: visibly.
  console.error(`browser host: the ${INVOKE_BINDING} binding is missing; window.tessera not installed`);
} else {
  const invoke = binding as Invoke;
  const listeners = new Map<EventName, Set<Listener>>();

  // Main's pushes (core.onChange → broadcastSessionChanges) arrive through page.evaluate.
  Object.defineProperty(globalThis, Symbol.for(HOST_EVENT_SYMBOL), {
    value: (event: EventName, payload: unknown) => {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          (listener as (value: unknown) => void)(payload);
        } catch (error) {
          console.error(error);
        }
      }
    },
  });

  const transport: BridgeTransport = {
    invoke: (channel, request) => invoke(channel, request) as never,
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const entry = listener as Listener;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };

  Object.defineProperty(globalThis, 'tessera', {
    value: createBridge(transport, { argv: Array.isArray(argv) ? argv : [] }),
    enumerable: true,
    writable: false,
    configurable: false,
  });
}
