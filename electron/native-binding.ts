/**
 * Where the Electron shell finds better-sqlite3 built for Electron's ABI. node_modules keeps the
 * build for Node's ABI (tests, the CLI); the Electron build lives beside it, made by
 * `npm run rebuild:electron` (scripts/electron-native.ts) and loaded through better-sqlite3's
 * `nativeBinding` option, so one checkout runs both without rebuilding in between.
 *
 * Node only (no Electron import): the rebuild script and the packaging test use it too.
 */
import { join } from 'node:path';

/** Relative to the app root (the folder holding package.json); packaged in app.asar.unpacked. */
export const ELECTRON_NATIVE_DIR = 'build/electron-native';
export const ELECTRON_NATIVE_BINDING = `${ELECTRON_NATIVE_DIR}/better_sqlite3.node`;
/** What the binary was built for: rebuilt when Electron, better-sqlite3 or the platform changes. */
export const ELECTRON_NATIVE_STAMP = `${ELECTRON_NATIVE_DIR}/stamp.json`;

export interface NativeStamp {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
}

/**
 * The binding's absolute path for an app root. Inside a packaged app the root is …/app.asar, but a
 * .node file cannot be loaded from inside the archive: it is unpacked (asarUnpack) beside it.
 */
export function electronNativeBindingPath(appRoot: string): string {
  return join(appRoot.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked'), ...ELECTRON_NATIVE_BINDING.split('/'));
}
