/**
 * Which Electron binary the shell's e2e test (test/e2e/electron-shell.test.ts) can launch, or why
 * there is none, read as the `electron` package reads it but without its download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { appRoot } from '../../electron/station/resources.js';

/** `pkg`: the electron package's folder (the installed one by default). */
export function electronBinary(env: NodeJS.ProcessEnv = process.env, pkg = installedElectronPackage()): { path: string } | { missing: string } {
  const pathFile = join(pkg, 'path.txt');
  // path.txt names the binary inside the package's dist/ (or inside the override folder); requiring
  // the package instead would start its download when the binary is missing.
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = join(override, name ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(exe) ? { path: exe } : { missing: `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no ${exe}` };
  }
  if (!name) return { missing: 'node_modules/electron has no binary (its download from GitHub did not run at install); set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron' };
  const exe = join(pkg, 'dist', name);
  return existsSync(exe) ? { path: exe } : { missing: `node_modules/electron names ${exe}, which is not there` };
}

function installedElectronPackage(): string {
  return dirname(createRequire(join(appRoot(), 'package.json')).resolve('electron/package.json'));
}
