/** The shell's settings, stored with the station's (SettingsStore): start on login, full-screen mode. */
export const DESKTOP_SETTINGS = {
  openAtLogin: 'desktop.openAtLogin',
  fullScreen: 'desktop.fullScreen',
} as const;

export function parseBooleanSetting(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Error(`expected true or false, got ${JSON.stringify(v)}`);
  return v;
}
