/**
 * The folder picker for moving the data folder: a browser can only type a path, the desktop app can
 * offer the system's dialog. It only returns the chosen path; the move itself is the station's
 * HTTP route, with all its checks, as from any browser.
 */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';

/** `trusted` says whether a message comes from a station page (main.ts); others get null. */
export function registerStorageIpc(window: () => BrowserWindow | null, title: string, trusted: (event: IpcMainInvokeEvent) => boolean): void {
  ipcMain.handle('storage:pick-folder', async (event) => {
    if (!trusted(event)) return null;
    const win = window();
    const options = { title, properties: ['openDirectory', 'createDirectory', 'promptToCreate'] as Array<'openDirectory' | 'createDirectory' | 'promptToCreate'> };
    const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return choice.canceled ? null : (choice.filePaths[0] ?? null);
  });
}
