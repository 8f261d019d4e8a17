/**
 * One station per data folder: two recorders writing one index would fight over it. The lock file
 * holds the owner's pid; a lock left by a dead process is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class StationLockedError extends Error {
  override name = 'StationLockedError';
}

export function acquireLock(dataDir: string): () => void {
  return lockFolder(dataDir, 'station.lock', (pid) =>
    new StationLockedError(pid ? `Another station (pid ${pid}) is already recording into ${dataDir}. Stop it first, or use another --data folder.` : `Could not lock ${dataDir}.`),
  );
}

/**
 * Take `dir/name` for this process (the hub's folder uses it too). `held` makes the error: for a live
 * owner's pid, or null when the file could not be taken at all. Returns the release, which removes the
 * file only while it is still ours.
 */
export function lockFolder(dir: string, name: string, held: (pid: number | null) => Error): () => void {
  const file = join(dir, name);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) throw held(pid);
      unlinkSync(file); // stale: its owner died
    }
  }
  throw held(null);
}

/**
 * The pid of the live process holding the folder's lock, or null (no lock, or its owner died). Read
 * only: `packwitness doctor` asks it to tell a running station from a stale lock.
 */
export function lockHolder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'station.lock'), 'utf8'));
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
