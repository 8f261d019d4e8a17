/**
 * `packwitness find`: search a station's clips from the command line, one line per clip. Opens the
 * database read-only, so it works while the station records into the same folder (WAL readers).
 */
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDataDir } from '../station/data-dir.js';
import { DatabaseUnreadableError, openDatabase, type Db } from '../station/catalog/database.js';
import { DB_FILE, earlierLife, lostDatabaseError } from '../station/catalog/lost-database.js';
import { searchClips } from '../station/clips/clip-search.js';

export class NoDatabaseError extends Error {
  override name = 'NoDatabaseError';
}

export function findClips(dataDir: string, fragment: string, o: { limit: number; json: boolean }): string[] {
  const { db, close } = openForReading(resolveDataDir(dataDir));
  try {
    const { items } = searchClips(db, { q: fragment }, undefined, o.limit);
    if (o.json) return items.map((c) => JSON.stringify(c));
    return items.map(
      (c) =>
        `${c.id}\t${c.startedAt}\t${c.endedAt ?? 'recording'}\t${c.mode}\t${c.status}${c.protected ? ' protected' : ''}\t${c.station}\t${c.codes.join(',')}${c.hasVideo ? '' : '\t(no video yet)'}`,
    );
  } finally {
    close();
  }
}

/**
 * The folder's database for reading, or one sentence: none there (a lost one beside footage is said
 * so), unreadable, or too new. A folder this process cannot write (a read-only share, a backup disk
 * mounted read-only) cannot give SQLite the -shm file a WAL database needs to be read, and this
 * better-sqlite3 build has no `immutable` URIs: then a private copy of the database file is read,
 * which the folder's own state allows (no station can be writing there).
 */
export function openForReading(dir: string): { db: Db; close: () => void } {
  const file = join(dir, DB_FILE);
  const none = (): Error => noDatabase(dir);
  if (!existsSync(file) || statSync(file).size === 0) throw none();
  const whenNew = (): void => {
    throw none();
  };
  try {
    const db = openDatabase(file, { readonly: true, whenNew });
    return { db, close: () => db.close() };
  } catch (err) {
    if (!(err instanceof DatabaseUnreadableError) || writable(dir) || !/^SQLITE_(CANTOPEN|READONLY)/.test(String((err.cause as { code?: unknown })?.code))) throw err;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'packwitness-find-'));
  const remove = (): void => rmSync(tmp, { recursive: true, force: true });
  try {
    copyFileSync(file, join(tmp, DB_FILE));
    // A -wal beside it (a station stopped uncleanly) holds the newest transactions: read them too.
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, join(tmp, `${DB_FILE}-wal`));
    const db = openDatabase(join(tmp, DB_FILE), { readonly: true, whenNew });
    return {
      db,
      close: () => {
        db.close();
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}

/** Why a folder has no usable database: a lost one beside an earlier station's files, or none at all. */
export function noDatabase(dir: string): Error {
  const proofs = earlierLife(dir);
  return proofs.length ? lostDatabaseError(dir, proofs) : new NoDatabaseError(`There is no PackWitness database in ${dir}; pass the station's --data folder.`);
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
