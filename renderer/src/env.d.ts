import type { TesseraBridge } from '../../common/ipc';

declare global {
  interface Window {
    /** The preload bridge; absent when the page is opened outside the app (then boot shows an error page). */
    readonly tessera?: TesseraBridge;
  }
}
