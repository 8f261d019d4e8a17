/**
 * The Electron shell: a window onto the station core, nothing more. The core (electron/station) runs
 * in this process exactly as it does under `packwitness station`; the window loads the same served UI a
 * browser would. Every behaviour that matters lives in Node modules tested without Electron
 * (electron/desktop/: tray state, menus, labels, the capped shutdown; electron/station/crash-log.ts);
 * this file only binds them to Electron's APIs. Type-checked here, never run (Electron cannot be
 * downloaded on the build machines).
 */
import { app, BrowserWindow, dialog, Menu, nativeImage, powerMonitor, session, shell, Tray, type IpcMainEvent, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusResponse } from '../shared/api.js';
import { crashLogPath, recordCrash } from './station/crash-log.js';
import { defaultDataDir } from './station/data-dir.js';
import { appRoot, resourcesDir } from './station/resources.js';
import type { Station } from './station/station.js';
import { StationHost } from './station/station-host.js';
import { registerExportIpc } from './export-ipc.js';
import { registerStorageIpc } from './storage-ipc.js';
import { electronNativeBindingPath } from './native-binding.js';
import { useSqliteBinding } from './station/catalog/sqlite.js';
import { localizedText } from './station/localized-error.js';
import { appMenuTemplate, type MenuAction, type MenuItemSpec } from './desktop/app-menu.js';
import { DESKTOP_SETTINGS, parseBooleanSetting } from './desktop/desktop-settings.js';
import { desktopLabels } from './desktop/menu-labels.js';
import { crashLogReport, createShutdown, SHUTDOWN_CAP_MS } from './desktop/shutdown.js';
import { trayState } from './desktop/tray-state.js';
import { ipcSenderAllowed, navigationDecision, permissionAllowed, redirectAllowed, type NavigationDecision } from './desktop/web-guards.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(process.env.PACKWITNESS_DATA ?? defaultDataDir());
/** How often the tray asks the station whether it records: cheap (in-process), and a glance is enough. */
const TRAY_POLL_MS = 2_000;

let station: Station | null = null;
// Storage folder move: the host replaces `station` after a move from the settings.
let host: StationHost | null = null;
let win: BrowserWindow | null = null;
let library: BrowserWindow | null = null;
let tray: Tray | null = null;
let trayTimer: NodeJS.Timeout | null = null;
let labels = desktopLabels('en');

/** After a move from the settings the data is elsewhere; the old folder holds only the pointer. */
function currentDataDir(): string {
  return station?.dataDir ?? dataDir;
}

// Crashes go to <data>/logs/crash.log, which the health page shows (GET /api/logs/crash).
process.on('uncaughtException', (err) => {
  recordCrash(currentDataDir(), 'main', err);
  void stopAndExit('uncaught exception', 1);
});

const shutdown = createShutdown(() => host?.stop() ?? Promise.resolve(), SHUTDOWN_CAP_MS, crashLogReport(currentDataDir));

async function stopAndExit(reason: string, code: number): Promise<void> {
  if (trayTimer) clearInterval(trayTimer);
  await shutdown(reason);
  app.exit(code);
}

if (!app.requestSingleInstanceLock()) {
  // One station per PC: a second launch just brings the first window forward.
  app.quit();
} else {
  // As from the tray and the menu: a window that fails to load is an unhandled rejection, which the
  // uncaughtException handler above records as a crash.
  app.on('second-instance', () => void showStation());
  app.whenReady().then(start, (err: unknown) => fatal(err));
}

