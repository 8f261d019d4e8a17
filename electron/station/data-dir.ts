/**
 * The data folder: database, segments, keys. Defaults to the user's app-data location (the same place
 * Electron's app.getPath('userData') points at), so `npm run station` and the desktop app share it.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { log } from './log.js';

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

// Storage folder move: the pointer a move leaves in the old folder.
export const MOVED_POINTER_FILE = 'MOVED-TO.json';

/**
 * The folder's data, wherever it went: a moved folder holds only `MOVED-TO.json` naming the new one
 * (storage/move-data.ts), so a shortcut or the default path still finds the footage. One hop only:
 * a pointer to a folder that was moved again is an error, not a chase.
 */
export function resolveDataDir(dir: string): string {
  const abs = resolve(dir);
  const pointer = join(abs, MOVED_POINTER_FILE);
  if (!existsSync(pointer)) return abs;
  let to: unknown;
  try {
    to = (JSON.parse(readFileSync(pointer, 'utf8')) as { movedTo?: unknown }).movedTo;
  } catch (err) {
    throw new DataDirError(`${pointer} is unreadable (${(err as Error).message}); fix it or pass the new folder with --data DIR.`);
  }
  if (typeof to !== 'string' || !isAbsolute(to)) throw new DataDirError(`${pointer} does not name a folder; pass the new folder with --data DIR.`);
  if (existsSync(join(to, MOVED_POINTER_FILE))) {
    throw new DataDirError(`The data folder moved from ${abs} to ${to}, which was moved again; pass the current folder with --data DIR.`);
  }
  log.info('the data folder was moved; using its new place', { from: abs, to });
  return to;
}

/** Create the folder if needed and prove we can write there, before anything starts recording. */
export function prepareDataDir(dir: string): string {
  const abs = resolveDataDir(dir);
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
