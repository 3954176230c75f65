import { createBridge } from '../../preload/bridge';

/** Method names of `window.tessera` as preload/bridge.ts builds it (the page must show exactly these). */
export function bridgeApiShape(): { auth: string[]; settings: string[]; system: string[] } {
  // A transport that is never called: only the shape of the object is read.
  const bridge = createBridge({
    invoke: () => Promise.reject(new Error('not connected')),
    subscribe: () => () => {},
  });
  return {
    auth: Object.keys(bridge.auth).sort(),
    settings: Object.keys(bridge.settings).sort(),
    system: Object.keys(bridge.system).sort(),
  };
}
