/**
 * The shell's own words (menus, tray, dialogs) in zh-CN and en. The renderer has its own i18n; these
 * are the few strings Electron draws natively. The system language picks the table.
 */
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

const en: DesktopLabels = {
  app: 'PackWitness',
  station: 'Station',
  library: 'Library',
  fullScreen: 'Full-screen station mode',
  openAtLogin: 'Start when I log in',
  quit: 'Quit PackWitness',
  view: 'View',
  edit: 'Edit',
  window: 'Window',
  help: 'Help',
  reload: 'Reload',
  devTools: 'Developer tools',
  crashLog: 'Crash log',
  dataFolder: 'Open the data folder',
  trayStarting: 'starting',
  trayRecording: 'recording',
  trayNotRecording: 'NOT recording',
  stopping: 'Closing the last segment…',
  startFailed: 'PackWitness could not start',
  pickDataFolder: 'Choose the new data folder (new or empty)',
};

const zhCN: DesktopLabels = {
  app: '打包见证',
  station: '打包台',
  library: '录像库',
  fullScreen: '全屏打包台模式',
  openAtLogin: '登录时自动启动',
  quit: '退出打包见证',
  view: '视图',
  edit: '编辑',
  window: '窗口',
  help: '帮助',
  reload: '重新加载',
  devTools: '开发者工具',
  crashLog: '崩溃日志',
  dataFolder: '打开数据文件夹',
  trayStarting: '正在启动',
  trayRecording: '正在录像',
  trayNotRecording: '未在录像',
  stopping: '正在保存最后一段录像…',
  startFailed: '打包见证无法启动',
  pickDataFolder: '选择新的数据文件夹（新的或空的）',
};

/** Chinese for any zh locale (zh-CN, zh-TW, zh), English otherwise. */
export function desktopLabels(locale: string): DesktopLabels {
  return /^zh\b/i.test(locale) ? zhCN : en;
}
