/**
 * The Electron shell: a window onto the station core, nothing more. The core (electron/station) runs
 * in this process exactly as it does under `packwitness station`; the window loads the same served UI a
 * browser would. Every behaviour that matters lives in the core and is tested without Electron.
 */
import { app, BrowserWindow, dialog, shell } from 'electron';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from './station/data-dir.js';
import { Station } from './station/station.js';
import { registerExportIpc } from './export-ipc.js';

const here = dirname(fileURLToPath(import.meta.url));
let station: Station | null = null;
let win: BrowserWindow | null = null;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  // One station per PC: a second launch just brings the first window forward.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.whenReady().then(start, (err: unknown) => fatal(err));
}

async function start(): Promise<void> {
  station = new Station({
    dataDir: process.env.PACKWITNESS_DATA ?? defaultDataDir(),
    camera: process.env.PACKWITNESS_CAMERA ?? 'auto',
    port: 0,
    token: randomBytes(24).toString('base64url'),
    station: process.env.PACKWITNESS_STATION,
  });
  try {
    await station.start();
  } catch (err) {
    fatal(err);
    return;
  }
  registerExportIpc(station, () => win);
  const origin = new URL(station.url).origin;
  win = new BrowserWindow({
    width: 1280,
    height: 800,
    backgroundColor: '#111111',
    title: 'PackWitness 打包见证',
    webPreferences: { preload: join(here, 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  // The window shows only the station's own pages; anything else opens in the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) {
      event.preventDefault();
      void shell.openExternal(url);
    }
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('closed', () => (win = null));
  // Not waiting for the first segment: if the camera is missing, the packer must see NOT RECORDING now.
  await win.loadURL(station.url);
}

app.on('window-all-closed', () => app.quit());

// Close the core before exiting, so the clip in progress and the last segment are closed and indexed.
app.on('before-quit', (event) => {
  if (quitting || !station) return;
  event.preventDefault();
  quitting = true;
  station.stop().finally(() => app.exit(0));
});

function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  dialog.showErrorBox('PackWitness could not start / 打包见证无法启动', message);
  app.exit(1);
}
