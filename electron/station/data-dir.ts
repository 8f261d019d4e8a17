/**
 * The data folder: database, segments, keys. Defaults to the user's app-data location (the same place
 * Electron's app.getPath('userData') points at), so `npm run station` and the desktop app share it.
 */
import { accessSync, constants, mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

export function defaultDataDir(): string {
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'PackWitness');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'PackWitness');
    default:
      return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'PackWitness');
  }
}

/** Create the folder if needed and prove we can write there, before anything starts recording. */
export function prepareDataDir(dir: string): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK);
    const probe = join(abs, `.write-test-${process.pid}`);
    writeFileSync(probe, 'ok');
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new DataDirError(`The data folder ${abs} is not writable (${code}). Choose another folder with --data DIR or fix its permissions.`);
  }
  return abs;
}
