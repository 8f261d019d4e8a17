/**
 * The shell's own words (menus, tray, dialogs): the `desktop.*` codes of the message catalogue
 * (shared/messages), the few strings Electron draws natively. The system language picks the language.
 */
import { msg, render } from '../../shared/messages/index.js';

export interface DesktopLabels {
  app: string;
  station: string;
  library: string;
  fullScreen: string;
  openAtLogin: string;
  quit: string;
  view: string;
  edit: string;
  window: string;
  help: string;
  reload: string;
  devTools: string;
  crashLog: string;
  dataFolder: string;
  trayStarting: string;
  trayRecording: string;
  trayNotRecording: string;
  stopping: string;
  startFailed: string;
  pickDataFolder: string;
}

const KEYS = [
  'app',
  'station',
  'library',
  'fullScreen',
  'openAtLogin',
  'quit',
  'view',
  'edit',
  'window',
  'help',
  'reload',
  'devTools',
  'crashLog',
  'dataFolder',
  'trayStarting',
  'trayRecording',
  'trayNotRecording',
  'stopping',
  'startFailed',
  'pickDataFolder',
] as const satisfies readonly (keyof DesktopLabels)[];

/** Chinese for any zh locale (zh-CN, zh-TW, zh), English otherwise. */
export function desktopLabels(locale: string): DesktopLabels {
  const lng = /^zh\b/i.test(locale) ? 'zh-CN' : 'en';
  return Object.fromEntries(KEYS.map((k) => [k, render(msg(`desktop.${k}`), lng)])) as unknown as DesktopLabels;
}