async function start(): Promise<void> {
  labels = desktopLabels(app.getLocale());
  // better-sqlite3 built for Electron's ABI, beside Node's build in node_modules (npm run rebuild:electron):
  // set once for the process, so every SQLite open (station, data-folder move, doctor) loads it.
  useSqliteBinding(electronNativeBindingPath(appRoot()));
  host = new StationHost({
    station: {
      dataDir,
      // No default: without the variable the saved camera setting is used (then 'auto').
      camera: process.env.PACKWITNESS_CAMERA,
      port: 0,
      token: randomBytes(24).toString('base64url'),
      station: process.env.PACKWITNESS_STATION,
    },
    // After a move the window keeps its URL (same port and token) and the page polls until it answers.
    onStationStarted: (s) => (station = s),
    onFatal: (err) => fatal(err),
  });
  try {
    await host.start();
  } catch (err) {
    fatal(err);
    return;
  }
  guardPermissions();
  registerExportIpc(() => host!.station, () => win, fromStationPage);
  registerStorageIpc(() => win, labels.pickDataFolder, fromStationPage);
  applyOpenAtLogin(readFlag(DESKTOP_SETTINGS.openAtLogin));
  buildMenu();
  createTray();
  watchPowerOff();
  await showStation();
}

function readFlag(key: string): boolean {
  return station?.readSetting(key, false, parseBooleanSetting) ?? false;
}

function toggleFlag(key: string): boolean {
  const next = !readFlag(key);
  station?.writeSetting(key, next);
  return next;
}

function origin(): string {
  return station ? new URL(station.url).origin : '';
}

/** IPC is answered only for the top frame of a station page (web-guards.ts). */
function fromStationPage(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return ipcSenderAllowed(frame ? { url: frame.url, isTop: frame.parent === null } : null, origin());
}

/** Every permission a page asks for is refused, except what the station's pages need (web-guards.ts). */
function guardPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl || contents.getURL(), origin()));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, origin()));
}

/** Web links to the system browser (http/https only); anything else is dropped. */
function follow(decision: NavigationDecision): void {
  if (decision.action === 'open-external') void shell.openExternal(decision.url);
}

/** A window that shows only the station's own pages; web links open in the system browser. */
function stationWindow(opts: { title: string; fullScreen?: boolean }): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 800,
    backgroundColor: '#111111',
    title: opts.title,
    icon: join(resourcesDir(), 'icons', 'icon.png'),
    fullscreen: opts.fullScreen ?? false,
    webPreferences: { preload: join(here, 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  w.webContents.on('will-navigate', (event, url) => {
    const decision = navigationDecision(url, origin());
    if (decision.action === 'allow') return;
    event.preventDefault();
    follow(decision);
  });
  // A server redirect away from the station is nobody's click: blocked, not opened elsewhere.
  w.webContents.on('will-redirect', (event, url) => {
    if (!redirectAllowed(url, origin())) event.preventDefault();
  });
  w.webContents.setWindowOpenHandler(({ url }) => {
    follow(navigationDecision(url, origin()));
    return { action: 'deny' };
  });
  // Windows logs off or shuts down: stop recording cleanly while Windows waits (a few seconds).
  w.on('session-end', () => void stopAndExit('windows session end', 0));
  return w;
}

async function showStation(): Promise<void> {
  if (!station) return;
  if (win) {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return;
  }
  win = stationWindow({ title: 'PackWitness 打包见证', fullScreen: readFlag(DESKTOP_SETTINGS.fullScreen) });
  win.on('closed', () => (win = null));
  // Not waiting for the first segment: if the camera is missing, the packer must see NOT RECORDING now.
  await win.loadURL(station.url);
}

async function showLibrary(): Promise<void> {
  if (!station) return;
  if (library) {
    library.show();
    library.focus();
    return;
  }
  library = stationWindow({ title: `${labels.library} — PackWitness` });
  library.on('closed', () => (library = null));
  // The READY URL trades the token for a cookie and redirects to /, keeping the hash.
  await library.loadURL(`${station.url}#/library`);
}

const actions: Record<MenuAction, () => void> = {
  'show-station': () => void showStation(),
  'show-library': () => void showLibrary(),
  'toggle-full-screen': () => {
    const on = toggleFlag(DESKTOP_SETTINGS.fullScreen);
    win?.setFullScreen(on);
    buildMenu();
  },
  'toggle-open-at-login': () => {
    applyOpenAtLogin(toggleFlag(DESKTOP_SETTINGS.openAtLogin));
    buildMenu();
  },
  'open-crash-log': () => void shell.openPath(crashLogPath(currentDataDir())),
  'open-data-folder': () => void shell.openPath(currentDataDir()),
  quit: () => app.quit(),
};

function toElectron(items: MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map((i) => ({
    label: i.label,
    role: i.role,
    type: i.type,
    checked: i.checked,
    accelerator: i.accelerator,
    submenu: i.submenu ? toElectron(i.submenu) : undefined,
    click: i.action ? actions[i.action] : undefined,
  }));
}

function menuState() {
  return { fullScreen: readFlag(DESKTOP_SETTINGS.fullScreen), openAtLogin: readFlag(DESKTOP_SETTINGS.openAtLogin), platform: process.platform };
}

function buildMenu(): void {
  const template = appMenuTemplate(labels, menuState());
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(template)));
  // The tray offers the first menu (station, library, modes, quit).
  tray?.setContextMenu(Menu.buildFromTemplate(toElectron(template[0]?.submenu ?? [])));
}

