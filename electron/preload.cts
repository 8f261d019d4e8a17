/**
 * The preload exposes almost nothing: the UI talks to the station over HTTP like any browser, so the
 * same renderer runs in Electron and on a LAN PC. Only what a browser cannot do comes through here:
 * native file actions on finished exports (see renderer/src/app/shell.ts and electron/export-ipc.ts)
 * and a folder picker for moving the data folder (electron/storage-ipc.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';

type Role = string;

contextBridge.exposeInMainWorld('packwitnessShell', {
  kind: 'electron' as const,
  startDrag: (jobId: string, role: Role): void => ipcRenderer.send('export:start-drag', jobId, role),
  showInFolder: (jobId: string, role: Role): Promise<void> => ipcRenderer.invoke('export:show-in-folder', jobId, role),
  saveAs: (jobId: string, role: Role): Promise<string | null> => ipcRenderer.invoke('export:save-as', jobId, role),
  pickFolder: (): Promise<string | null> => ipcRenderer.invoke('storage:pick-folder'),
});
