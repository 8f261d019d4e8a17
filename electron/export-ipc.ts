/**
 * Native actions on finished exports: drag out of the window, show in the file manager, save a copy.
 * The renderer names a job and a file role; the path comes from the station's own job record, so a
 * page can never make the shell touch an arbitrary file.
 */
import { app, dialog, ipcMain, nativeImage, shell, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ExportFileRole } from '../shared/api.js';
import type { Station } from './station/station.js';

/**
 * `station` is a getter: after a data folder move (station-host.ts) another Station serves the same window.
 * `trusted` says whether a message comes from a station page (main.ts); others get nothing.
 */
export function registerExportIpc(station: () => Station, window: () => BrowserWindow | null, trusted: (event: IpcMainEvent | IpcMainInvokeEvent) => boolean): void {
  const fileOf = (jobId: unknown, role: unknown): string | null => {
    const r = ExportFileRole.safeParse(role);
    return typeof jobId === 'string' && r.success ? station().exportFilePath(jobId, r.data) : null;
  };

  ipcMain.on('export:start-drag', (event, jobId: unknown, role: unknown) => {
    if (!trusted(event)) return;
    const file = fileOf(jobId, role);
    if (!file) return;
    // startDrag needs an icon; the system's own icon for the file type is what users expect to see.
    void app.getFileIcon(file).then(
      (icon) => event.sender.startDrag({ file, icon }),
      () => event.sender.startDrag({ file, icon: nativeImage.createEmpty() }),
    );
  });

  ipcMain.handle('export:show-in-folder', (event, jobId: unknown, role: unknown) => {
    if (!trusted(event)) return;
    const file = fileOf(jobId, role);
    if (file) shell.showItemInFolder(file);
  });

  ipcMain.handle('export:save-as', async (event, jobId: unknown, role: unknown) => {
    if (!trusted(event)) return null;
    const file = fileOf(jobId, role);
    const win = window();
    if (!file || !win) return null;
    const choice = await dialog.showSaveDialog(win, { defaultPath: join(app.getPath('downloads'), basename(file)) });
    if (choice.canceled || !choice.filePath) return null;
    await copyFile(file, choice.filePath);
    return choice.filePath;
  });
}
