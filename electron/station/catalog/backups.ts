/**
 * Rolling online backups of the station's database, in `<data>/backups/packwitness-<UTC time>.db`.
 *
 * SQLite's backup API (better-sqlite3's db.backup) copies the live database page by page while the
 * station keeps recording; the event loop runs between steps, so the recorder and the API wait at most
 * one step. A backup is written as `.partial-….db` (never taken for a backup: isBackupName), switched
 * to a self-contained rollback-journal file, checked with `PRAGMA quick_check` and its schema version,
 * fsynced and only then renamed into place and made read-only. Older backups are removed only after a
 * new one verified, keeping BACKUP_KEEP. Footage retention never looks in backups/; a data-folder move
 * carries it along like any file (read-only files are pre-copied while recording goes on).
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_KEEP, BACKUP_PAGES_PER_STEP } from '../limits.js';
import { openSqlite, type Db } from './sqlite.js';

export const BACKUPS_DIR = 'backups';
const NAME = /^packwitness-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.db$/;
const PARTIAL_PREFIX = '.partial-';

export class BackupError extends Error {
  override name = 'BackupError';
}

export function isBackupName(name: string): boolean {
  return NAME.test(name);
}

export interface BackupFile {
  name: string;
  file: string;
  atMs: number;
  bytes: number;
}

/** Complete backups, newest first (by the time in their name). */
export function listBackups(dataDir: string): BackupFile[] {
  const dir = join(dataDir, BACKUPS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
    let bytes = 0;
    try {
      bytes = statSync(join(dir, name)).size;
    } catch {
      continue;
    }
    out.push({ name, file: join(dir, name), atMs: Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!), bytes });
  }
  return out.sort((a, b) => b.atMs - a.atMs);
}

export function backupName(atMs: number): string {
  return `packwitness-${new Date(atMs).toISOString().replace(/[-:.]/g, '')}.db`;
}

/**
 * The first problem with a backup file as one phrase, or null when SQLite's quick_check passes and it
 * holds a PackWitness schema. Opened read-only: checking never changes it.
 */
export function checkBackup(file: string): string | null {
  let db: Db | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const quick = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    if (quick.length !== 1 || quick[0] !== 'ok') return `quick_check says ${quick.slice(0, 2).join('; ')}`;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1) return 'it holds no PackWitness schema';
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    db?.close();
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** Wall time of the whole backup, copy and check. */
  ms: number;
  /** Steps of the copy (the event loop ran between them). */
  steps: number;
  removed: string[];
}

export interface BackupOptions {
  keep?: number;
  pagesPerStep?: number;
  /** Asked between steps; true ends the backup (its partial file removed). */
  aborted?: () => boolean;
  now?: number;
}

/** One backup of `db` now, then the oldest beyond `keep` removed. */
export async function backupDatabase(db: Db, dataDir: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const dir = join(dataDir, BACKUPS_DIR);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const atMs = opts.now ?? Date.now();
  const name = backupName(atMs);
  const partial = join(dir, `${PARTIAL_PREFIX}${name}`);
  const pages = opts.pagesPerStep ?? BACKUP_PAGES_PER_STEP;
  let steps = 0;
  try {
    await db.backup(partial, {
      progress: () => {
        steps++;
        if (opts.aborted?.()) throw new BackupError('the backup was stopped');
        return pages;
      },
    });
    const copy = openSqlite(partial, { fileMustExist: true });
    try {
      // The copy carries the source's WAL flag; a backup is one self-contained file.
      copy.pragma('journal_mode = DELETE');
      const quick = copy.pragma('quick_check', { simple: true }) as string;
      if (quick !== 'ok') throw new BackupError(`the new backup failed quick_check (${quick})`);
      const version = copy.pragma('user_version', { simple: true }) as number;
      const expected = db.pragma('user_version', { simple: true }) as number;
      if (version !== expected) throw new BackupError(`the new backup has schema version ${version}, not ${expected}`);
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    const final = join(dir, name);
    renameSync(partial, final);
    chmodSync(final, 0o444);
    fsyncFile(dir);
    const removed = prune(dataDir, opts.keep ?? BACKUP_KEEP, name);
    return { file: final, bytes: statSync(final).size, ms: performance.now() - started, steps, removed };
  } catch (err) {
    removeFile(partial);
    removeFile(`${partial}-journal`);
    throw err;
  }
}

/** Partial backups a crash left behind: never a backup, always safe to remove. */
export function removePartialBackups(dataDir: string): number {
  let n = 0;
  try {
    for (const name of readdirSync(join(dataDir, BACKUPS_DIR))) {
      if (name.startsWith(PARTIAL_PREFIX)) {
        removeFile(join(dataDir, BACKUPS_DIR, name));
        n++;
      }
    }
  } catch {
    /* no backups folder yet */
  }
  return n;
}

function prune(dataDir: string, keep: number, newest: string): string[] {
  const removed: string[] = [];
  for (const b of listBackups(dataDir).filter((b) => b.name !== newest).slice(Math.max(0, keep - 1))) {
    removeFile(b.file);
    removed.push(b.name);
  }
  return removed;
}

function removeFile(file: string): void {
  try {
    // Windows refuses to delete a read-only file.
    chmodSync(file, 0o600);
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function fsyncFile(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    /* a folder cannot be fsynced on Windows: the rename is still atomic */
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
