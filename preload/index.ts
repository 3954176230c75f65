// Placeholder; the bridge issue replaces it.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('tessera', {});
