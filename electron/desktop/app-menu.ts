/**
 * The application menu as data: main.ts turns each item into Electron's MenuItem, binding `action`
 * ids to handlers. Kept out of main.ts so both languages and the macOS layout are tested.
 */
import type { DesktopLabels } from './menu-labels.js';

export type MenuAction = 'show-station' | 'show-library' | 'toggle-full-screen' | 'toggle-open-at-login' | 'open-crash-log' | 'open-data-folder' | 'quit';
export type MenuRole = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'reload' | 'toggleDevTools' | 'minimize' | 'close' | 'hide' | 'unhide';

export interface MenuItemSpec {
  label?: string;
  action?: MenuAction;
  role?: MenuRole;
  type?: 'separator' | 'checkbox';
  checked?: boolean;
  accelerator?: string;
  submenu?: MenuItemSpec[];
}

export interface MenuState {
  fullScreen: boolean;
  openAtLogin: boolean;
  platform: NodeJS.Platform;
}

export function appMenuTemplate(l: DesktopLabels, s: MenuState): MenuItemSpec[] {
  const sep: MenuItemSpec = { type: 'separator' };
  const quit: MenuItemSpec = { label: l.quit, action: 'quit', accelerator: 'CmdOrCtrl+Q' };
  const stationMenu: MenuItemSpec[] = [
    { label: l.station, action: 'show-station', accelerator: 'CmdOrCtrl+1' },
    { label: l.library, action: 'show-library', accelerator: 'CmdOrCtrl+2' },
    sep,
    { label: l.fullScreen, action: 'toggle-full-screen', type: 'checkbox', checked: s.fullScreen, accelerator: 'F11' },
    { label: l.openAtLogin, action: 'toggle-open-at-login', type: 'checkbox', checked: s.openAtLogin },
  ];
  const menu: MenuItemSpec[] = [];
  // macOS puts the app's name first and Quit in it; elsewhere Quit ends the first menu.
  if (s.platform === 'darwin') {
    menu.push({ label: l.app, submenu: [...stationMenu, sep, { role: 'hide' }, { role: 'unhide' }, sep, quit] });
  } else {
    menu.push({ label: l.app, submenu: [...stationMenu, sep, quit] });
  }
  // Edit: the packer types codes by hand sometimes; copy/paste shortcuts need the menu on macOS.
  menu.push({ label: l.edit, submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] });
  menu.push({ label: l.view, submenu: [{ role: 'reload', label: l.reload }, { role: 'toggleDevTools', label: l.devTools }] });
  menu.push({ label: l.window, submenu: [{ role: 'minimize' }, { role: 'close' }] });
  menu.push({ label: l.help, submenu: [{ label: l.crashLog, action: 'open-crash-log' }, { label: l.dataFolder, action: 'open-data-folder' }] });
  return menu;
}