function applyOpenAtLogin(on: boolean): void {
  // Windows and macOS; on Linux Electron has no login items (the .desktop autostart is the user's).
  if (process.platform === 'linux') return;
  app.setLoginItemSettings({ openAtLogin: on });
}

function createTray(): void {
  const image = (name: string) => nativeImage.createFromPath(join(resourcesDir(), 'icons', `${name}.png`));
  tray = new Tray(image('tray-idle'));
  tray.on('click', () => void showStation());
  buildMenu();
  let shown = '';
  const refresh = (): void => {
    let status: StatusResponse | null;
    try {
      status = station?.status() ?? null;
    } catch {
      status = null;
    }
    const s = trayState(status, labels);
    if (s.icon !== shown) {
      tray?.setImage(image(s.icon));
      shown = s.icon;
    }
    tray?.setToolTip(s.tooltip);
    // Electron can neither list trays nor read a tooltip back: the shell's e2e test
    // (test/e2e/electron-shell.test.ts) reads what the tray shows from here.
    (globalThis as { packwitnessTrayShown?: { icon: string; tooltip: string } }).packwitnessTrayShown = { icon: s.icon, tooltip: s.tooltip };
  };
  refresh();
  trayTimer = setInterval(refresh, TRAY_POLL_MS);
}

/** Power-off and logout on macOS and Linux: hold the shutdown until the last segment is indexed. */
function watchPowerOff(): void {
  if (process.platform === 'win32') return;
  powerMonitor.on('shutdown', () => void stopAndExit('system shutdown', 0));
}

// Crashes of the windows and helper processes (the station keeps recording in this process).
app.on('render-process-gone', (_event, contents, details) => {
  recordCrash(currentDataDir(), 'renderer', `render process gone: ${details.reason}`, { reason: details.reason, exitCode: details.exitCode, url: contents.getURL() });
});
app.on('child-process-gone', (_event, details) => {
  if (details.reason === 'clean-exit') return;
  recordCrash(currentDataDir(), 'child-process', `${details.type} process gone: ${details.reason}`, { type: details.type, reason: details.reason, exitCode: details.exitCode, name: details.name ?? null });
});

// Closing the windows leaves the station recording in the tray; Quit (menu, tray, Cmd+Q) ends it.
app.on('window-all-closed', () => undefined);

// Close the core before exiting, so the clip in progress and the last segment are closed and indexed.
// app.exit() (how stopAndExit ends) does not come through here, so every quit request waits for it.
app.on('before-quit', (event) => {
  if (!station) return;
  event.preventDefault();
  if (shutdown.started) return;
  tray?.setToolTip(`PackWitness — ${labels.stopping}`);
  void stopAndExit('quit', 0);
});

function fatal(err: unknown): void {
  recordCrash(currentDataDir(), 'start', err);
  // A refusal worded in both languages (a lost database, a folder move) is shown in both.
  const text = localizedText(err);
  const message = text ? `${text['zh-CN']}\n\n${text.en}` : err instanceof Error ? err.message : String(err);
  dialog.showErrorBox(`${labels.startFailed} / 打包见证无法启动`, message);
  app.exit(1);
}
