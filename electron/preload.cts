/**
 * The preload exposes almost nothing: the UI talks to the station over HTTP like any browser, so the
 * same renderer runs in Electron and on a LAN PC. Only what a browser cannot do will come through here.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('packwitnessShell', { kind: 'electron' as const });
