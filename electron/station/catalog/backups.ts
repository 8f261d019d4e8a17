/**
 * Rolling online backups of the station's database, in `<data>/backups/packwitness-<UTC time>.db`.
 *
 * SQLite's backup API (better-sqlite3's db.backup) copies the live database in a worker thread
 * (backup-worker.ts: its own read-only connection, one snapshot) while the station keeps recording, so
 * neither the recorder nor the API waits for it. A backup is written as `.partial-….db` (never taken
 * for a backup: isBackupName), switched to a self-contained rollback-journal file, checked with
 * `PRAGMA quick_check` and its schema version, fsynced and only then renamed into place and made
 * read-only. Older backups are removed only after a
 * new one verified, keeping BACKUP_KEEP. Footage retention never looks in backups/; a data-folder move
 * carries it along like any file (read-only files are pre-copied while recording goes on).
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BACKUP_KEEP } from '../limits.js';
import type { BackupWorkerInput, BackupWorkerOutput } from './backup-worker.js';
import { openSqlite, sqliteBinding, type Db } from './sqlite.js';

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
    let bytes: number;
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
  /** Steps of SQLite's backup API in the worker. */
  steps: number;
  removed: string[];
}

export interface BackupOptions {
  keep?: number;
  /** Aborting ends the backup (the worker is stopped, its partial file removed). */
  signal?: AbortSignal;
  now?: number;
}

/** One backup of the station's open database `db` now, then the oldest beyond `keep` removed. */
export async function backupDatabase(db: Db, dataDir: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const dir = join(dataDir, BACKUPS_DIR);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const name = backupName(opts.now ?? Date.now());
  const partial = join(dir, `${PARTIAL_PREFIX}${name}`);
  const expected = db.pragma('user_version', { simple: true }) as number;
  try {
    const out = await inWorker({ source: db.name, partial, binding: sqliteBinding() }, opts.signal);
    if (!out.ok) throw new BackupError(`the backup could not be written: ${out.message}`);
    if (out.quickCheck !== 'ok') throw new BackupError(`the new backup failed quick_check (${out.quickCheck})`);
    if (out.schemaVersion !== expected) throw new BackupError(`the new backup has schema version ${out.schemaVersion}, not ${expected}`);
    const final = join(dir, name);
    renameSync(partial, final);
    chmodSync(final, 0o444);
    fsyncFile(dir);
    const removed = prune(dataDir, opts.keep ?? BACKUP_KEEP, name);
    return { file: final, bytes: statSync(final).size, ms: performance.now() - started, steps: out.steps, removed };
  } catch (err) {
    removeFile(partial);
    removeFile(`${partial}-journal`);
    throw err;
  }
}

function inWorker(input: BackupWorkerInput, signal?: AbortSignal): Promise<BackupWorkerOutput> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new BackupError('the backup was stopped'));
    const worker = new Worker(new URL('./backup-worker.js', import.meta.url), { workerData: input });
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = (): void => {
      // Resolved once the thread is gone, so the partial file is no longer written when it is removed.
      void worker.terminate().then(() => finish(() => reject(new BackupError('the backup was stopped'))));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: BackupWorkerOutput) => finish(() => resolve(m)));
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new BackupError(`the backup worker ended (exit code ${code}) before it reported`))));
  });
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
