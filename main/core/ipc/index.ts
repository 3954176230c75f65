export { broadcastSessionChanges, type WebContentsLike, type WindowLike } from './broadcast';
export { dispatch } from './dispatch';
export {
  createIpcHandlers,
  type IpcHandler,
  type IpcHandlerDeps,
  type IpcHandlers,
  type IpcLogger,
} from './handlers';
export { type IpcMainLike, registerIpcHandlers } from './register';
export {
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  REQUEST_SCHEMAS,
  type WireRequest,
} from './request-schemas';
export { type FrameLike, type InvokeEventLike, isTrustedSender } from './sender';
